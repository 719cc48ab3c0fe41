import type { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { errorBarsPlugin, whiskerBounds, whiskerMax, whiskerSegment, type BarWithErrors } from './error-bars';

describe('error bars', () => {
  it('spans mean ± std, floored at zero, with no whisker where the spread is unknown', () => {
    expect(whiskerBounds([61.8, 2, 40], [1.2, 5, null])).toEqual([
      { low: 61.8 - 1.2, high: 61.8 + 1.2 },
      { low: 0, high: 7 },
      null,
    ]);
    expect(whiskerBounds([10], [Number.NaN])).toEqual([null]);
  });

  it('draws no whisker for a bar of one repetition, whatever its sd', () => {
    expect(whiskerBounds([63, 55.1], [0, 1.4], [1, 5])).toEqual([
      null,
      { low: 55.1 - 1.4, high: 55.1 + 1.4 },
    ]);
    const dataset = { data: [63, 55.1], errorBars: [0.8, 1.4], n: [1, 5] } as BarWithErrors;
    expect(whiskerMax([dataset])).toBeCloseTo(56.5);
  });

  it('maps the bounds to pixels with caps sized by the bar', () => {
    // y grows downwards on a canvas: value 0 at 200 px, 1 px per unit
    const segment = whiskerSegment(50, 20, { low: 10, high: 14 }, (value) => 200 - value);
    expect(segment).toEqual({ x: 50, top: 186, bottom: 190, capHalfWidth: 5 });
  });

  it('leaves the axis room for the highest whisker', () => {
    const dataset = { data: [61.8, 48.3], errorBars: [1.2, 2.9] } as BarWithErrors;
    expect(whiskerMax([dataset])).toBeCloseTo(63);
  });

  it('draws one whisker per bar of a visible dataset and none for a hidden one', () => {
    const lines: [number, number, number, number][] = [];
    let from: [number, number] = [0, 0];
    const ctx = {
      save() {},
      restore() {},
      beginPath() {},
      stroke() {},
      moveTo: (x: number, y: number) => (from = [x, y]),
      lineTo: (x: number, y: number) => lines.push([...from, x, y]),
    };
    const bar = (x: number) => ({ getProps: () => ({ x, width: 16 }) });
    const datasets = [
      { data: [100, 50], errorBars: [10, 5] },
      { data: [70], errorBars: [7] },
    ];
    const chart = {
      ctx,
      canvas: undefined,
      data: { datasets },
      isDatasetVisible: (index: number) => index === 0,
      getDatasetMeta: (index: number) => ({
        yScale: { getPixelForValue: (value: number) => 300 - value },
        data: index === 0 ? [bar(40), bar(120)] : [bar(60)],
      }),
    } as unknown as Chart<'bar'>;
    errorBarsPlugin.afterDatasetsDraw!(chart, {}, {}, false);
    // per bar: the vertical line and two caps
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual([40, 190, 40, 210]);
    expect(lines[3]).toEqual([120, 245, 120, 255]);
  });
});
