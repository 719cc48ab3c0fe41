import { contextText, depthMark, kvText, modelName, testName, threadsText } from './labels';
import { quantText } from './runtime-names';
import type { TrialResult, TrialSpec } from './schemas';
import { kvBufferOf } from './trial-setup';

/**
 * The dimensions a configuration varies in, and the short labels and series keys built from them: a
 * chart's legend ("mobilellm-r1-140m · int4 · d2048") names only what tells its trials apart, in the
 * words and order of trialLabel (labels.ts). The Compare screen and the reports both use these.
 */

/** One trial as labels see it: what was asked for, what ran (once it ran), and where it came from. */
export interface DimensionedTrial {
  spec: TrialSpec;
  result?: TrialResult | undefined;
  /** the run it belongs to, where trials of several runs are compared */
  runId?: string | undefined;
  runName?: string | undefined;
}

/** The dimensions, in the order labels name them. */
export const DIMENSIONS = [
  'model',
  'quant',
  'runtime',
  'kv',
  'context',
  'lengths',
  'depth',
  'buffer',
  'fill',
  'ep',
  'threads',
  'device',
  'run',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** named even when every trial agrees, so a label always says what was measured */
const ALWAYS: readonly Dimension[] = ['model', 'quant'];

/** The KV dtype that ran, else the one asked for, else the preset's own. */
export function kvDtypeOf(spec: TrialSpec, result?: TrialResult): string {
  return result?.model?.kvDtype ?? spec.kvDtype ?? 'preset';
}

/** Intra-op threads that ran, else asked for; null = onnxruntime's default. */
export function threadsOf(spec: TrialSpec, result?: TrialResult): number | null {
  if (result?.llamaCpp) return result.llamaCpp.threads;
  if (result?.session) return result.session.intraOpThreads;
  return spec.threads ?? null;
}

function dimensionTexts({ spec, result, runName }: DimensionedTrial): Record<Dimension, string> {
  const threads = threadsOf(spec, result);
  return {
    model: modelName(spec.model),
    // the GGUF type on llama.cpp (Q4_0), the preset on onnxruntime (int4)
    quant: quantText(spec),
    runtime: spec.runtime ?? 'onnxruntime',
    kv: kvText(kvDtypeOf(spec, result)),
    context: contextText(spec.contextTokens),
    // the depth is a dimension of its own, joined to the lengths as testName joins it ("@ d2048")
    lengths: testName({ promptTokens: spec.promptTokens, generateTokens: spec.generateTokens }),
    // the default depth follows the context (C − P − G): trials at the end of their windows are one
    // series across contexts, however many tokens each cached
    depth: spec.depthSource === 'context' ? 'end of window' : depthMark(spec.depthTokens),
    // the fill asked for: a depth of 0 fills nothing, yet belongs to its series
    fill: `${spec.fill} fill`,
    buffer: `${kvBufferOf(spec, result)} KV buffer`,
    ep: spec.ep,
    threads: threads === null ? 'default threads' : threadsText(threads),
    // runs from agents compare across devices: the device names the series (older runs do not say)
    device: result?.environment.device ?? 'unnamed device',
    run: runName ?? '',
  };
}

/** the separator before a dimension's text when the one before it is shown too, as trialLabel joins them */
const JOINED_TO_PREVIOUS: Partial<Record<Dimension, [previous: Dimension, separator: string]>> = {
  depth: ['lengths', ' @ '],
  runtime: ['quant', ' '],
  threads: ['ep', ' '],
};

function labelOf(text: Record<Dimension, string>, shown: readonly Dimension[]): string {
  return shown.reduce((label, dimension, index) => {
    if (index === 0) return text[dimension];
    const joined = JOINED_TO_PREVIOUS[dimension];
    const separator = joined && joined[0] === shown[index - 1] ? joined[1] : ' · ';
    return `${label}${separator}${text[dimension]}`;
  }, '');
}

/**
 * Short labels that tell the given trials apart: model and preset always, every other dimension only
 * where the trials differ in it ("mobilellm-r1-140m · int4 · d2048"), the run's name only where two runs
 * hold the same configuration, and "#2", "#3" for re-runs of one configuration. `omit` leaves
 * dimensions out (a chart whose axis is the depth does not repeat it).
 */
export function distinguishingLabels(
  trials: readonly DimensionedTrial[],
  omit: readonly Dimension[] = [],
): string[] {
  const texts = trials.map(dimensionTexts);
  const labelsWith = (dimensions: readonly Dimension[]): string[] => {
    const shown = dimensions.filter(
      (dimension) =>
        !omit.includes(dimension) &&
        (ALWAYS.includes(dimension) || new Set(texts.map((text) => text[dimension])).size > 1),
    );
    return texts.map((text) => labelOf(text, shown));
  };
  const withoutRun = labelsWith(DIMENSIONS.filter((dimension) => dimension !== 'run'));
  const labels = new Set(withoutRun).size === withoutRun.length ? withoutRun : labelsWith(DIMENSIONS);
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} #${count}`;
  });
}

/** Every dimension but the omitted ones: trials with the same key belong to one series of a chart. */
export function seriesKey(trial: DimensionedTrial, omit: readonly Dimension[]): string {
  const text = dimensionTexts(trial);
  return DIMENSIONS.filter((dimension) => !omit.includes(dimension))
    .map((dimension) => (dimension === 'run' ? (trial.runId ?? '') : text[dimension]))
    .join('|');
}
