import type { TrialResult } from '../../../../profiler/api';
import type { LiveTrial } from '../../stores/live-run-store';
import { lastFinishedTrial } from '../live/live-series';

/** Decode tok/s now: 1000 / the mean of the last `window` decode steps (ms); null before the first step. */
export function decodeTokensPerSecond(stepMs: readonly number[], window = 8): number | null {
  const recent = stepMs.slice(-window).filter((ms) => Number.isFinite(ms) && ms > 0);
  if (recent.length === 0) return null;
  const mean = recent.reduce((sum, ms) => sum + ms, 0) / recent.length;
  return 1000 / mean;
}

/** TTFT (median ms) and peak RSS (bytes) of the last finished trial, with its label. */
export function lastTrialFacts(trials: readonly LiveTrial[]): {
  label: string | null;
  ttftMs: number | null;
  peakBytes: number | null;
} {
  const trial = lastFinishedTrial(trials);
  const result = trial?.result;
  const timeline = result?.memoryTimeline ?? [];
  const timelinePeak = timeline.length ? Math.max(...timeline.map((sample) => sample.rssBytes)) : null;
  return {
    label: trial?.label ?? null,
    ttftMs: result?.summary?.ttftMs?.median ?? null,
    peakBytes: result?.peakRssBytes ?? timelinePeak,
  };
}

/** A gauge's number: "—" when unknown, fewer decimals as it grows. */
export function formatGaugeNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Milliseconds each opened configuration stays on screen while demo mode cycles through the comparison. */
export const DEMO_CYCLE_MS = 8000;

/** A measured trial's headline numbers: decode tok/s and TTFT (medians), peak RSS (bytes). */
export function measuredTrialFacts(result: TrialResult): {
  decodeTokensPerSecond: number | null;
  ttftMs: number | null;
  peakBytes: number | null;
} {
  const timeline = result.memoryTimeline ?? [];
  const timelinePeak = timeline.length ? Math.max(...timeline.map((sample) => sample.rssBytes)) : null;
  return {
    decodeTokensPerSecond: result.summary?.decodeTokensPerSecond?.median ?? null,
    ttftMs: result.summary?.ttftMs?.median ?? null,
    peakBytes: result.peakRssBytes ?? timelinePeak,
  };
}
