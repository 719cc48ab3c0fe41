import { Chart } from 'chart.js';
import { afterEach, describe, expect, it } from 'vitest';
import { labelAxis, meanSdLabel, throughputOptions, tokensAxis } from './chart-options';

describe('compare chart options', () => {
  const defaultSize = Chart.defaults.font.size;
  afterEach(() => {
    Chart.defaults.font.size = defaultSize;
  });

  it('sizes configuration labels a step below the chart text, so they grow with it on a 4K screen', () => {
    const font = (labelAxis().ticks as { font: () => { size: number } }).font;
    Chart.defaults.font.size = 12; // 15 px root text
    expect(font().size).toBe(11);
    Chart.defaults.font.size = 19; // 24 px root text (≥ 2560 px wide screens)
    expect(font().size).toBe(17);
  });

  it('shows a bar of one repetition as n = 1 in its tooltip, not as ± 0', () => {
    const dataset = { label: 'decode tok/s', errorBars: [null, 1.2], n: [1, 5] };
    expect(meanSdLabel(dataset, 0, 63, 1)).toBe('63.0 (n = 1)');
    expect(meanSdLabel(dataset, 1, 61.8, 1)).toBe('61.8 ± 1.2');
    const options = throughputOptions('y', 'yPrefill', { decode: 70, prefill: 900 }) as {
      plugins: { tooltip: { callbacks: { label: (context: unknown) => string } } };
    };
    const label = options.plugins.tooltip.callbacks.label({
      dataIndex: 0,
      datasetIndex: 0,
      parsed: { x: 0, y: 63 },
      dataset,
      label: '',
    });
    expect(label).toBe('decode tok/s: 63.0 (n = 1) tok/s (mean ± sd)');
  });

  it('puts a context axis on a log scale with ticks at the contexts measured', () => {
    const axis = tokensAxis('context (tokens)', [512, 4096, 32_768]) as {
      type: string;
      ticks: { callback: (value: number) => string };
      afterBuildTicks: (axis: { ticks: { value: number }[] }) => void;
    };
    expect(axis.type).toBe('logarithmic');
    const built = { ticks: [] as { value: number }[] };
    axis.afterBuildTicks(built);
    expect(built.ticks.map((tick) => axis.ticks.callback(tick.value))).toEqual(['512', '4K', '32K']);
    expect((tokensAxis('cache depth (tokens)', [0, 2048]) as { type: string }).type).toBe('linear');
  });
});
