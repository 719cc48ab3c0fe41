import {
  PublishedBenchmarkSchema,
  type AccuracyPerCost,
  type ModelAccuracyCost,
  type RunDocument,
  type TradeoffAnalysis,
  type TradeoffPoint,
  type TradeoffQuality,
  type TrialResult,
} from '../api';
import { catalogEntries, type PublishedScores } from '../models/catalog';
import { configurationLabel } from './kv-pressure';
import { modelLabel } from './configuration';

/**
 * The speed / memory / quality trade-off of a run's configurations, its Pareto set, and the published
 * accuracy of each catalog model beside the cost measured here.
 */

/** What Pareto marking compares. */
export interface ParetoCandidate {
  /** tokens/s; more is better */
  decodeTokensPerSecond: number;
  /** bytes; less is better */
  memoryBytes: number;
  /** nats, KL against fp32; less is better; null where not measured */
  klMean: number | null;
}

/**
 * `a` dominates `b`: at least as good in every objective and better in one. KL counts only when both
 * have it; otherwise speed and memory alone decide, so an unmeasured point is neither helped nor hurt by
 * quality (and a faster, smaller unmeasured variant dominates fp32 itself). Equal points do not dominate
 * each other: both stay on the front.
 */
export function dominates(a: ParetoCandidate, b: ParetoCandidate): boolean {
  const useKl = a.klMean !== null && b.klMean !== null;
  const atLeastAsGood =
    a.decodeTokensPerSecond >= b.decodeTokensPerSecond &&
    a.memoryBytes <= b.memoryBytes &&
    (!useKl || a.klMean! <= b.klMean!);
  const better =
    a.decodeTokensPerSecond > b.decodeTokensPerSecond ||
    a.memoryBytes < b.memoryBytes ||
    (useKl && a.klMean! < b.klMean!);
  return atLeastAsGood && better;
}

/** For each candidate, the indexes of the candidates that dominate it (empty: Pareto-optimal). */
export function paretoDominators(candidates: readonly ParetoCandidate[]): number[][] {
  return candidates.map((b, index) =>
    candidates.flatMap((a, other) => (other !== index && dominates(a, b) ? [other] : [])),
  );
}

/** The fp32 variant with an fp32 KV cache is the reference itself: KL 0, agreement 1. */
function qualityOf(run: RunDocument, result: TrialResult): TradeoffQuality | null {
  const { spec } = result;
  if (spec.quant === 'fp32' && (spec.kvDtype ?? 'float32') === 'float32') {
    return { klMean: 0, top1Agreement: 1, source: 'reference' };
  }
  const modelKey = modelLabel(spec.model);
  // quality entries are per model and preset; a KV-dtype override of the preset is not told apart
  const entry = run.quality.find((q) => q.modelKey === modelKey && q.quant === spec.quant);
  if (!entry) return null;
  return {
    klMean: entry.report.overall.klMean,
    top1Agreement: entry.report.overall.top1Agreement,
    source: 'measured',
  };
}

function workloadOf(result: TrialResult): string {
  const { spec } = result;
  return `depth ${spec.depthTokens}, prompt ${spec.promptTokens}, generate ${spec.generateTokens}`;
}

type MeasuredTrial = TrialResult & {
  summary: NonNullable<TrialResult['summary']>;
  peakRssBytes: number;
};

function measuredTrials(run: RunDocument): { key: string; result: MeasuredTrial }[] {
  return run.trials.flatMap(({ key, result }) =>
    result.status === 'ok' && result.summary && result.peakRssBytes !== undefined
      ? [{ key, result: result as MeasuredTrial }]
      : [],
  );
}

/**
 * One point per successful trial, with its Pareto marking. Points are compared only with points of the
 * same workload (depth, prompt and generate lengths): a deeper cache is a harder job, not a worse choice.
 */
export function tradeoffPoints(run: RunDocument): TradeoffPoint[] {
  const unmarked = measuredTrials(run).map(({ key, result }) => {
    const { spec } = result;
    return {
      key,
      label: configurationLabel(spec),
      modelKey: modelLabel(spec.model),
      quant: spec.quant,
      kvDtype: spec.kvDtype ?? null,
      contextTokens: spec.contextTokens,
      depthTokens: spec.depthTokens,
      promptTokens: spec.promptTokens,
      generateTokens: spec.generateTokens,
      ep: spec.ep,
      threads: spec.threads ?? null,
      decodeTokensPerSecond: result.summary.decodeTokensPerSecond.median,
      memoryBytes: result.peakRssBytes,
      quality: qualityOf(run, result),
      workload: workloadOf(result),
    };
  });
  const marks = new Map<number, string[]>();
  for (const workload of new Set(unmarked.map((point) => point.workload))) {
    const indexes = unmarked.flatMap((point, index) => (point.workload === workload ? [index] : []));
    const group = indexes.map((index) => unmarked[index]!);
    const dominators = paretoDominators(
      group.map((point) => ({ ...point, klMean: point.quality?.klMean ?? null })),
    );
    indexes.forEach((index, position) => {
      marks.set(
        index,
        dominators[position]!.map((other) => group[other]!.key),
      );
    });
  }
  return unmarked.map((point, index) => {
    const dominatedBy = marks.get(index) ?? [];
    return { ...point, paretoOptimal: dominatedBy.length === 0, dominatedBy };
  });
}

const GiB = 2 ** 30;

/**
 * Each published score that is not null, per GiB of weights (GiB = 2^30 bytes) and per ms of per-token
 * latency. `weightsBytes` and `perTokenP50Ms` must be positive.
 */
export function accuracyPerCost(
  scores: PublishedScores,
  weightsBytes: number,
  perTokenP50Ms: number,
): AccuracyPerCost[] {
  if (!(weightsBytes > 0) || !(perTokenP50Ms > 0)) {
    throw new RangeError(
      `Accuracy per cost needs positive weights bytes and per-token ms; got ${weightsBytes} B and ${perTokenP50Ms} ms.`,
    );
  }
  return PublishedBenchmarkSchema.options.flatMap((benchmark) => {
    const { percent, source } = scores[benchmark];
    if (percent === null) return [];
    return [
      {
        benchmark,
        percent,
        source,
        percentPerWeightsGiB: percent / (weightsBytes / GiB),
        percentPerTokenMs: percent / perTokenP50Ms,
      },
    ];
  });
}

const publishedNote =
  'Scores are as published for the post-trained model (not re-measured here); a quantized variant may ' +
  'score lower — see its KL and top-1 agreement. Cost (weights, per-token latency) is measured here.';

/**
 * Published accuracy beside measured cost, per successful trial of a catalog model. Trials with what-if
 * overrides are left out: the published scores are for the published architecture only.
 */
export function modelAccuracyCosts(run: RunDocument): ModelAccuracyCost[] {
  return measuredTrials(run).flatMap(({ key, result }) => {
    const { model } = result.spec;
    if (model.kind !== 'catalog' || Object.keys(model.overrides).length > 0 || !result.model) return [];
    const entry = catalogEntries.find((candidate) => candidate.id === model.id);
    const perTokenP50Ms = result.summary.perTokenMs.p50;
    if (!entry || !(result.model.weightsBytes > 0) || !(perTokenP50Ms > 0)) return [];
    return [
      {
        key,
        modelId: entry.id,
        displayName: entry.displayName,
        quant: result.spec.quant,
        weightsBytes: result.model.weightsBytes,
        perTokenP50Ms,
        scores: accuracyPerCost(entry.scores, result.model.weightsBytes, perTokenP50Ms),
        note: publishedNote,
      },
    ];
  });
}

/** The trade-off view of a run: points with their Pareto marking, and accuracy per cost. */
export function tradeoffAnalysis(run: RunDocument): TradeoffAnalysis {
  return {
    points: tradeoffPoints(run),
    accuracy: modelAccuracyCosts(run),
    basis:
      'Pareto-optimal within each workload (same depth, prompt and generate lengths): maximize decode tok/s ' +
      '(median), minimize peak RSS, minimize KL against fp32. A point is dominated when another is at least ' +
      'as good in every objective and better in one. KL counts only when both points have a quality ' +
      'measurement (fp32 is the reference: KL 0); otherwise speed and memory alone decide, so a variant ' +
      'without a quality measurement can push fp32 off the front: measure quality to weigh it. Equal ' +
      'points are both optimal.',
  };
}
