import type { RunDocument, TrialResult } from '../../../profiler/api';
import { modelName } from '../format/trial-label';
import { kvBufferOf } from '../format/trial-setup';

/** One trial of an opened run, as the Compare screen holds it. */
export interface ComparedTrial {
  /** unique across the opened runs: `${runId}/${key}` (two runs may hold the same configuration key) */
  id: string;
  runId: string;
  runName: string;
  key: string;
  result: TrialResult;
}

type Summary = NonNullable<TrialResult['summary']>;

/** A trial that finished and has its statistics: what the charts can draw. */
export type MeasuredTrial = ComparedTrial & { result: TrialResult & { summary: Summary } };

export function comparedTrials(docs: readonly RunDocument[]): ComparedTrial[] {
  return docs.flatMap((doc) =>
    doc.trials.map(({ key, result }) => ({
      id: `${doc.id}/${key}`,
      runId: doc.id,
      runName: doc.name,
      key,
      result,
    })),
  );
}

export function isMeasured(trial: ComparedTrial): trial is MeasuredTrial {
  return trial.result.status === 'ok' && trial.result.summary !== undefined;
}

/** The KV dtype that ran, else the one asked for, else the preset's own. */
export function kvDtypeOf(result: TrialResult): string {
  return result.model?.kvDtype ?? result.spec.kvDtype ?? 'preset';
}

/** The dimensions a configuration varies in, in the order labels name them. */
export type Dimension =
  | 'model'
  | 'quant'
  | 'kv'
  | 'context'
  | 'depth'
  | 'fill'
  | 'buffer'
  | 'lengths'
  | 'ep'
  | 'threads'
  | 'device'
  | 'run';

function dimensionTexts(trial: ComparedTrial): Record<Dimension, string> {
  const { spec } = trial.result;
  return {
    model: modelName(spec.model),
    quant: spec.quant,
    kv: `KV ${kvDtypeOf(trial.result)}`,
    context: `ctx ${spec.contextTokens}`,
    // the default depth follows the context (C − P − G): trials at the end of their windows are one
    // series across contexts, however many tokens each cached
    depth: spec.depthSource === 'context' ? 'depth: end of window' : `depth ${spec.depthTokens}`,
    // the fill asked for: a depth of 0 fills nothing, yet belongs to its series
    fill: `${spec.fill} fill`,
    buffer: `${kvBufferOf(spec, trial.result)} KV buffer`,
    lengths: `P${spec.promptTokens}/G${spec.generateTokens}`,
    ep: spec.ep,
    threads: spec.threads === undefined ? 'default threads' : `${spec.threads} threads`,
    // runs from agents compare across devices: the device names the series (older runs do not say)
    device: trial.result.environment.device ?? 'unnamed device',
    run: trial.runName,
  };
}

const DIMENSIONS: readonly Dimension[] = [
  'model',
  'quant',
  'kv',
  'context',
  'depth',
  'fill',
  'buffer',
  'lengths',
  'ep',
  'threads',
  'device',
  'run',
];
/** named even when every trial agrees, so a label always says what was measured */
const ALWAYS: readonly Dimension[] = ['model', 'quant'];

/**
 * Short labels that tell the given trials apart: model and preset always, every other dimension only
 * where the trials differ in it ("MobileLLM-R1-140M · int4 · depth 512"), and the run's name only where
 * two runs hold the same configuration. `omit` leaves dimensions out (a chart whose axis is the depth
 * does not repeat it). Trials at the end of their context windows read "depth: end of window".
 */
export function distinguishingLabels(
  trials: readonly ComparedTrial[],
  omit: readonly Dimension[] = [],
): string[] {
  const texts = trials.map(dimensionTexts);
  const labelsWith = (dimensions: readonly Dimension[]): string[] => {
    const shown = dimensions.filter(
      (dimension) =>
        !omit.includes(dimension) &&
        (ALWAYS.includes(dimension) || new Set(texts.map((text) => text[dimension])).size > 1),
    );
    return texts.map((text) => shown.map((dimension) => text[dimension]).join(' · '));
  };
  const withoutRun = labelsWith(DIMENSIONS.filter((dimension) => dimension !== 'run'));
  return new Set(withoutRun).size === withoutRun.length ? withoutRun : labelsWith(DIMENSIONS);
}

/** Every dimension but the omitted ones: trials with the same identity belong to one series. */
export function seriesIdentity(trial: ComparedTrial, omit: readonly Dimension[]): string {
  const text = dimensionTexts(trial);
  return DIMENSIONS.filter((dimension) => !omit.includes(dimension))
    .map((dimension) => (dimension === 'run' ? trial.runId : text[dimension]))
    .join('|');
}
