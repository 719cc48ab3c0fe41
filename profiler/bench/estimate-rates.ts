import type { Fit } from '../api';
import { TIGHT_SHARE } from '../../common/analysis/fit-verdict';

/**
 * The rough rates both runtimes' time estimates use: a plan's time is a guide for the user, not a
 * measurement, so one set of assumptions serves onnxruntime and llama.cpp alike.
 */

/** share of the measured memory bandwidth a decode step reaches (memory-bound: weights + KV read once) */
export const DECODE_BANDWIDTH_SHARE = 0.6;

/** FLOP/s a prefill (or a fill by the model) reaches on a small CPU: 2 FLOP per parameter per token */
export const PREFILL_FLOPS_PER_SECOND = 20e9;

/** s to run `tokens` tokens of prefill through a model of `parameters` parameters */
export function prefillSeconds(tokens: number, parameters: number): number {
  return (tokens * 2 * parameters) / PREFILL_FLOPS_PER_SECOND;
}

/** s for `steps` decode steps that each read `stepBytes` bytes at `bandwidthBytesPerSecond` */
export function decodeSeconds(steps: number, stepBytes: number, bandwidthBytesPerSecond: number): number {
  return (steps * stepBytes) / (DECODE_BANDWIDTH_SHARE * bandwidthBytesPerSecond);
}

/** How an estimated peak sits in the memory budget (no budget: fits). */
export function budgetFit(peakBytes: number, budgetBytes: number | undefined): Fit {
  if (budgetBytes === undefined) return 'fits';
  return peakBytes > budgetBytes ? 'will-not-fit' : peakBytes > TIGHT_SHARE * budgetBytes ? 'tight' : 'fits';
}
