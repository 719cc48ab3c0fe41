import type { RunDocument, TrialResult } from '../../../profiler/api';
import {
  distinguishingLabels as labelsApart,
  kvDtypeOf as kvDtypeRan,
  seriesKey,
  type Dimension,
  type DimensionedTrial,
} from '../../../common/trial-dimensions';

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
  return kvDtypeRan(result.spec, result);
}

export type { Dimension };

/** a compared trial as common/trial-dimensions.ts sees it */
const dimensioned = (trial: ComparedTrial): DimensionedTrial => ({
  spec: trial.result.spec,
  result: trial.result,
  runId: trial.runId,
  runName: trial.runName,
});

/**
 * Short labels that tell the given trials apart (common/trial-dimensions.ts): model and preset always,
 * every other dimension only where the trials differ in it, the run's name only where two runs hold the
 * same configuration. `omit` leaves dimensions out (a chart whose axis is the depth does not repeat it).
 */
export function distinguishingLabels(
  trials: readonly ComparedTrial[],
  omit: readonly Dimension[] = [],
): string[] {
  return labelsApart(trials.map(dimensioned), omit);
}

/** Every dimension but the omitted ones: trials with the same identity belong to one series. */
export function seriesIdentity(trial: ComparedTrial, omit: readonly Dimension[]): string {
  return seriesKey(dimensioned(trial), omit);
}
