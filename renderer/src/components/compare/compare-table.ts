import type { TrialResult } from '../../../../profiler/api';
import { formatBytes, formatGBps } from '../../../../common/units';
import { formatFixed, formatMeanSd, NO_VALUE, NOT_MEASURED } from '../../../../common/number-format';
import type { ComparedTrial } from '../../charts/compared-trial';
import type { MetricId } from '../../../../common/metric-glossary';
import { trialLabel } from '../../../../common/labels';
import {
  bandwidthText,
  depthText,
  fillText,
  kvBufferText,
  peakRssSourceText,
  resultNotes,
  rooflineUnavailableText,
} from '../../../../common/trial-setup';

/** The compare table's columns: every metric with its unit, and how to sort by it. */

export type ColumnId =
  | 'configuration'
  | 'depth'
  | 'fill'
  | 'buffer'
  | 'decode'
  | 'prefill'
  | 'ttft'
  | 'p50'
  | 'p99'
  | 'sampling'
  | 'peakRss'
  | 'rssSource'
  | 'kv'
  | 'weights'
  | 'bandwidth'
  | 'efficiency'
  | 'notes'
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
  /** the whole story behind a short cell, shown on hover */
  title?: (trial: ComparedTrial) => string | undefined;
  /** 'setting': a short text kept on one line; 'prose': sentences, given room to wrap */
  className?: 'setting' | 'prose';
}

function bytes(value: number | undefined): string {
  return value === undefined ? NO_VALUE : formatBytes(value);
}

type Summary = NonNullable<TrialResult['summary']>;
const summaryOf = (trial: ComparedTrial): Summary | undefined => trial.result.summary;

/** mean ± sd over the repetitions, "(n = 1)" for a single one; sorted by the mean */
function rate(pick: (summary: Summary) => Summary['decodeTokensPerSecond']) {
  return {
    sortValue: (trial: ComparedTrial) => {
      const summary = summaryOf(trial);
      return summary ? (pick(summary)?.mean ?? null) : null;
    },
    cell: (trial: ComparedTrial) => {
      const summary = summaryOf(trial);
      if (!summary) return NO_VALUE;
      const stats = pick(summary);
      return stats ? formatMeanSd(stats, (value) => formatFixed(value, 1)) : NOT_MEASURED;
    },
  };
}

/** A configuration text column: sorted as text, the same for failed trials (they ran it too). */
function setting(text: (result: TrialResult) => string) {
  return {
    numeric: false,
    className: 'setting' as const,
    sortValue: (trial: ComparedTrial) => text(trial.result),
    cell: (trial: ComparedTrial) => text(trial.result),
  };
}

function number(value: (trial: ComparedTrial) => number | undefined, show: (value: number) => string) {
  return {
    sortValue: (trial: ComparedTrial) => value(trial) ?? null,
    cell: (trial: ComparedTrial) => {
      const found = value(trial);
      return found === undefined ? NO_VALUE : show(found);
    },
  };
}

/** A summary figure: "not measured" where the trial has a summary without it (an imported pp or tg record). */
function summaryNumber(value: (summary: Summary) => number | undefined, show: (value: number) => string) {
  return {
    sortValue: (trial: ComparedTrial) => {
      const summary = summaryOf(trial);
      return (summary && value(summary)) ?? null;
    },
    cell: (trial: ComparedTrial) => {
      const summary = summaryOf(trial);
      if (!summary) return NO_VALUE;
      const found = value(summary);
      return found === undefined ? NOT_MEASURED : show(found);
    },
  };
}

/**
 * "ok", "ok · noisy", "ok · n = 1", "failed (out-of-memory)". One repetition has no spread: it is
 * neither noisy nor quiet, and says so.
 */
export function statusText(result: TrialResult): string {
  if (result.status === 'failed') return `failed (${result.failure?.kind ?? 'error'})`;
  const summary = result.summary;
  if (summary && (summary.decodeTokensPerSecond ?? summary.prefillTokensPerSecond)?.n === 1)
    return 'ok · n = 1';
  return summary?.noisy ? 'ok · noisy' : 'ok';
}

/**
 * "61.4 GB/s · GEMV 24.8 GB/s": the bound's streaming read with onnxruntime's kernel beside it; "not
 * measured" without a roofline (the cell's title and the roofline chart say why).
 */
export function bandwidthCell(result: TrialResult): string {
  const roofline = result.roofline;
  if (!roofline) return result.status === 'failed' ? NO_VALUE : 'not measured';
  const kernel = roofline.kernelBandwidthBytesPerSecond;
  const bound = formatGBps(roofline.bandwidthBytesPerSecond);
  return kernel === undefined ? bound : `${bound} · GEMV ${formatGBps(kernel)}`;
}

/** "VmHWM ✓" when the timeline agreed with the high-water mark, "timeline ✗" when its top was reported. */
export function rssSourceCell(result: TrialResult): string {
  const check = result.peakRss;
  if (!check) return result.peakRssBytes === undefined ? NO_VALUE : 'maxRSS (schema 1)';
  return check.consistent ? `${check.source} ✓` : `timeline (${check.source} ✗)`;
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
    id: 'depth',
    header: 'depth',
    unit: 'tokens',
    metric: 'contextDepth',
    ...setting((result) => depthText(result.spec, result)),
    // numbers first, so 512 sorts before 4096
    sortValue: (trial) => trial.result.kvSetup?.depthTokens ?? trial.result.spec.depthTokens,
  },
  { id: 'fill', header: 'fill', metric: 'fill', ...setting((result) => fillText(result.spec, result)) },
  {
    id: 'buffer',
    header: 'KV buffer',
    metric: 'kvBuffer',
    ...setting((result) => kvBufferText(result.spec, result)),
  },
  {
    id: 'decode',
    header: 'decode tok/s',
    unit: 'mean ± sd',
    metric: 'decodeTokensPerSecond',
    numeric: true,
    ...rate((summary) => summary.decodeTokensPerSecond),
  },
  {
    id: 'prefill',
    header: 'prefill tok/s',
    unit: 'mean ± sd',
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
    ...summaryNumber(
      (summary) => summary.ttftMs?.median,
      (value) => formatFixed(value, 1),
    ),
  },
  {
    id: 'p50',
    header: 'p50 per token',
    unit: 'ms',
    metric: 'perTokenLatency',
    numeric: true,
    ...summaryNumber(
      (summary) => summary.perTokenMs?.p50,
      (value) => formatFixed(value, 2),
    ),
  },
  {
    id: 'p99',
    header: 'p99 per token',
    unit: 'ms',
    metric: 'perTokenLatency',
    numeric: true,
    ...summaryNumber(
      (summary) => summary.perTokenMs?.p99,
      (value) => formatFixed(value, 2),
    ),
  },
  {
    id: 'sampling',
    header: 'sampling',
    unit: 'ms, p50',
    metric: 'samplingTime',
    numeric: true,
    // schema 1 had no separate sampling time: it was inside each step
    ...number(
      (trial) => summaryOf(trial)?.samplingMs?.p50,
      (value) => formatFixed(value, 3),
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
    id: 'rssSource',
    header: 'peak RSS source',
    metric: 'peakRss',
    ...setting(rssSourceCell),
    title: (trial) => peakRssSourceText(trial.result) ?? undefined,
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
    id: 'bandwidth',
    header: 'bandwidth',
    unit: 'bound · GEMV',
    metric: 'rooflineBound',
    numeric: false,
    className: 'setting',
    sortValue: (trial) => trial.result.roofline?.bandwidthBytesPerSecond ?? null,
    cell: (trial) => bandwidthCell(trial.result),
    title: (trial) => (trial.result.status === 'failed' ? undefined : bandwidthText(trial.result)),
  },
  {
    id: 'efficiency',
    header: 'roofline efficiency',
    unit: '% of bound',
    metric: 'rooflineBound',
    numeric: true,
    sortValue: (trial) => trial.result.roofline?.efficiency ?? null,
    cell: (trial) => {
      const roofline = trial.result.roofline;
      if (roofline) return `${formatFixed(roofline.efficiency * 100, 0)} %`;
      return trial.result.rooflineUnavailable === undefined ? NO_VALUE : 'not measured';
    },
    title: (trial) =>
      trial.result.roofline || trial.result.rooflineUnavailable === undefined
        ? undefined
        : rooflineUnavailableText(trial.result),
  },
  {
    id: 'notes',
    header: 'notes',
    metric: 'logitsCost',
    numeric: false,
    className: 'prose',
    sortValue: (trial) => resultNotes(trial.result).join('; ') || null,
    cell: (trial) => resultNotes(trial.result).join('; '),
  },
  {
    id: 'status',
    header: 'status',
    numeric: false,
    sortValue: (trial) => statusText(trial.result),
    cell: (trial) => statusText(trial.result),
    title: (trial) => trial.result.failure?.message,
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
