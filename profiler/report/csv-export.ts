import type { RunDocument } from '../api';
import { TRIAL_COLUMNS, trialRows, type Cell } from './report-metrics';

/**
 * The run as tidy CSV: one row per trial (see `trialEntries`), one column per configuration value or
 * metric, units in the column names. Numbers are written unrounded, as the document holds them.
 */

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, and its quotes are doubled. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  // A non-finite number is no measurement; an empty field says so to every CSV reader.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 records end in CRLF, the last one included. */
export function csvLine(values: readonly Cell[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function exportCsv(doc: RunDocument): string {
  const names = TRIAL_COLUMNS.map((column) => column.name);
  const rows = trialRows(doc).map((row) => csvLine(names.map((name) => row[name] ?? null)));
  return csvLine(names) + rows.join('');
}
