import type { MeasuredTrial } from './compared-trial';
import { distinctX, hasSweep, pairedLineData, type PairedLineData, type SweptAxis } from './paired-lines';

/** Axis ids: TTFT (a whole prefill) and one decode step differ by an order of magnitude. */
export const TTFT_AXIS = 'yTtft';
export const TOKEN_AXIS = 'yToken';
/** the suffix of each pair's first line; the legend names the pair without it */
export const TTFT_LINE = ' · TTFT';
export const TOKEN_LINE = ' · p50 per token';

/**
 * Depth at one context: series keep their context, so a trial at the end of a 4K window and one at
 * depth 0 of the same window are one line, while other contexts are lines of their own.
 */
export const DEPTH_AXIS: SweptAxis = {
  omit: ['depth'],
  x: (trial) => trial.result.kvSetup?.depthTokens ?? trial.result.spec.depthTokens,
};

/** tokens, ascending */
export function distinctDepths(trials: readonly MeasuredTrial[]): number[] {
  return distinctX(trials, DEPTH_AXIS);
}

/** Whether some configuration ran at two or more depths of one context. */
export function hasDepthSweep(trials: readonly MeasuredTrial[]): boolean {
  return hasSweep(trials, DEPTH_AXIS);
}

/** TTFT (median, ms; solid) and per-token p50 (ms; dashed) against x, one pair of lines per series. */
export function latencyLines(trials: readonly MeasuredTrial[], axis: SweptAxis): PairedLineData {
  return pairedLineData(trials, axis, [
    { suffix: TTFT_LINE, yAxisID: TTFT_AXIS, y: (trial) => trial.result.summary.ttftMs?.median },
    { suffix: TOKEN_LINE, yAxisID: TOKEN_AXIS, y: (trial) => trial.result.summary.perTokenMs?.p50 },
  ]);
}

/** Latency against the cache depth (llama-bench -d), one pair of lines per configuration and context. */
export function latencyDepthData(trials: readonly MeasuredTrial[]): PairedLineData {
  return latencyLines(trials, DEPTH_AXIS);
}
