import {
  PublishedBenchmarkSchema,
  type AccuracyPerCost,
  type ModelAccuracyCost,
  type RunDocument,
  type TradeoffAnalysis,
  type TradeoffPoint,
  type TrialResult,
} from '../schemas';
import { catalogEntries, type PublishedScores } from '../catalog';
import { modelKey, testName, trialLabel } from '../labels';
import { paretoDominators, qualityOf } from '../pareto';

/**
 * The speed / memory / quality trade-off of a run's configurations, its Pareto set, and the published
 * accuracy of each catalog model beside the cost measured here.
 */

type Summary = NonNullable<TrialResult['summary']>;
/** a trial with decode speed and memory measured (an imported llama-bench record has neither) */
type MeasuredTrial = TrialResult & {
  summary: Summary & { decodeTokensPerSecond: NonNullable<Summary['decodeTokensPerSecond']> };
  peakRssBytes: number;
};

function measuredTrials(run: RunDocument): { key: string; result: MeasuredTrial }[] {
  return run.trials.flatMap(({ key, result }) =>
    result.status === 'ok' && result.summary?.decodeTokensPerSecond && result.peakRssBytes !== undefined
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
    const { quant, contextTokens, depthTokens, promptTokens, generateTokens, ep } = spec;
    return {
      key,
      label: trialLabel(spec),
      modelKey: modelKey(spec.model),
      quant,
      kvDtype: spec.kvDtype ?? null,
      contextTokens,
      depthTokens,
      promptTokens,
      generateTokens,
      ep,
      threads: spec.threads ?? null,
      decodeTokensPerSecond: result.summary.decodeTokensPerSecond.median,
      memoryBytes: result.peakRssBytes,
      quality: qualityOf(spec, run.quality),
      // points are compared only within one workload: llama-bench's test name, depth included
      workload: testName(spec),
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
    const perTokenP50Ms = result.summary.perTokenMs?.p50;
    if (!entry || perTokenP50Ms === undefined || !(result.model.weightsBytes > 0) || !(perTokenP50Ms > 0))
      return [];
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
