/**
 * What a report says, as format-neutral blocks: profiler/report builds them once and renders them as
 * Markdown and HTML; the CLI, handed them by the engine, lays them out as terminal text. Types only, so
 * every door may read them.
 */

export interface ReportTable {
  headers: string[];
  /** cells as shown, already rounded */
  rows: string[][];
  /** right-align these columns (numbers) */
  numeric: boolean[];
  /** HTML only: an extra class for each cell, by row then column (e.g. a verdict's fit) */
  cellClasses?: (string | undefined)[][];
}

export type ReportBlock =
  | { kind: 'text'; text: string }
  /** secondary text: assumptions, bases, footnotes */
  | { kind: 'note'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; table: ReportTable }
  | { kind: 'list'; items: string[] }
  /** chart ids (profiler/report/analysis-charts.ts); formats without charts skip them */
  | { kind: 'charts'; ids: string[] };

export interface ReportSection {
  /** HTML element id */
  id: string;
  title: string;
  blocks: ReportBlock[];
}
