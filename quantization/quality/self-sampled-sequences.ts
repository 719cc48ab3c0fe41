import type { DecoderRunner } from '../../profiler/runtime/decoder-runner';

/**
 * Sequences the reference model writes itself: from a start token, each next token drawn from the
 * model's own next-token distribution at temperature 1 with a seeded generator. Such text is
 * in-distribution for the model (it is what the model says), needs no dataset, and is the same on every
 * machine for one model and seed. Both models then read these sequences.
 */

/** mulberry32: a small, well-mixed 32-bit generator; uniform in [0, 1). */
function uniformStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw from softmax(logits / temperature), in float64 with the maximum subtracted. */
export function sampleToken(logits: Float32Array, temperature: number, uniform: number): number {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i += 1) {
    weights[i] = Math.exp((logits[i]! - max) / temperature);
    total += weights[i]!;
  }
  let target = uniform * total;
  for (let i = 0; i < weights.length; i += 1) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return logits.length - 1; // rounding left a sliver past the last weight
}

export interface SelfSamplingRequest {
  sequences: number;
  /** tokens per sequence, the start token included */
  positions: number;
  seed: number;
  temperature: number;
  /** where each sequence starts (one id per sequence) */
  startTokenIds: readonly number[];
}

export async function selfSampledSequences(
  runner: DecoderRunner,
  request: SelfSamplingRequest,
): Promise<number[][]> {
  const sequences: number[][] = [];
  for (let index = 0; index < request.sequences; index += 1) {
    const next = uniformStream((request.seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0);
    runner.reset();
    const ids = [request.startTokenIds[index]!];
    let logits = await runner.nextTokenLogits(ids);
    while (ids.length < request.positions) {
      const token = sampleToken(logits, request.temperature, next());
      ids.push(token);
      if (ids.length < request.positions) logits = await runner.nextTokenLogits([token]);
    }
    sequences.push(ids);
  }
  runner.reset();
  return sequences;
}
