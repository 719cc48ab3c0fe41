import type { LlamaBenchRecord } from './records';
import type { RecordFormat } from './printers';

/**
 * Runs side by side as llama.cpp's `compare-llama-bench.py` puts builds: per matching configuration each
 * run's value and the speed-up against the first run — decode and prefill tok/s, TTFT and peak memory.
 */

/** fields a configuration is matched on; `test` (pp512, tg128 @ d512) is always one of them */
export const MATCH_FIELDS = ['model', 'threads', 'backend', 'runtime', 'kv', 'context'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];
export const DEFAULT_MATCH: readonly MatchField[] = ['model', 'threads'];

const MATCH_VALUE: Readonly<Record<MatchField, (record: LlamaBenchRecord) => string>> = {
  model: (record) => record.model_type,
  threads: (record) => (record.n_threads === null ? 'default' : String(record.n_threads)),
  backend: (record) => record.backends,
  runtime: (record) => record.runtime,
  kv: (record) => record.type_k ?? '',
  context: (record) => (record.n_context === null ? '' : String(record.n_context)),
};

interface Metric {
  name: string;
  unit: string;
  /** true: more is better (a rate), so the speed-up is B ÷ A; false: A ÷ B (time, memory) */
  higherIsBetter: boolean;
  value: (record: LlamaBenchRecord) => number | null;
  /** which records carry it: pp records their prefill, TTFT and memory; tg records their decode */
  of: 'pp' | 'tg';
}

const METRICS: readonly Metric[] = [
  { name: 'decode', unit: 't/s', higherIsBetter: true, value: (record) => record.avg_ts, of: 'tg' },
  { name: 'prefill', unit: 't/s', higherIsBetter: true, value: (record) => record.avg_ts, of: 'pp' },
  { name: 'TTFT', unit: 'ms', higherIsBetter: false, value: (record) => record.ttft_ms, of: 'pp' },
  {
    name: 'peak RSS',
    unit: 'MiB',
    higherIsBetter: false,
    value: (record) => (record.peak_rss_bytes === null ? null : record.peak_rss_bytes / 2 ** 20),
    of: 'pp',
  },
];

export interface ComparedRun {
  /** how the run is named in the table: its name, or its id where names repeat */
  label: string;
  records: readonly LlamaBenchRecord[];
}

export interface ComparisonRow {
  /** the matched fields' values, then the test */
  configuration: Record<string, string>;
  test: string;
  metric: string;
  unit: string;
  /** per run, in order; null: that run did not measure it (or has no such configuration) */
  values: (number | null)[];
  /**
   * per run after the first: how many times better than the first (× faster for t/s and TTFT, × less
   * memory for peak RSS); null where either value is missing
   */
  speedups: (number | null)[];
}

/** Rows for every configuration and test found in any run, in the order the runs list them. */
export function compareRuns(
  runs: readonly ComparedRun[],
  match: readonly MatchField[] = DEFAULT_MATCH,
): ComparisonRow[] {
  const keyOf = (record: LlamaBenchRecord): string =>
    JSON.stringify([...match.map((field) => MATCH_VALUE[field](record)), record.test]);
  const order: { key: string; record: LlamaBenchRecord }[] = [];
  const byRun = runs.map((run) => {
    const found = new Map<string, LlamaBenchRecord>();
    for (const record of run.records) {
      const key = keyOf(record);
      if (found.has(key)) continue; // a configuration measured twice in one run: its first record
      found.set(key, record);
      if (!order.some((entry) => entry.key === key)) order.push({ key, record });
    }
    return found;
  });
  const rows: ComparisonRow[] = [];
  for (const { key, record } of order) {
    const kind = record.n_gen > 0 ? 'tg' : 'pp';
    for (const metric of METRICS.filter((candidate) => candidate.of === kind)) {
      const values = byRun.map((found) => {
        const matched = found.get(key);
        return matched ? metric.value(matched) : null;
      });
      if (values.every((value) => value === null)) continue;
      const first = values[0] ?? null;
      rows.push({
        configuration: Object.fromEntries(match.map((field) => [field, MATCH_VALUE[field](record)])),
        test: record.test,
        metric: metric.name,
        unit: metric.unit,
        values,
        speedups: values.slice(1).map((value) => {
          if (value === null || first === null || value === 0 || first === 0) return null;
          return metric.higherIsBetter ? value / first : first / value;
        }),
      });
    }
  }
  return rows;
}

const valueText = (value: number | null): string => (value === null ? 'not measured' : value.toFixed(2));
const speedupText = (value: number | null): string => (value === null ? '—' : value.toFixed(2));

function markdownTable(
  headers: readonly string[],
  right: readonly boolean[],
  rows: readonly string[][],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, 3, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]): string =>
    `|${cells.map((cell, column) => ` ${right[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)} |`).join('')}\n`;
  return (
    line(headers) +
    line(widths.map((width, column) => `${'-'.repeat(width - 1)}${right[column] ? ':' : '-'}`)) +
    rows.map(line).join('')
  );
}

/** The comparison in one of llama-bench's formats: md as compare-llama-bench.py's table, or records. */
export function printComparison(
  format: RecordFormat,
  runs: readonly ComparedRun[],
  rows: readonly ComparisonRow[],
): string {
  const labels = runs.map((run) => run.label);
  const flat = rows.map((row) => ({
    ...row.configuration,
    test: row.test,
    metric: `${row.metric} ${row.unit}`,
    ...Object.fromEntries(labels.map((label, index) => [label, row.values[index] ?? null])),
    ...Object.fromEntries(
      labels.slice(1).map((label, index) => [`${label} vs ${labels[0]}`, row.speedups[index] ?? null]),
    ),
  }));
  switch (format) {
    case 'json':
      return `${JSON.stringify(flat, null, 2)}\n`;
    case 'jsonl':
      return flat.map((row) => `${JSON.stringify(row)}\n`).join('');
    case 'csv': {
      const headers = Object.keys(flat[0] ?? { test: '' });
      const quoted = (value: unknown): string =>
        `"${(value === null || value === undefined ? '' : String(value)).replaceAll('"', '""')}"`;
      return [
        headers,
        ...flat.map((row) => headers.map((header) => (row as Record<string, unknown>)[header])),
      ]
        .map((cells, index) => (index === 0 ? cells.join(',') : cells.map(quoted).join(',')))
        .join('\n')
        .concat('\n');
    }
    case 'md': {
      const configurationHeaders = Object.keys(rows[0]?.configuration ?? {});
      const headers = [
        ...configurationHeaders,
        'test',
        'metric',
        ...labels,
        ...labels.slice(1).map((label) => `speed-up ${label}`),
      ];
      const right = headers.map((_, column) => column >= configurationHeaders.length + 2);
      const cells = rows.map((row) => [
        ...configurationHeaders.map((header) => row.configuration[header] ?? ''),
        row.test,
        `${row.metric} ${row.unit}`,
        ...row.values.map(valueText),
        ...row.speedups.map(speedupText),
      ]);
      const note =
        labels.length > 1
          ? `\nspeed-up: how many times better than ${labels[0]} (t/s: B ÷ A; TTFT and peak RSS: A ÷ B). Matched on ${[...configurationHeaders, 'test'].join(', ')}.\n`
          : '';
      return markdownTable(headers, right, cells) + note;
    }
    default: {
      const unknown: never = format;
      throw new Error(`Unknown output format "${String(unknown)}".`);
    }
  }
}
