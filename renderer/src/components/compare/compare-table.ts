import type { TrialResult } from '../../../../profiler/api';
import { formatBytes } from '../../../../profiler/api/units';
import type { ComparedTrial } from '../../charts/compared-trial';
import type { MetricId } from '../../format/metric-definitions';
import { trialLabel } from '../../format/trial-label';

/** The compare table's columns: every metric with its unit, and how to sort by it. */

export type ColumnId =
  | 'configuration'
  | 'decode'
  | 'prefill'
  | 'ttft'
  | 'p50'
  | 'p99'
  | 'peakRss'
  | 'kv'
  | 'weights'
  | 'efficiency'
  | 'status';

export interface CompareColumn {
  id: ColumnId;
  /** the metric's name as people know it */
  header: string;
  /** shown after the header; byte columns carry their unit in each cell */
  unit?: string;
  /** whose definition the header shows on hover */
  metric?: MetricId;
  numeric: boolean;
  /** null sorts last either way: a failed trial has no numbers */
  sortValue: (trial: ComparedTrial) => number | string | null;
  cell: (trial: ComparedTrial) => string;
}

const MISSING = '—';

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? MISSING : value.toFixed(digits);
}

function bytes(value: number | undefined): string {
  return value === undefined ? MISSING : formatBytes(value);
}

type Summary = NonNullable<TrialResult['summary']>;
const summaryOf = (trial: ComparedTrial): Summary | undefined => trial.result.summary;

function rate(pick: (summary: Summary) => Summary['decodeTokensPerSecond']) {
  return {
    sortValue: (trial: ComparedTrial) => {
      const summary = summaryOf(trial);
      return summary ? pick(summary).median : null;
    },
    cell: (trial: ComparedTrial) => {
      const summary = summaryOf(trial);
      if (!summary) return MISSING;
      const stats = pick(summary);
      return `${fixed(stats.median, 1)} ± ${fixed(stats.std, 1)}`;
    },
  };
}

function number(value: (trial: ComparedTrial) => number | undefined, show: (value: number) => string) {
  return {
    sortValue: (trial: ComparedTrial) => value(trial) ?? null,
    cell: (trial: ComparedTrial) => {
      const found = value(trial);
      return found === undefined ? MISSING : show(found);
    },
  };
}

/** "ok", "ok · noisy", "failed (out-of-memory)" */
export function statusText(result: TrialResult): string {
  if (result.status === 'failed') return `failed (${result.failure?.kind ?? 'error'})`;
  return result.summary?.noisy ? 'ok · noisy' : 'ok';
}

export const COMPARE_COLUMNS: readonly CompareColumn[] = [
  {
    id: 'configuration',
    header: 'Configuration',
    numeric: false,
    sortValue: (trial) => trialLabel(trial.result.spec),
    cell: (trial) => trialLabel(trial.result.spec),
  },
  {
    id: 'decode',
    header: 'decode tok/s',
    unit: 'median ± sd',
    metric: 'decodeTokensPerSecond',
    numeric: true,
    ...rate((summary) => summary.decodeTokensPerSecond),
  },
  {
    id: 'prefill',
    header: 'prefill tok/s',
    unit: 'median ± sd',
    metric: 'prefillTokensPerSecond',
    numeric: true,
    ...rate((summary) => summary.prefillTokensPerSecond),
  },
  {
    id: 'ttft',
    header: 'TTFT',
    unit: 'ms, median',
    metric: 'ttft',
    numeric: true,
    ...number(
      (trial) => summaryOf(trial)?.ttftMs.median,
      (value) => fixed(value, 1),
    ),
  },
  {
    id: 'p50',
    header: 'p50 per token',
    unit: 'ms',
    metric: 'perTokenLatency',
    numeric: true,
    ...number(
      (trial) => summaryOf(trial)?.perTokenMs.p50,
      (value) => fixed(value, 2),
    ),
  },
  {
    id: 'p99',
    header: 'p99 per token',
    unit: 'ms',
    metric: 'perTokenLatency',
    numeric: true,
    ...number(
      (trial) => summaryOf(trial)?.perTokenMs.p99,
      (value) => fixed(value, 2),
    ),
  },
  {
    id: 'peakRss',
    header: 'peak RSS',
    metric: 'peakRss',
    numeric: true,
    ...number((trial) => trial.result.peakRssBytes, bytes),
  },
  {
    id: 'kv',
    header: 'KV cache',
    metric: 'kvCacheBytes',
    numeric: true,
    ...number((trial) => trial.result.kvCache?.exactBytes, bytes),
  },
  {
    id: 'weights',
    header: 'weights',
    metric: 'weightsBytes',
    numeric: true,
    ...number((trial) => trial.result.model?.weightsBytes, bytes),
  },
  {
    id: 'efficiency',
    header: 'roofline efficiency',
    unit: '% of bound',
    metric: 'rooflineBound',
    numeric: true,
    ...number(
      (trial) => trial.result.roofline?.efficiency,
      (value) => `${fixed(value * 100, 0)} %`,
    ),
  },
  {
    id: 'status',
    header: 'status',
    numeric: false,
    sortValue: (trial) => statusText(trial.result),
    cell: (trial) => statusText(trial.result),
  },
];

export type SortDirection = 'ascending' | 'descending';

/** A sorted copy; trials without the value go last in both directions, ties keep their order. */
export function sortTrials(
  trials: readonly ComparedTrial[],
  column: CompareColumn,
  direction: SortDirection,
): ComparedTrial[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return trials
    .map((trial, index) => ({ trial, index, value: column.sortValue(trial) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      }
      const order =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : String(a.value).localeCompare(String(b.value), undefined, { numeric: true });
      return order * sign || a.index - b.index;
    })
    .map(({ trial }) => trial);
}
