import type { Fit, PlannedTrial, WorkbenchMethodResult } from '../../profiler/api';
import type { QuantPresetName } from '../../common/preset-names';
import { trialSpec } from '../../common/test/trial-result';

const GiB = 2 ** 30; // bytes

export interface PlannedTrialInput {
  key?: string;
  quant?: QuantPresetName;
  /** bytes */
  peakBytes?: number;
  fit?: Fit;
  /** s, wall clock */
  seconds?: number;
}

/**
 * One trial of a plan, as planSweep answers: MobileLLM-R1 140M at context 2048 (the end of its window),
 * its estimate split half weights, a quarter KV, a quarter overhead.
 */
export function plannedTrial(input: PlannedTrialInput = {}): PlannedTrial {
  const { quant = 'fp32', peakBytes = 0.5 * GiB, fit = 'fits', seconds = 30 } = input;
  return {
    key: input.key ?? `key-${quant}-${peakBytes}`,
    spec: trialSpec({ quant }),
    estimate: {
      weightsBytes: peakBytes / 2,
      kvBytes: peakBytes / 4,
      overheadBytes: peakBytes / 4,
      peakBytes,
      seconds,
      fit,
      basis: 'estimated (test)',
    },
  };
}

/** Two trials, fp32 over a 1 GiB budget and int4 under it: 90 s in all, max peak 1.5 GiB. */
export const budgetPlan: WorkbenchMethodResult<'planSweep'> = {
  trials: [
    plannedTrial({ quant: 'fp32', peakBytes: 1.5 * GiB, fit: 'will-not-fit', seconds: 60 }),
    plannedTrial({ quant: 'int4', peakBytes: 0.25 * GiB, fit: 'fits', seconds: 30 }),
  ],
  contradictions: [],
};
