import type { RunAnalysis, RunDocument } from '../api';
import type { ReportBlock, ReportTable } from '../../common/report-blocks';
import { analysisSections } from './analysis-sections';
import { runtimeSection } from './runtime-section';
import { REPORT_CONVENTIONS, SYNTHETIC_QUALITY_NOTE, resultsIntro } from './report-metrics';
import {
  definitionsTable,
  environmentTable,
  hasSyntheticQuality,
  measuredTrials,
  memoryTable,
  problemsTable,
  qualityTable,
  resultsTable,
  runFactsTable,
  settingsTable,
  setupTable,
} from './report-tables';

/**
 * The run as a Markdown report in llama-bench's style (`t/s ± sd` tables), for pasting into issues,
 * READMEs and pull requests.
 */

/**
 * Text from the document inside Markdown: `|` would end a table cell and a newline a row; `<` and `&`
 * are entity-escaped so renderers that allow raw HTML show the text instead of running it.
 */
export function markdownText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('|', '\\|')
    .replace(/\r\n|\r|\n/g, ' ');
}

export function markdownTable(table: ReportTable): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(table.headers.map(markdownText)),
    line(table.numeric.map((numeric) => (numeric ? '---:' : '---'))),
    ...table.rows.map((row) => line(row.map(markdownText))),
  ].join('\n');
}

function section(title: string, ...blocks: string[]): string {
  return [`## ${title}`, ...blocks].join('\n\n');
}

/** An analysis section's blocks as Markdown; charts are the HTML report's, so they are left out. */
function markdownBlocks(blocks: readonly ReportBlock[]): string[] {
  return blocks.flatMap((block) => {
    switch (block.kind) {
      case 'text':
        return [markdownText(block.text)];
      case 'note':
        return [`> ${markdownText(block.text)}`];
      case 'heading':
        return [`### ${markdownText(block.text)}`];
      case 'table':
        return [markdownTable(block.table)];
      case 'list':
        return [block.items.map((item) => `- ${markdownText(item)}`).join('\n')];
      case 'charts':
        return [];
      default: {
        const unknown: never = block;
        throw new Error(`Unknown report block ${JSON.stringify(unknown)}`);
      }
    }
  });
}

export interface MarkdownExportOptions {
  /** the run judged against device targets (computed by the caller): adds the analysis sections */
  analysis?: RunAnalysis;
}

export function exportMarkdown(doc: RunDocument, options: MarkdownExportOptions = {}): string {
  const trials = measuredTrials(doc);
  const problems = problemsTable(doc);
  const quality = qualityTable(doc);
  const sweep = doc.sweep;
  const parts = [
    `# ${markdownText(doc.name || doc.id)}`,
    'Edge LLM Workbench run report.',
    markdownTable(runFactsTable(doc)),
    section('Environment', markdownTable(environmentTable(doc))),
    section('Sweep settings', markdownTable(settingsTable(doc))),
    section(
      'Results',
      markdownText(resultsIntro(sweep)),
      trials.length > 0 ? markdownTable(resultsTable(trials)) : 'No trial finished successfully.',
      ...(trials.length > 0
        ? [
            '### What each trial ran',
            markdownTable(setupTable(trials)),
            '### Load, memory and roofline',
            markdownTable(memoryTable(trials)),
          ]
        : []),
    ),
    ...[runtimeSection(doc)].flatMap((runtimes) =>
      runtimes ? [section(runtimes.title, ...markdownBlocks(runtimes.blocks))] : [],
    ),
    section(
      'Failed and skipped trials',
      problems.rows.length > 0 ? markdownTable(problems) : 'None: every planned trial ran and succeeded.',
    ),
    ...(quality.rows.length > 0
      ? [
          section(
            'Quality of quantized variants (against fp32)',
            ...(hasSyntheticQuality(doc) ? [`> **${SYNTHETIC_QUALITY_NOTE}**`] : []),
            markdownTable(quality),
          ),
        ]
      : []),
    ...(options.analysis
      ? analysisSections(options.analysis, { syntheticQuality: hasSyntheticQuality(doc) }).map(
          ({ title, blocks }) => section(title, ...markdownBlocks(blocks)),
        )
      : []),
    section(
      'Metric definitions',
      markdownTable(definitionsTable()),
      REPORT_CONVENTIONS.map((convention) => `- ${convention}`).join('\n'),
    ),
  ];
  return `${parts.join('\n\n')}\n`;
}
