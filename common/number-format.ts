/**
 * Numbers as people read them, one wording for the CLI, the reports and the screens: counts, shares,
 * fixed decimals and a mean with its spread. Bytes and bandwidth are in units.ts.
 */

/** what a table shows where there is no number */
export const NO_VALUE = '—';
/**
 * What a table says of a metric its trial did not measure — an imported llama-bench pp record has no
 * decode tok/s, a tg record no prefill, neither has TTFT or memory — never a 0.
 */
export const NOT_MEASURED = 'not measured';

/** 33792 → "33,792": whole numbers (tokens, bytes per token) with separators. */
export function wholeNumber(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 140248512 → "140.2M", 1711376384 → "1.71B": parameter counts as model cards print them. */
export function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(2)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(1)}K`;
  return String(count);
}

/** tokens → "512", "4K", "32K" (K = 1024 tokens), or the count with separators when not a whole K. */
export function formatContext(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}K` : wholeNumber(tokens);
}

/** 0.4213 → "42.1%": a share (0–1) as a percentage, to `digits` decimals. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** `digits` decimals, or "—" where there is no finite number. */
export function formatFixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? NO_VALUE : value.toFixed(digits);
}

/**
 * A mean and its spread over repetitions: "12.3 ± 0.4"; with one repetition there is no spread, so
 * "12.3 (n = 1)" rather than a "± 0.0" that would read as perfectly quiet.
 */
export function formatMeanSd(
  stats: { n: number; mean: number; std: number },
  format: (value: number) => string,
): string {
  // n = 0: the repetitions were not recorded (llama-bench's CSV gives mean and sd alone)
  return stats.n > 1 || stats.n === 0
    ? `${format(stats.mean)} ± ${format(stats.std)}`
    : `${format(stats.mean)} (n = ${stats.n})`;
}
