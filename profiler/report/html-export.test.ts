import { describe, expect, it } from 'vitest';
import { RunDocumentSchema } from '../api';
import { contextRun, NO_BANDWIDTH_REASON } from '../../common/test/context-run';
import { CONTEXT_CHART_IDS, type BarChartSpec, type ChartSpec, type LineChartSpec } from './report-charts';
import { escapeHtml, exportHtml, jsonForScript, loadChartJsBundle } from './html-export';
import { SYNTHETIC_QUALITY_NOTE } from './report-metrics';
import { exampleRunDocument } from './test/example-run';

const hostileName = '</script><script>alert(1)</script>';
const hostileFailure = '<img src=x onerror="alert(2)"> & </SCRIPT ><!--';
const doc = exampleRunDocument({ name: hostileName, failureMessage: hostileFailure });
const html = exportHtml(doc);

function jsonScript(id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(html);
  expect(match, `a JSON script #${id}`).not.toBeNull();
  return JSON.parse(match![1]!);
}

describe('exportHtml', () => {
  it('lets no string from the document open or close a script, or add an element', () => {
    // exactly our four scripts: two JSON data blocks, Chart.js, the drawing script
    expect(html.match(/<script/gi)).toHaveLength(4);
    expect(html.match(/<\/script/gi)).toHaveLength(4);
    expect(html).not.toContain('<img');
    expect(html).toContain(`<h1>${escapeHtml(hostileName)}</h1>`);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &lt;/SCRIPT &gt;&lt;!--');
  });

  it('embeds the run document as JSON that reads back unchanged, `<` escaped', () => {
    const embedded = jsonScript('run-data');
    expect(embedded).toEqual(doc);
    expect(RunDocumentSchema.parse(embedded)).toEqual(doc);
    expect(jsonForScript({ name: '</script>' })).toBe('{"name":"\\u003c/script\\u003e"}');
  });

  it('inlines the Chart.js bundle, with animation turned off and the ready flag', () => {
    const bundle = loadChartJsBundle();
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(html).toContain(bundle.slice(0, 2000));
    expect(html).toContain('Chart.js v4');
    expect(html).toContain('Chart.defaults.animation = false');
    expect(html).toContain("setAttribute('data-chart-ready', 'true')");
    expect(html).not.toMatch(/<(link|script)[^>]+(href|src)="https?:/);
  });

  it('escapes a `</script` inside an inlined bundle instead of ending the element there', () => {
    const out = exportHtml(doc, { chartJsSource: 'var s = "</script>"; window.Chart = function () {};' });
    expect(out).toContain('var s = "<\\/script>"');
    expect(out.match(/<\/script/gi)).toHaveLength(4);
  });

  it('charts each measured configuration with the document numbers, one canvas per chart', () => {
    const charts = jsonScript('chart-data') as ChartSpec[];
    expect(charts.map((chart) => chart.id)).toEqual([
      'chart-decode',
      'chart-prefill',
      'chart-ttft',
      'chart-memory',
      'chart-per-token',
      'chart-memory-timeline',
    ]);
    for (const chart of charts) expect(html).toContain(`<canvas id="${chart.id}"`);
    const ok = doc.trials.filter((trial) => trial.result.status === 'ok').map((trial) => trial.result);
    const decode = charts[0] as BarChartSpec;
    // fp32 grew its KV cache, int4 held it in a shared buffer: the labels say so
    expect(decode.labels).toEqual([
      'mobilellm-r1-140m · fp32 · grow KV buffer',
      'mobilellm-r1-140m · int4 · shared KV buffer',
    ]);
    expect(decode.datasets[0]!.values).toEqual(
      ok.map((result) => result.summary!.decodeTokensPerSecond!.mean),
    );
    expect(decode.datasets[0]!.errors).toEqual(
      ok.map((result) => result.summary!.decodeTokensPerSecond!.std),
    );
    const tallest = Math.max(
      ...ok.map((r) => r.summary!.decodeTokensPerSecond!.mean + r.summary!.decodeTokensPerSecond!.std),
    );
    expect(decode.yMax).toBeGreaterThan(tallest);
    const perToken = charts[4] as LineChartSpec;
    expect(perToken.datasets[0]!.points).toHaveLength(64);
    const firstStep = ok[0]!.repetitions.map((repetition) => repetition.decodeStepMs[0]!);
    expect(perToken.datasets[0]!.points[0]!.y).toBeCloseTo(
      firstStep.reduce((a, b) => a + b) / firstStep.length,
      10,
    );
    const timeline = charts[5] as LineChartSpec;
    expect(timeline.datasets[1]!.points).toHaveLength(ok[1]!.memoryTimeline.length);
    expect(timeline.xTitle).toBe('time, ms (parent samples every 20 ms)');
  });

  it('charts latency and memory against the measured contexts in a section of their own', () => {
    const contextDoc = contextRun();
    const out = exportHtml(contextDoc, { chartJsSource: 'window.Chart = function () {};' });
    const match = /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(out)!;
    const charts = JSON.parse(match[1]!) as ChartSpec[];
    const byId = (id: string) => charts.find((chart) => chart.id === id) as LineChartSpec;
    expect(charts.map((chart) => chart.id)).toEqual(expect.arrayContaining(CONTEXT_CHART_IDS));
    const decode = byId('chart-decode-context');
    expect(decode.xScale).toBe('logarithmic');
    // one series for int4 across 512, 4K and 32K: each point a measured trial's p50
    const int4 = contextDoc.trials.filter((trial) => trial.result.spec.quant === 'int4');
    expect(decode.datasets[0]!.label).toBe('mobilellm-r1-140m · int4 · shared KV buffer · cpu');
    expect(decode.datasets[0]!.points).toEqual(
      int4.map(({ result }) => ({ x: result.spec.contextTokens, y: result.summary!.perTokenMs!.p50 })),
    );
    const memory = byId('chart-memory-context');
    const kv = memory.datasets.find((dataset) =>
      dataset.label.endsWith('int4 · shared KV buffer · cpu · KV cache (exact)'),
    )!;
    expect(kv.points.at(-1)).toEqual({ x: 32_768, y: 720 });
    expect(kv.colorIndex).toBe(memory.datasets[0]!.colorIndex);
    expect(out).toContain('<section class="page" id="context">');
    expect(out).toContain('none extrapolated');
    // one context only: no such section
    expect(html).not.toContain('id="context"');
  });

  it('shows one repetition as n = 1 with no error bar, and the reports say why there is no roofline', () => {
    const contextDoc = contextRun();
    const out = exportHtml(contextDoc, { chartJsSource: 'window.Chart = function () {};' });
    const match = /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(out)!;
    const decode = (JSON.parse(match[1]!) as ChartSpec[])[0] as BarChartSpec;
    const once = decode.labels.findIndex((label) => label.includes('fp32') && label.includes('cpu'));
    expect(decode.datasets[0]!.n![once]).toBe(1);
    expect(decode.datasets[0]!.errors![once]).toBeNull();
    expect(out).toContain('(n = 1)');
    expect(out).toContain('n = 1: no spread measured');
    expect(out).toContain(escapeHtml(NO_BANDWIDTH_REASON));
    expect(out).toContain(
      escapeHtml("every position's logits: 74.2 MiB per prefill where the last position needs 594 KiB"),
    );
    expect(out).toContain(`<strong>${escapeHtml(SYNTHETIC_QUALITY_NOTE)}</strong>`);
    expect(out).toContain('<td>synthetic (seeded)</td>');
  });

  it('shows tables, environment, settings, definitions and failed/skipped trials with reasons', () => {
    const decode = doc.trials[0]!.result.summary!.decodeTokensPerSecond!;
    expect(html).toContain(`${decode.mean.toFixed(2)} ± ${decode.std.toFixed(2)}`);
    expect(html).toContain(escapeHtml(doc.environment.cpu));
    expect(html).toContain('<td>repetitions (R)</td><td>5</td>');
    expect(html).toContain('<code>InferenceSession.create</code>');
    expect(html).toContain('<td>skipped</td>');
    expect(html).toContain('<td>crash</td>');
    expect(html).toContain('@media print');
  });

  it('says there is nothing to chart when no trial succeeded', () => {
    const failedOnly = { ...doc, trials: doc.trials.filter((trial) => trial.result.status === 'failed') };
    const out = exportHtml(failedOnly);
    expect(out).not.toContain('<canvas');
    expect(out).toContain('No trial finished successfully');
  });
});
