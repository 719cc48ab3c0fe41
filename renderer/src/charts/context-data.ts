import type { MeasuredTrial } from './compared-trial';
import { latencyLines } from './latency-depth-data';
import { distinctX, hasSweep, pairedLineData, type PairedLineData, type SweptAxis } from './paired-lines';

/**
 * Latency and memory against the context each trial measured, from measured trials only (never
 * extrapolated): at the default depth the cache holds C − P − G tokens before the timed part, so a
 * trial at context C measures the end of a C-token window.
 */

/**
 * Context: one series per configuration apart from it. A depth at the end of the window reads the same
 * at every context, so those trials join one line; a depth given explicitly keeps its own line.
 */
export const CONTEXT_AXIS: SweptAxis = {
  omit: ['context'],
  x: (trial) => trial.result.spec.contextTokens,
};

/** the bytes axis of the memory chart: peak RSS and the KV cache share it */
export const BYTES_AXIS = 'y';
export const PEAK_LINE = ' · peak RSS';
export const KV_LINE = ' · KV cache (exact)';

/** tokens, ascending */
export function distinctContexts(trials: readonly MeasuredTrial[]): number[] {
  return distinctX(trials, CONTEXT_AXIS);
}

/** Whether some configuration was measured at two or more contexts. */
export function hasContextSweep(trials: readonly MeasuredTrial[]): boolean {
  return hasSweep(trials, CONTEXT_AXIS);
}

/** TTFT (median, solid) and per-token p50 (dashed) against the context, ms. */
export function latencyContextData(trials: readonly MeasuredTrial[]): PairedLineData {
  return latencyLines(trials, CONTEXT_AXIS);
}

/**
 * Peak RSS (solid) with the exact KV-cache bytes beside it (dashed) against the context, bytes. Trials
 * without a peak (it was not read) are left out.
 */
export function memoryContextData(trials: readonly MeasuredTrial[]): PairedLineData {
  return pairedLineData(
    trials.filter((trial) => trial.result.peakRssBytes !== undefined),
    CONTEXT_AXIS,
    [
      { suffix: PEAK_LINE, yAxisID: BYTES_AXIS, y: (trial) => trial.result.peakRssBytes },
      { suffix: KV_LINE, yAxisID: BYTES_AXIS, y: (trial) => trial.result.kvCache?.exactBytes },
    ],
  );
}
