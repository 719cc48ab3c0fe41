import { describe, expect, it } from 'vitest';
import type { RunAnalysis } from '../api';
import { runFixture, trialFixture } from '../../common/analysis/test/analysis-fixtures';
import { analyzeRun } from '../../common/analysis/run-analysis';
import { formatBytesPrecise } from '../../common/units';
import { analysisSections } from './analysis-sections';
import { maxContextText } from '../../common/labels';
import { verdictCell } from './analysis-tables';
import { SYNTHETIC_QUALITY_NOTE } from './report-metrics';
import { escapeHtml } from './html-export';
import { exportRun } from './index';
import type { LineChartSpec, ScatterChartSpec } from './report-charts';
import { exampleRunAnalysis, exampleRunWithQuality, fixtureTargets } from './test/example-run';

// the real analysis of the example run, int4's quality measured
const doc = exampleRunWithQuality();
const analysis = exampleRunAnalysis({}, doc);
const chartJsSource = 'window.Chart = function () {};';

/** cells of a Markdown table row, splitting on unescaped pipes */
const cells = (line: string): string[] =>
  line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

/** the Markdown table that follows the line starting with `header` */
function markdownRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  expect(start, `a table starting ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let index = start; index < lines.length && lines[index]!.startsWith('|'); index += 1) {
    rows.push(cells(lines[index]!));
  }
  return rows;
}

function chartData(html: string): { id: string; kind: string }[] {
  const match = /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(match![1]!) as { id: string; kind: string }[];
}

describe('the Markdown report with an analysis', () => {
  const markdown = exportRun(doc, 'md', { analysis });

  it('shows the verdict matrix: configurations × targets, projected numbers marked, the basis once', () => {
    const rows = markdownRows(markdown, '| configuration |');
    expect(rows[0]).toEqual(['configuration', ...analysis.targets.map((target) => target.name)]);
    const body = rows.slice(2);
    expect(body).toHaveLength(analysis.verdicts.length);
    analysis.verdicts.forEach((row, index) => {
      expect(body[index]).toEqual([row.label, ...row.verdicts.map(verdictCell)]);
      row.verdicts.forEach((verdict, column) => {
        const cell = body[index]![column + 1]!;
        if (verdict.ranOnTarget) {
          expect(cell).toMatch(/tok\/s measured/);
          expect(cell).not.toContain('projected');
        } else {
          // the share of the budget and the decode speed each say so
          expect(cell).toMatch(/of budget, projected\) · \d+\.\d tok\/s projected/);
        }
      });
    });
    expect(markdown.split(analysis.projectionBasis)).toHaveLength(2);
    expect(markdown).toContain(
      'Latency goal: decode ≥ 100 tok/s on the target; TTFT ≤ 1000 ms at a 1024-token prompt',
    );
  });

  it('says which configuration meets the goal where', () => {
    const body = markdownRows(markdown, '| configuration |').slice(2);
    const [fp32, int4] = analysis.verdicts;
    // columns: phone, Raspberry Pi, the custom board, this machine
    expect(fp32!.verdicts.map((v) => v.latency.status)).toEqual(['misses', 'misses', 'unknown', 'misses']);
    expect(int4!.verdicts.map((v) => v.latency.status)).toEqual(['misses', 'misses', 'unknown', 'meets']);
    expect(body[0]![1]).toContain('misses goal');
    expect(body[1]![4]).toContain('meets goal');
    // TTFT is not projected: on the fast board int4's projected decode meets the goal, TTFT cannot be judged
    expect(int4!.verdicts[2]!.latency.decode).toBe('meets');
    expect(body[1]![3]).toContain('goal unknown');
  });

  it('shows KV bytes per token and at each context, and the largest context per target', () => {
    const kv = markdownRows(markdown, '| model | KV dtype |');
    expect(kv[0]!.slice(-2)).toEqual(['KV @ 16K', 'KV @ 32K']);
    expect(kv[2]!.slice(0, 3)).toEqual(['mobilellm-r1-140m · fp32', 'float32', '23,040 B']);
    expect(kv[2]!.at(-1)).toBe(formatBytesPrecise(23_040 * 32_768));
    expect(kv[2]!.at(-1)).toBe('720 MiB');
    const fits = markdownRows(markdown, '| model | Phone, 4 GB');
    const fp32 = analysis.kvPressure[0]!;
    expect(fits[2]).toEqual([
      'mobilellm-r1-140m · fp32 · KV float32',
      ...fp32.targets.map((fit) => maxContextText(fit)),
    ]);
    // 600 MB: the fp32 weights and overhead alone overflow it
    expect(fits[2]![3]).toBe('weights do not fit');
    expect(fits[2]![4]).toBe('32,768 tokens (model max)');
  });

  it('fits a decode-slowdown line where one configuration ran at several depths', () => {
    const model = { kind: 'catalog' as const, id: 'mobilellm-r1-140m' };
    const atDepth = (depthTokens: number, perTokenMs: number) =>
      trialFixture({
        spec: { model, quant: 'int4', contextTokens: 4096, depthTokens, threads: 8 },
        perTokenMs,
      });
    const deep = runFixture([atDepth(0, 6.1), atDepth(1000, 6.5), atDepth(2000, 6.9)]);
    const out = exportRun(deep, 'md', { analysis: analyzeRun(deep, { targets: fixtureTargets() }) });
    const rows = markdownRows(out, '| configuration | depths (tokens) |');
    expect(rows[2]).toEqual([
      'mobilellm-r1-140m · int4 · pp128+tg64 · cpu 8t',
      '0, 1,000, 2,000',
      '6.10',
      '0.400',
      '6.6%',
      '1.000',
    ]);
  });

  it('marks the Pareto-optimal rows and shows accuracy per cost with the score source', () => {
    const tradeoff = markdownRows(markdown, '| # | configuration |');
    expect(tradeoff.slice(2).map((row) => row.at(-1))).toEqual(['★ optimal', '★ optimal']);
    expect(tradeoff[3]![5]).toBe('0.0213');
    const accuracy = markdownRows(markdown, '| model | quant | weights |');
    // MATH500, GSM8K and LiveCodeBench v6 are published for the 140M, at each of the two presets
    expect(accuracy.slice(2)).toHaveLength(
      analysis.tradeoff.accuracy.flatMap((model) => model.scores).length,
    );
    expect(accuracy.slice(2)).toHaveLength(6);
    expect(accuracy[2]).toContain(analysis.tradeoff.accuracy[0]!.scores[0]!.source);
    expect(accuracy[2]!.at(-1)).toMatch(/^MobileLLM-R1-140M, MATH500 column\. MobileLLM-R1 README/);
    expect(accuracy[2]!.slice(4, 6)).toEqual(['math500', '6.2']);
  });

  it('says under the trade-offs that KL from synthetic weights is valid for speed and memory only', () => {
    const notes = (syntheticQuality: boolean) =>
      analysisSections(analysis, { syntheticQuality })
        .find((section) => section.id === 'tradeoffs')!
        .blocks.filter((block) => block.kind === 'note')
        .map((block) => (block as { text: string }).text);
    expect(notes(true)).toContain(SYNTHETIC_QUALITY_NOTE);
    expect(notes(false)).not.toContain(SYNTHETIC_QUALITY_NOTE);
  });

  it('is unchanged without an analysis, and CSV and JSON ignore one', () => {
    expect(exportRun(doc, 'md')).not.toContain('Device targets and fit');
    expect(markdown.startsWith(exportRun(doc, 'md').split('## Metric definitions')[0]!)).toBe(true);
    expect(exportRun(doc, 'csv', { analysis })).toBe(exportRun(doc, 'csv'));
    expect(exportRun(doc, 'json', { analysis })).toBe(exportRun(doc, 'json'));
  });
});

describe('the HTML report with an analysis', () => {
  const html = exportRun(doc, 'html', { analysis, chartJsSource });

  it('adds the three sections after the run’s own, each analysis chart with its canvas', () => {
    const order = ['results', 'per-trial', 'fit', 'kv-pressure', 'tradeoffs', 'definitions'].map((id) =>
      html.indexOf(`<section class="page" id="${id}">`),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const charts = chartData(html);
    expect(charts.map((chart) => chart.id).slice(-3)).toEqual([
      'chart-kv',
      'chart-tradeoff-memory',
      'chart-tradeoff-kl',
    ]);
    for (const chart of charts) expect(html.split(`<canvas id="${chart.id}"`)).toHaveLength(2);
    // the KV line chart sits in its own section, not among the per-trial lines
    const perTrial = html.slice(html.indexOf('id="per-trial"'), html.indexOf('id="fit"'));
    expect(perTrial).not.toContain('chart-kv');
  });

  it('draws KV bytes per variant with a dashed budget line per target, and highlights the Pareto set', () => {
    const charts = chartData(html) as unknown as (LineChartSpec | ScatterChartSpec)[];
    const kv = charts.find((chart) => chart.id === 'chart-kv') as LineChartSpec;
    expect(kv.xScale).toBe('logarithmic');
    expect(kv.datasets.map((d) => d.label)).toEqual([
      ...analysis.kvPressure.map((report) => `${report.label} · KV ${report.kvDtype}`),
      ...analysis.targets.map((target) => `budget: ${target.name}`),
    ]);
    const budget = kv.datasets.at(-1)!;
    expect(budget.dashed).toBe(true);
    expect(budget.points.map((p) => p.y)).toEqual(
      [1, 1].map(() => analysis.targets.at(-1)!.memoryBytes / 2 ** 20),
    );
    expect(kv.datasets[0]!.points.at(-1)).toEqual({ x: 32_768, y: (23_040 * 32_768) / 2 ** 20 });
    const memory = charts.find((chart) => chart.id === 'chart-tradeoff-memory') as ScatterChartSpec;
    expect(memory.datasets.map((d) => [d.label, d.highlight, d.points.length])).toEqual([
      ['Pareto-optimal', true, 2],
      ['dominated', false, 0],
    ]);
  });

  it('colours each verdict cell by its fit and states the projection basis once', () => {
    expect(html).toMatch(/<td class="verdict fit-fits">fits \(\d+% of budget, projected\)/);
    expect(html).toContain('<td class="verdict fit-does-not-fit">does not fit');
    expect(html.split(escapeHtml(analysis.projectionBasis))).toHaveLength(2);
  });

  it('moves a dominated point out of the Pareto set in the table and the scatter', () => {
    const [first, second] = analysis.tradeoff.points;
    const dominated: RunAnalysis = {
      ...analysis,
      tradeoff: {
        ...analysis.tradeoff,
        points: [{ ...first!, paretoOptimal: false, dominatedBy: [second!.key] }, second!],
      },
    };
    const out = exportRun(doc, 'html', { analysis: dominated, chartJsSource });
    expect(out).toContain('<td>dominated by #2</td>');
    expect(out).toContain('<td class="pareto">★ optimal</td>');
    const memory = chartData(out).find(
      (chart) => chart.id === 'chart-tradeoff-memory',
    ) as unknown as ScatterChartSpec;
    expect(memory.datasets.map((d) => d.points.map((p) => p.label))).toEqual([
      [second!.label],
      [first!.label],
    ]);
  });
});

describe('hostile strings in an analysis', () => {
  const name = '<img src=x onerror=alert(3)> | </script>';
  const source = '</script><b>bold</b> & more';
  const hostile = exampleRunAnalysis({ customTargetName: name, scoreSource: source });

  it('reach the HTML page only as text', () => {
    const html = exportRun(doc, 'html', { analysis: hostile, chartJsSource });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html.match(/<script/gi)).toHaveLength(4);
    expect(html.match(/<\/script/gi)).toHaveLength(4);
    expect(html).toContain('<th>&lt;img src=x onerror=alert(3)&gt; | &lt;/script&gt;</th>');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; more');
  });

  it('keep Markdown tables whole and raw HTML out', () => {
    const markdown = exportRun(doc, 'md', { analysis: hostile });
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toContain('<b>');
    const rows = markdownRows(markdown, '| configuration |');
    expect(rows[0]).toHaveLength(1 + hostile.targets.length);
    for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
    expect(rows[0]![3]).toBe('&lt;img src=x onerror=alert(3)> \\| &lt;/script>');
  });
});
