import type { RunSummary } from '../../profiler/api';

/** A line of the runs list: a completed run of four trials, none failed, 2 KiB. */
export function runSummary(id: string, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `Run ${id}`,
    tags: [],
    status: 'completed',
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    trials: 4,
    planned: 4,
    failed: 0,
    sizeBytes: 2048,
    ...extra,
  };
}
