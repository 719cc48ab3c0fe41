import type { Fit } from '../../../../profiler/api';

/** s → "45 s", "12 min", "2 h 5 min": estimates, so no finer than that. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 1) return 'under 1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** 140248512 → "140.2M", 1711376384 → "1.71B": parameter counts as model cards print them. */
export function formatParameters(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(2)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  return count.toLocaleString('en-US');
}

/** tokens → "512", "2K", "32K" (K = 1024 tokens), or the plain count when not a whole K. */
export function contextLabel(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}K` : String(tokens);
}

export const FIT_LABELS: Readonly<Record<Fit, string>> = {
  fits: 'fits',
  tight: 'tight',
  'will-not-fit': 'will not fit',
};
