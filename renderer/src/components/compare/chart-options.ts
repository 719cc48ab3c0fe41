import { Chart, type ChartOptions, type ChartType, type LegendItem } from 'chart.js';
import { formatContext, formatFixed, formatMeanSd } from '../../../../common/number-format';
import { powerOfTwoTicks } from '../../charts/axis-ticks';
import { PEAK_LINE } from '../../charts/context-data';
import { TOKEN_AXIS, TTFT_AXIS, TTFT_LINE } from '../../charts/latency-depth-data';
import { AXIS_COLOR, GRID_COLOR } from '../../charts/palette';

/** Options every Compare chart shares: no animation, fills its box, theme-neutral text and grid. */
export function baseOptions<T extends ChartType>(): ChartOptions<T> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { position: 'bottom', labels: { color: AXIS_COLOR, boxWidth: 12, boxHeight: 12 } },
      tooltip: { mode: 'nearest', intersect: true },
    },
  } as ChartOptions<T>;
}

/** A value axis with its title (the unit) and theme-neutral colours. */
export function valueAxis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'linear',
    beginAtZero: true,
    ...extra,
    title: { display: true, text: title, color: AXIS_COLOR },
    ticks: { color: AXIS_COLOR, ...((extra.ticks as object | undefined) ?? {}) },
    grid: { color: GRID_COLOR, ...((extra.grid as object | undefined) ?? {}) },
  };
}

/** A category axis whose long configuration labels break at " · " onto several lines. */
export function labelAxis(title?: string): Record<string, unknown> {
  return {
    type: 'category',
    title: title ? { display: true, text: title, color: AXIS_COLOR } : { display: false },
    grid: { display: false },
    ticks: {
      color: AXIS_COLOR,
      // a step below the chart text (11 px at the default 12): follows the size the theme sets, which grows on 4K
      font: () => ({ size: Math.round((Chart.defaults.font.size ?? 12) * (11 / 12)) }),
      autoSkip: false,
      maxRotation: 0,
      callback(this: { getLabelForValue(value: number): string }, value: number | string) {
        return this.getLabelForValue(Number(value)).split(' · ');
      },
    },
  };
}

type Options = Record<string, unknown>;

function withTooltip(options: Options, callbacks: Record<string, unknown>): Options {
  const plugins = (options.plugins ?? {}) as Options;
  return {
    ...options,
    plugins: { ...plugins, tooltip: { ...(plugins.tooltip ?? {}), callbacks } },
  };
}

interface TooltipContext {
  dataIndex: number;
  datasetIndex: number;
  parsed: { x: number; y: number };
  dataset: { label?: string } & Record<string, unknown>;
  label: string;
}

/** the throughput bars' own fields (BarWithErrors) */
type MeanSdDataset = { errorBars?: (number | null)[]; n?: number[] };

/** "61.8 ± 1.2" or "63.0 (n = 1)": a bar's mean with its spread, from the dataset's `errorBars` and `n`. */
export function meanSdLabel(dataset: MeanSdDataset, index: number, mean: number, digits: number): string {
  return formatMeanSd({ n: dataset.n?.[index] ?? 0, mean, std: dataset.errorBars?.[index] ?? 0 }, (value) =>
    formatFixed(value, digits),
  );
}

export function throughputOptions(
  decodeAxis: string,
  prefillAxis: string,
  maxes: {
    decode: number;
    prefill: number;
  },
): Options {
  return withTooltip(
    {
      ...baseOptions<'bar'>(),
      scales: {
        x: labelAxis(),
        [decodeAxis]: valueAxis('decode tok/s', { position: 'left', suggestedMax: maxes.decode * 1.05 }),
        [prefillAxis]: valueAxis('prefill tok/s', {
          position: 'right',
          suggestedMax: maxes.prefill * 1.05,
          grid: { drawOnChartArea: false },
        }),
      },
    },
    {
      label: (context: TooltipContext) =>
        `${context.dataset.label}: ${meanSdLabel(context.dataset as MeanSdDataset, context.dataIndex, context.parsed.y, 1)} tok/s (mean ± sd)`,
    },
  );
}

/**
 * The legend of paired lines (solid, then dashed, per configuration): one entry per pair, named without
 * the first line's suffix; a click shows or hides both lines.
 */
function pairedLegend(base: Options, firstSuffix: string): Options {
  const legend = ((base.plugins as Options).legend ?? {}) as Options;
  return {
    ...legend,
    labels: {
      ...(legend.labels as Options),
      filter: (item: LegendItem) => (item.datasetIndex ?? 0) % 2 === 0,
      generateLabels: (chart: Chart) =>
        Chart.defaults.plugins.legend.labels
          .generateLabels(chart)
          .map((item) => ({ ...item, text: item.text.replace(firstSuffix, '') })),
    },
    onClick(_event: unknown, item: LegendItem, legendElement: { chart: Chart }) {
      const index = item.datasetIndex;
      if (index === undefined) return;
      const chart = legendElement.chart;
      const visible = chart.isDatasetVisible(index);
      chart.setDatasetVisibility(index, !visible);
      chart.setDatasetVisibility(index + 1, !visible);
      chart.update();
    },
  };
}

function pairedLineOptions(
  firstSuffix: string,
  scales: Options,
  label: (context: TooltipContext) => string,
): Options {
  const base = baseOptions<'line'>() as Options;
  return withTooltip(
    {
      ...base,
      plugins: { ...(base.plugins as Options), legend: pairedLegend(base, firstSuffix) },
      scales,
    },
    { label },
  );
}

/**
 * A token axis (depth or context) with ticks at the values the trials ran at ("512", "4K", "32K"):
 * logarithmic where they span more than 8× (contexts 512 … 32K), else linear from 0.
 */
export function tokensAxis(title: string, values: readonly number[]): Options {
  const low = values[0] ?? 0;
  const high = values.at(-1) ?? 0;
  const logarithmic = low > 0 && high / low > 8;
  return valueAxis(title, {
    type: logarithmic ? 'logarithmic' : 'linear',
    beginAtZero: !logarithmic,
    ticks: { callback: (value: number | string) => formatContext(Number(value)) },
    ...(logarithmic
      ? {
          afterBuildTicks(axis: { ticks: { value: number }[] }) {
            axis.ticks = values.map((value) => ({ value }));
          },
        }
      : {}),
  });
}

/** TTFT (solid, left axis) and p50 per token (dashed, right axis) against depth or context. */
export function latencyOptions(xName: 'depth' | 'context', xValues: readonly number[]): Options {
  return pairedLineOptions(
    TTFT_LINE,
    {
      x: tokensAxis(`${xName === 'depth' ? 'cache depth' : 'context'} (tokens)`, xValues),
      [TTFT_AXIS]: valueAxis('TTFT ms (solid)', { position: 'left' }),
      [TOKEN_AXIS]: valueAxis('p50 ms/token (dashed)', {
        position: 'right',
        grid: { drawOnChartArea: false },
      }),
    },
    (context) =>
      `${context.dataset.label}: ${formatFixed(context.parsed.y, 2)} ms at ${xName} ${formatContext(context.parsed.x)}`,
  );
}

/** Peak RSS (solid) and the exact KV cache (dashed) against the context, on one logarithmic bytes axis. */
export function memoryContextOptions(
  formatBytes: (bytes: number) => string,
  contexts: readonly number[],
): Options {
  return pairedLineOptions(
    PEAK_LINE,
    {
      x: tokensAxis('context (tokens)', contexts),
      y: valueAxis('bytes (peak RSS solid, KV cache dashed)', {
        type: 'logarithmic',
        ticks: { callback: (value: number | string) => formatBytes(Number(value)) },
        afterBuildTicks(axis: { min: number; max: number; ticks: { value: number }[] }) {
          axis.ticks = powerOfTwoTicks(axis.min, axis.max).map((value) => ({ value }));
        },
      }),
    },
    (context) =>
      `${context.dataset.label}: ${formatBytes(context.parsed.y)} at context ${formatContext(context.parsed.x)}`,
  );
}

/** bytes on the value axis, shown as KiB / MiB / GiB */
export function bytesOptions(
  formatBytes: (bytes: number) => string,
  kind: { stacked: boolean; logarithmic: boolean; xTitle?: string },
): Options {
  return withTooltip(
    {
      ...baseOptions<'bar'>(),
      scales: {
        x: { ...labelAxis(kind.xTitle), stacked: kind.stacked },
        y: {
          ...valueAxis('bytes', {
            type: kind.logarithmic ? 'logarithmic' : 'linear',
            ticks: { callback: (value: number | string) => formatBytes(Number(value)) },
            ...(kind.logarithmic
              ? {
                  afterBuildTicks(axis: { min: number; max: number; ticks: { value: number }[] }) {
                    axis.ticks = powerOfTwoTicks(axis.min, axis.max).map((value) => ({ value }));
                  },
                }
              : {}),
          }),
          stacked: kind.stacked,
        },
      },
    },
    {
      label: (context: TooltipContext) => `${context.dataset.label}: ${formatBytes(context.parsed.y)}`,
    },
  );
}

export function qualityOptions(): Options {
  return withTooltip(
    {
      ...baseOptions<'scatter'>(),
      scales: {
        x: valueAxis('decode tok/s, median (more is better)', { beginAtZero: false }),
        y: valueAxis('KL vs fp32, nats (less is better)'),
      },
    },
    {
      label(context: TooltipContext) {
        const labels = context.dataset.pointLabels as string[] | undefined;
        return `${labels?.[context.dataIndex] ?? ''}: ${formatFixed(context.parsed.x, 1)} tok/s, KL ${formatFixed(context.parsed.y, 4)} nats`;
      },
    },
  );
}

export function opsOptions(): Options {
  return withTooltip(
    {
      ...baseOptions<'bar'>(),
      indexAxis: 'y',
      scales: {
        x: valueAxis('share of the phase’s node time (%)', { suggestedMax: 100 }),
        y: { type: 'category', grid: { display: false }, ticks: { color: AXIS_COLOR, autoSkip: false } },
      },
    },
    {
      label(context: TooltipContext) {
        const totals = context.dataset.totalsMs as number[] | undefined;
        return `${context.dataset.label}: ${formatFixed(context.parsed.x, 1)} % (${formatFixed(totals?.[context.dataIndex], 2)} ms)`;
      },
    },
  );
}

/**
 * Per bar: efficiency, then the bandwidth the bound divides by with onnxruntime's GEMV beside it; a
 * logarithmic value axis when `logScale`.
 */
export function rooflineOptions(
  efficiencies: readonly number[],
  bandwidths: readonly string[] = [],
  logScale = false,
): Options {
  return withTooltip(
    {
      ...baseOptions<'bar'>(),
      scales: {
        x: labelAxis(),
        // a bound 10× the measured rate or more would leave the measured bar a sliver on a linear axis
        y: logScale
          ? valueAxis('decode tok/s (log scale)', { type: 'logarithmic', beginAtZero: false })
          : valueAxis('decode tok/s'),
      },
    },
    {
      label: (context: TooltipContext) =>
        `${context.dataset.label}: ${formatFixed(context.parsed.y, 1)} tok/s`,
      footer: (items: TooltipContext[]) => {
        const index = items[0]?.dataIndex;
        if (index === undefined) return '';
        const efficiency = `efficiency ${formatFixed((efficiencies[index] ?? NaN) * 100, 0)} %`;
        const bandwidth = bandwidths[index];
        return bandwidth ? [efficiency, `bandwidth ${bandwidth}`] : efficiency;
      },
    },
  );
}

/** Threads on a category axis ("default" last); decode tok/s left (solid), prefill right (dashed). */
export function scalingOptions(decodeAxis: string, prefillAxis: string): Options {
  return withTooltip(
    {
      ...baseOptions<'line'>(),
      scales: {
        x: labelAxis('intra-op threads'),
        [decodeAxis]: valueAxis('decode tok/s, median (solid)', { position: 'left' }),
        [prefillAxis]: valueAxis('prefill tok/s, median (dashed)', {
          position: 'right',
          grid: { drawOnChartArea: false },
        }),
      },
    },
    {
      label: (context: TooltipContext) =>
        `${context.dataset.label}: ${formatFixed(context.parsed.y, 1)} tok/s at ${context.label} threads`,
    },
  );
}
