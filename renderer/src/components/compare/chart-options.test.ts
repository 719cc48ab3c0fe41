import { Chart } from 'chart.js';
import { afterEach, describe, expect, it } from 'vitest';
import { labelAxis } from './chart-options';

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
});
