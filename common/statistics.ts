import type { Repetition, Stats, TrialResult } from './schemas/trial';

/**
 * The statistics every measured trial is summarized with: the engine's trial runner, and the tests'
 * document builders, which must write the summaries the engine would (so they are not copied there).
 */

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

export type TrialSummary = NonNullable<TrialResult['summary']>;
/** A summary measured here: every figure present (only imported llama-bench records lack some). */
export type MeasuredSummary = Required<
  Pick<TrialSummary, 'ttftMs' | 'prefillTokensPerSecond' | 'decodeTokensPerSecond' | 'perTokenMs'>
> &
  TrialSummary;

const meanOf = (samples: readonly number[]): number =>
  samples.reduce((sum, value) => sum + value, 0) / samples.length;

/**
 * A trial's summary from its timed repetitions: each rate and TTFT over the repetitions, per-token
 * latency and sampling over every decode step of every repetition, noisy when decode or prefill
 * tok/s disagree by more than NOISY_CV (never with one repetition, which has no spread).
 */
export function summarizeRepetitions(repetitions: readonly Repetition[]): MeasuredSummary {
  const decode = summarize(repetitions.map((rep) => rep.decodeTokensPerSecond));
  const prefill = summarize(repetitions.map((rep) => rep.prefillTokensPerSecond));
  const steps = repetitions.flatMap((rep) => rep.decodeStepMs);
  const sampling = repetitions.flatMap((rep) => rep.samplingMs ?? []);
  return {
    ttftMs: summarize(repetitions.map((rep) => rep.ttftMs)),
    prefillTokensPerSecond: prefill,
    decodeTokensPerSecond: decode,
    perTokenMs: {
      p50: percentile(steps, 50),
      p90: percentile(steps, 90),
      p99: percentile(steps, 99),
      mean: meanOf(steps),
    },
    ...(sampling.length > 0
      ? { samplingMs: { p50: percentile(sampling, 50), mean: meanOf(sampling), max: Math.max(...sampling) } }
      : {}),
    noisy: decode.n > 1 && (decode.cv > NOISY_CV || prefill.cv > NOISY_CV),
  };
}
