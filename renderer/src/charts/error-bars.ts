import type { BarElement, Chart, ChartDataset, Plugin } from 'chart.js';
import { AXIS_COLOR } from './palette';

/** A bar dataset that carries one standard deviation per bar, drawn as a whisker around the bar's top. */
/** bars with whiskers; a null bar is a configuration that did not measure the metric (no bar, not 0) */
export type BarWithErrors = ChartDataset<'bar', (number | null)[]> & {
  /** same unit as the bars; null: no whisker */
  errorBars: (number | null)[];
  /** repetitions behind each bar: with one there is no spread, so no whisker whatever its sd says */
  n: number[];
};

export interface WhiskerBounds {
  low: number;
  high: number;
}

/**
 * mean ± std per bar, the low end floored at 0 (a rate is never negative). A missing or non-finite std
 * gives no whisker, and so does a bar of one repetition (`counts`): its "± 0" would read as quiet.
 */
export function whiskerBounds(
  means: readonly (number | null)[],
  stds: readonly (number | null | undefined)[],
  counts?: readonly number[],
): (WhiskerBounds | null)[] {
  return means.map((mean, index) => {
    const std = stds[index];
    if (mean === null || std === null || std === undefined || !Number.isFinite(std) || !Number.isFinite(mean))
      return null;
    if (counts !== undefined && (counts[index] ?? 0) <= 1) return null;
    return { low: Math.max(0, mean - Math.abs(std)), high: mean + Math.abs(std) };
  });
}

export interface WhiskerSegment {
  /** px, canvas coordinates */
  x: number;
  top: number;
  bottom: number;
  capHalfWidth: number;
}

/** Where a whisker goes on the canvas: `toPixel` maps a value to the value axis' pixel. */
export function whiskerSegment(
  x: number,
  barWidth: number,
  bounds: WhiskerBounds,
  toPixel: (value: number) => number,
): WhiskerSegment {
  const high = toPixel(bounds.high);
  const low = toPixel(bounds.low);
  return {
    x,
    top: Math.min(high, low),
    bottom: Math.max(high, low),
    capHalfWidth: Math.min(8, Math.max(2, barWidth * 0.25)),
  };
}

/** The highest whisker, so the value axis can leave room for it (Chart.js sizes the axis by the bars). */
export function whiskerMax(datasets: readonly BarWithErrors[]): number {
  return Math.max(
    0,
    ...datasets.flatMap((dataset) =>
      whiskerBounds(dataset.data, dataset.errorBars, dataset.n).map((bound) => bound?.high ?? 0),
    ),
  );
}

function hasErrorBars(dataset: unknown): dataset is BarWithErrors {
  return Array.isArray((dataset as Partial<BarWithErrors>).errorBars);
}

/** Text colour of the canvas (it follows the page's light or dark theme), else a mid grey. */
function inkOf(chart: Chart): string {
  const canvas = chart.canvas as HTMLCanvasElement | undefined;
  if (canvas && typeof getComputedStyle === 'function') {
    const color = getComputedStyle(canvas).color;
    if (color) return color;
  }
  return AXIS_COLOR;
}

/** Draws each `errorBars` dataset's whiskers (mean ± std) over its vertical bars. */
export const errorBarsPlugin: Plugin<'bar'> = {
  id: 'errorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      if (!hasErrorBars(dataset) || !chart.isDatasetVisible(datasetIndex)) return;
      const meta = chart.getDatasetMeta(datasetIndex);
      const scale = meta.yScale;
      if (!scale) return;
      const bounds = whiskerBounds(dataset.data, dataset.errorBars, dataset.n);
      ctx.save();
      ctx.strokeStyle = inkOf(chart as unknown as Chart);
      ctx.lineWidth = 1.5;
      meta.data.forEach((element, index) => {
        const bound = bounds[index];
        if (!bound) return;
        const { x, width } = (element as unknown as BarElement).getProps(['x', 'width'], true);
        if (x === null || x === undefined) return;
        const segment = whiskerSegment(x, width, bound, (value) => scale.getPixelForValue(value));
        ctx.beginPath();
        ctx.moveTo(segment.x, segment.top);
        ctx.lineTo(segment.x, segment.bottom);
        for (const y of [segment.top, segment.bottom]) {
          ctx.moveTo(segment.x - segment.capHalfWidth, y);
          ctx.lineTo(segment.x + segment.capHalfWidth, y);
        }
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};
