import type { Stats } from '../api';

/** Linear-interpolated percentile (numpy's default), p in [0, 100]; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Mean, sample standard deviation (n − 1, as llama-bench), median, range and CV of the samples. */
export function summarize(samples: readonly number[]): Stats {
  const n = samples.length;
  if (n === 0)
    return {
      n: 0,
      mean: Number.NaN,
      std: Number.NaN,
      median: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      cv: Number.NaN,
    };
  const mean = samples.reduce((sum, value) => sum + value, 0) / n;
  const variance = n > 1 ? samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1) : 0;
  const std = Math.sqrt(variance);
  return {
    n,
    mean,
    std,
    median: percentile(samples, 50),
    min: Math.min(...samples),
    max: Math.max(...samples),
    cv: mean === 0 ? 0 : std / mean,
  };
}

/** A result whose repetitions disagree by more than this (CV) is flagged noisy. */
export const NOISY_CV = 0.05;
