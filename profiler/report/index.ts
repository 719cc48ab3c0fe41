import { ExportFormatSchema, type ExportFormat, type RunDocument } from '../api';
import { exportCsv } from './csv-export';
import { exportHtml, type HtmlExportOptions } from './html-export';
import { exportJson } from './json-export';
import { printRecords, runRecords } from '../../common/llama-bench';
import { exportMarkdown, type MarkdownExportOptions } from './markdown-export';

/** A run document out as a file people read or tools load: one function per format. */

export const EXPORT_FORMATS = ExportFormatSchema.options;
export type { ExportFormat };

/** The file name an export is saved under, from the run's file-name-safe id. */
export function exportFileName(doc: RunDocument, format: ExportFormat): string {
  return `${doc.id}.${format}`;
}

/** MIME type of each format, for serve's downloads and save dialogs. */
export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
};

/**
 * Options of every format; each reads its own. `analysis` (the run judged against device targets) adds
 * sections to HTML and Markdown; CSV and JSON stay the run document's own data.
 */
export type RenderOptions = HtmlExportOptions & MarkdownExportOptions;

export function exportRun(doc: RunDocument, format: ExportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'html':
      return exportHtml(doc, options);
    case 'md':
      return exportMarkdown(doc, options);
    case 'csv':
      return exportCsv(doc);
    case 'json':
      return exportJson(doc);
    case 'jsonl':
      // llama-bench's records of the run's tests (its field names, then ours), as `-o jsonl` prints them
      return printRecords('jsonl', runRecords(doc));
    default: {
      const unknown: never = format;
      throw new Error(`Unknown export format "${String(unknown)}": use one of ${EXPORT_FORMATS.join(', ')}.`);
    }
  }
}

export { csvField, csvLine, exportCsv } from './csv-export';
export {
  escapeHtml,
  exportHtml,
  jsonForScript,
  loadChartJsBundle,
  type HtmlExportOptions,
} from './html-export';
export { exportJson } from './json-export';
export { exportMarkdown, markdownTable, markdownText, type MarkdownExportOptions } from './markdown-export';
export { ANALYSIS_CHART_IDS, analysisCharts } from './analysis-charts';
export { analysisSections, type AnalysisSectionOptions } from './analysis-sections';
export {
  goalText,
  kvBytesTable,
  kvFitTable,
  targetNotes,
  targetsTable,
  verdictCell,
} from './analysis-tables';
export {
  REPORT_CONVENTIONS,
  SYNTHETIC_QUALITY_NOTE,
  TRIAL_COLUMNS,
  trialEntries,
  trialRows,
  type Cell,
  type TrialColumn,
  type TrialEntry,
  type TrialEntryStatus,
  type TrialRow,
} from './report-metrics';
