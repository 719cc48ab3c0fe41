/** Decode tok/s now: 1000 / the mean of the last `window` decode steps (ms); null before the first step. */
export function decodeTokensPerSecond(stepMs: readonly number[], window = 8): number | null {
  const recent = stepMs.slice(-window).filter((ms) => Number.isFinite(ms) && ms > 0);
  if (recent.length === 0) return null;
  const mean = recent.reduce((sum, ms) => sum + ms, 0) / recent.length;
  return 1000 / mean;
}

/** A gauge's number: "—" when unknown, fewer decimals as it grows. */
export function formatGaugeNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
