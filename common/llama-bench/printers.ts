import { inFieldOrder, LLAMA_BENCH_FIELDS, type LlamaBenchRecord } from './records';

/**
 * llama-bench's output formats (`-o md|csv|json|jsonl`), printed as records arrive: csv and jsonl a line
 * per record, md a table that grows, json the array at the end — each as llama-bench prints it.
 */

export const RECORD_FORMATS = ['md', 'csv', 'json', 'jsonl'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export interface RecordPrinter {
  /** what goes out before the first record (csv's header, md's header rows) */
  start(): string;
  /** one finished record's text ('' for json, which prints the array at the end) */
  record(record: LlamaBenchRecord): string;
  /** what closes the output (json's array, md's build footer) */
  end(): string;
}

/** A column of the Markdown table: its header and width as llama-bench prints them (negative: left-aligned). */
interface MarkdownColumn {
  header: string;
  width: number;
  value: (record: LlamaBenchRecord) => string;
}

/** "3.56 GiB", "129.00 MiB": llama-bench's model size */
export function modelSizeText(bytes: number | null): string {
  if (bytes === null) return 'not measured';
  return bytes < 1024 ** 3
    ? `${(bytes / 1024 ** 2).toFixed(2)} MiB`
    : `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** "140.25 M", "6.74 B": llama-bench's parameter count */
export function paramsText(params: number | null): string {
  if (params === null) return 'not measured';
  return params < 1e9 ? `${(params / 1e6).toFixed(2)} M` : `${(params / 1e9).toFixed(2)} B`;
}

/** settings beyond llama-bench's own that get a column when they vary among the records */
const VARYING: readonly MarkdownColumn[] = [
  { header: 'runtime', width: -11, value: (record) => record.runtime },
  { header: 'type_k', width: 6, value: (record) => record.type_k ?? '' },
  { header: 'type_v', width: 6, value: (record) => record.type_v ?? '' },
  { header: 'ctx', width: 7, value: (record) => (record.n_context === null ? '' : String(record.n_context)) },
  { header: 'device', width: -10, value: (record) => record.device_name ?? '' },
];

/**
 * llama-bench's table: `| model | size | params | backend | threads | (what varies) | test | t/s |`,
 * right-aligned numbers padded to llama-bench's widths, t/s as `mean ± sd` to two decimals. `varying`:
 * records the table will show (all of them, or a sweep's plan) — a setting gets a column where they differ.
 */
export function markdownColumns(varying: readonly Partial<LlamaBenchRecord>[]): MarkdownColumn[] {
  const differs = (column: MarkdownColumn): boolean =>
    new Set(varying.map((record) => column.value(record as LlamaBenchRecord))).size > 1;
  return [
    { header: 'model', width: -30, value: (record) => record.model_type },
    { header: 'size', width: 10, value: (record) => modelSizeText(record.model_size) },
    { header: 'params', width: 10, value: (record) => paramsText(record.model_n_params) },
    { header: 'backend', width: -10, value: (record) => record.backends },
    {
      header: 'threads',
      width: 7,
      value: (record) => (record.n_threads === null ? 'default' : String(record.n_threads)),
    },
    ...VARYING.filter(differs),
    { header: 'test', width: 15, value: (record) => record.test },
    {
      header: 't/s',
      width: 20,
      value: (record) => `${record.avg_ts.toFixed(2)} ± ${record.stddev_ts.toFixed(2)}`,
    },
  ];
}

function cell(text: string, width: number): string {
  return width < 0 ? text.padEnd(-width) : text.padStart(width);
}

function markdownLine(cells: readonly string[]): string {
  return `|${cells.map((text) => ` ${text} |`).join('')}\n`;
}

/** "build: edge-workbench 0.1.0@bf3f8a6": each build the records came from, as llama-bench's footer */
export function buildFooter(records: readonly LlamaBenchRecord[]): string {
  const builds = [...new Set(records.map((record) => record.build_commit))];
  return builds.length > 0 ? `\nbuild: ${builds.join(', ')}\n` : '';
}

/** RFC 4180 with every field quoted, as llama-bench writes its CSV; arrays are not CSV fields, so left out. */
function quoted(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return `"${text.replaceAll('"', '""')}"`;
}

const CSV_FIELDS = LLAMA_BENCH_FIELDS.filter((field) => field !== 'samples_ns' && field !== 'samples_ts');

/**
 * A printer of one format. `expected`: the records the output will hold, or a sweep's planned ones with
 * what is known before they run — md decides its columns from them before the first row.
 */
export function recordPrinter(
  format: RecordFormat,
  expected: readonly Partial<LlamaBenchRecord>[] = [],
): RecordPrinter {
  const printed: LlamaBenchRecord[] = [];
  switch (format) {
    case 'jsonl':
      return {
        start: () => '',
        record: (record) => `${JSON.stringify(inFieldOrder(record))}\n`,
        end: () => '',
      };
    case 'csv':
      return {
        start: () => `${CSV_FIELDS.join(',')}\n`,
        record: (record) => `${CSV_FIELDS.map((field) => quoted(record[field])).join(',')}\n`,
        end: () => '',
      };
    case 'json':
      return {
        start: () => '',
        record: (record) => {
          printed.push(record);
          return '';
        },
        end: () => `${JSON.stringify(printed.map(inFieldOrder), null, 2)}\n`,
      };
    case 'md': {
      const columns = markdownColumns(expected);
      return {
        start: () =>
          markdownLine(columns.map((column) => cell(column.header, column.width))) +
          markdownLine(
            columns.map(
              (column) => `${'-'.repeat(Math.abs(column.width) - 1)}${column.width > 0 ? ':' : '-'}`,
            ),
          ),
        record: (record) => {
          printed.push(record);
          return markdownLine(columns.map((column) => cell(column.value(record), column.width)));
        },
        end: () => buildFooter(printed),
      };
    }
    default: {
      const unknown: never = format;
      throw new Error(`Unknown output format "${String(unknown)}": use one of ${RECORD_FORMATS.join(', ')}.`);
    }
  }
}

/** A whole set of records in one format: what `report -o` and `runs show -o` print. */
export function printRecords(format: RecordFormat, records: readonly LlamaBenchRecord[]): string {
  const printer = recordPrinter(format, records);
  return printer.start() + records.map((record) => printer.record(record)).join('') + printer.end();
}
