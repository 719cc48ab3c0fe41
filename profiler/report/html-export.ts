import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { RunAnalysis, RunDocument } from '../api';
import { analysisCharts } from './analysis-charts';
import type { ReportBlock, ReportTable } from '../../common/report-blocks';
import { analysisSections } from './analysis-sections';
import { runtimeSection } from './runtime-section';
import { CONTEXT_CHART_IDS, reportCharts, type ChartSpec } from './report-charts';
import {
  CONTEXT_SECTION_TEXT,
  REPORT_CONVENTIONS,
  SYNTHETIC_QUALITY_NOTE,
  resultsIntro,
} from './report-metrics';
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
import { REPORT_CSS, REPORT_SCRIPT } from './html-page-assets';

/**
 * The run as ONE self-contained HTML file that opens offline and prints to PDF: inline CSS, the
 * Chart.js UMD bundle inlined, the run document and the chart data as JSON, and a small drawing script.
 */

export interface HtmlExportOptions {
  /** Chart.js UMD bundle text; default: read from the installed chart.js package */
  chartJsSource?: string;
  /**
   * the run judged against device targets (profiler/bench run-analysis, computed by the caller): adds
   * the "Device targets and fit", "KV-cache pressure" and "Trade-offs" sections and their charts
   */
  analysis?: RunAnalysis;
}

/** Every string from the document goes through this before it reaches the page. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * JSON safe inside a <script> element: `<` (and `>`, `&`) as \u escapes, so no `</script>` or `<!--`
 * in a run's strings can end or confuse the element; U+2028/2029 escaped for older JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

let cachedChartJs: string | undefined;

/** The Chart.js UMD bundle next to the package's entry point (dist/), read once per process. */
export function loadChartJsBundle(): string {
  if (cachedChartJs !== undefined) return cachedChartJs;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('chart.js');
  } catch (error) {
    throw new Error(
      'The HTML report inlines Chart.js, but the chart.js package is not installed where the workbench ' +
        'runs. Run `npm install` in the workbench folder (chart.js 4 is one of its packages), or export ' +
        'Markdown, CSV or JSON instead.',
      { cause: error },
    );
  }
  const dist = path.dirname(entry);
  const file = ['chart.umd.min.js', 'chart.umd.js']
    .map((name) => path.join(dist, name))
    .find((candidate) => existsSync(candidate));
  if (!file) {
    throw new Error(
      `The HTML report inlines Chart.js's UMD bundle, but ${dist} has neither chart.umd.min.js nor ` +
        'chart.umd.js. Reinstall chart.js 4 (`npm install`).',
    );
  }
  cachedChartJs = readFileSync(file, 'utf8');
  return cachedChartJs;
}

/**
 * Script text made safe to inline: `</script` would end the element early (`<\/` means the same in a
 * JS string or regex), and `<!--` could keep our own `</script>` from ending it.
 */
function inlineScript(source: string, what: string): string {
  if (source.includes('<!--')) {
    throw new Error(`${what} contains "<!--", which cannot be inlined safely in an HTML <script>.`);
  }
  return source.replace(/<\/script/gi, '<\\/script');
}

const codeSpans = (escaped: string): string => escaped.replace(/`([^`]+)`/g, '<code>$1</code>');

interface HtmlTableOptions {
  /** an extra class for a column's cells */
  cellClass?: (column: number) => string | undefined;
  /** render `code` spans: only for the report's own text, never the document's */
  codeSpans?: boolean;
}

function htmlTable(table: ReportTable, options: HtmlTableOptions = {}): string {
  const cellText = (cell: string): string =>
    options.codeSpans ? codeSpans(escapeHtml(cell)) : escapeHtml(cell);
  const classes = (column: number, row?: number): string => {
    const names = [
      table.numeric[column] ? 'num' : undefined,
      options.cellClass?.(column),
      row === undefined ? undefined : table.cellClasses?.[row]?.[column],
    ].filter(Boolean);
    // class names are the report's own words, but they reach an attribute: escape them all the same
    return names.length > 0 ? ` class="${escapeHtml(names.join(' '))}"` : '';
  };
  const head = table.headers.map((header, column) => `<th${classes(column)}>${escapeHtml(header)}</th>`);
  const rows = table.rows.map(
    (cells, row) =>
      `<tr>${cells.map((cell, column) => `<td${classes(column, row)}>${cellText(cell)}</td>`).join('')}</tr>`,
  );
  return (
    `<div class="table-wrap"><table><thead><tr>${head.join('')}</tr></thead>` +
    `<tbody>${rows.join('\n')}</tbody></table></div>`
  );
}

function figure(chart: ChartSpec): string {
  const wide = chart.kind === 'line' ? ' wide' : '';
  return (
    `<figure><div class="chart-box${wide}">` +
    `<canvas id="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas>` +
    `</div></figure>`
  );
}

function section(id: string, title: string, body: string): string {
  return `<section class="page" id="${id}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/** An analysis section's blocks as HTML; chart blocks show the figures of the charts that exist. */
function htmlBlocks(blocks: readonly ReportBlock[], charts: readonly ChartSpec[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'text':
          return `<p>${escapeHtml(block.text)}</p>`;
        case 'note':
          return `<p class="note">${escapeHtml(block.text)}</p>`;
        case 'heading':
          return `<h3>${escapeHtml(block.text)}</h3>`;
        case 'table':
          return htmlTable(block.table);
        case 'list':
          return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
        case 'charts': {
          const figures = block.ids.flatMap((id) => charts.filter((chart) => chart.id === id).map(figure));
          return figures.length > 0 ? `<div class="charts">${figures.join('\n')}</div>` : '';
        }
        default: {
          const unknown: never = block;
          throw new Error(`Unknown report block ${JSON.stringify(unknown)}`);
        }
      }
    })
    .filter(Boolean)
    .join('\n');
}

export function exportHtml(doc: RunDocument, options: HtmlExportOptions = {}): string {
  const chartJs = inlineScript(options.chartJsSource ?? loadChartJsBundle(), 'The Chart.js bundle');
  const trials = measuredTrials(doc);
  const analysis = options.analysis;
  const runCharts = reportCharts(trials);
  const charts = [...runCharts, ...(analysis ? analysisCharts(analysis) : [])];
  const problems = problemsTable(doc);
  const quality = qualityTable(doc);
  const title = doc.name || doc.id;
  const noCharts = '<p class="note">No trial finished successfully: nothing to chart.</p>';
  const isContextChart = (chart: ChartSpec): boolean => CONTEXT_CHART_IDS.includes(chart.id);
  const chartsOf = (pick: (chart: ChartSpec) => boolean): string => {
    const figures = runCharts.filter(pick).map(figure);
    return figures.length > 0 ? `<div class="charts">${figures.join('\n')}</div>` : noCharts;
  };
  const hasContextCharts = runCharts.some(isContextChart);
  const sweep = doc.sweep;

  const sections = [
    `<section class="page" id="overview">
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">Edge LLM Workbench run report</p>
${htmlTable(runFactsTable(doc))}
<h2>Environment</h2>
${htmlTable(environmentTable(doc))}
<h2>Sweep settings</h2>
${htmlTable(settingsTable(doc))}
</section>`,
    section(
      'results',
      'Results',
      `<p>${escapeHtml(resultsIntro(sweep))}</p>
${trials.length > 0 ? htmlTable(resultsTable(trials)) : '<p class="note">No trial finished successfully.</p>'}
${trials.length > 0 ? `<h3>What each trial ran</h3>\n${htmlTable(setupTable(trials))}` : ''}
${trials.length > 0 ? `<h3>Load, memory and roofline</h3>\n${htmlTable(memoryTable(trials))}` : ''}
<h3>Failed and skipped trials</h3>
${
  problems.rows.length > 0
    ? htmlTable(problems, {
        cellClass: (column) => (column === problems.headers.length - 1 ? 'reason' : undefined),
      })
    : '<p class="note">None: every planned trial ran and succeeded.</p>'
}
${quality.rows.length > 0 ? `<h3>Quality of quantized variants (against fp32)</h3>\n${hasSyntheticQuality(doc) ? `<p class="note"><strong>${escapeHtml(SYNTHETIC_QUALITY_NOTE)}</strong></p>\n` : ''}${htmlTable(quality)}` : ''}`,
    ),
    ...[runtimeSection(doc)].flatMap((runtimes) =>
      runtimes ? [section(runtimes.id, runtimes.title, htmlBlocks(runtimes.blocks, charts))] : [],
    ),
    section(
      'charts',
      'Speed, latency and memory per configuration',
      `<p id="chart-error" hidden></p>\n${chartsOf((chart) => chart.kind === 'bar')}`,
    ),
    section(
      'per-trial',
      'Per-token latency and memory over time',
      chartsOf((chart) => chart.kind === 'line' && !isContextChart(chart)),
    ),
    ...(hasContextCharts
      ? [
          section(
            'context',
            'Latency and memory vs context (measured)',
            `<p>${escapeHtml(CONTEXT_SECTION_TEXT)}</p>\n${chartsOf(isContextChart)}`,
          ),
        ]
      : []),
    ...(analysis
      ? analysisSections(analysis, { syntheticQuality: hasSyntheticQuality(doc) }).map(
          ({ id, title, blocks }) => section(id, title, htmlBlocks(blocks, charts)),
        )
      : []),
    section(
      'definitions',
      'Metric definitions',
      `${htmlTable(definitionsTable(), { codeSpans: true })}
<ul>${REPORT_CONVENTIONS.map((convention) => `<li>${codeSpans(escapeHtml(convention))}</li>`).join('')}</ul>`,
    ),
  ];

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Edge LLM Workbench ${escapeHtml(doc.environment.appVersion)}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} — Edge LLM Workbench report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${sections.join('\n')}
<script type="application/json" id="run-data">${jsonForScript(doc)}</script>
<script type="application/json" id="chart-data">${jsonForScript(charts)}</script>
<script>${chartJs}</script>
<script>${inlineScript(REPORT_SCRIPT, 'The report script')}</script>
</body>
</html>
`;
}
