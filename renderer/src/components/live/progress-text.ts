import type { RunStatus } from '../../../../profiler/api';

/** s → "45 s", "3 min 20 s", "1 h 5 min"; null (not known yet) → "estimating…". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating…';
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours > 0) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  const rest = total % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** The line under the progress bar: "3 of 12 · ETA 4 min 10 s" while running, the outcome once it ended. */
export function progressText(
  finished: number,
  total: number,
  status: RunStatus | 'idle',
  etaSeconds: number | null,
): string {
  const count = `${finished} of ${total}`;
  if (status === 'running' || status === 'planned') return `${count} · ETA ${formatEta(etaSeconds)}`;
  if (status === 'idle') return count;
  return `${count} · ${status}`;
}
