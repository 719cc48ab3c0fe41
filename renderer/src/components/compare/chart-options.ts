import { Chart, type ChartOptions, type ChartType, type LegendItem } from 'chart.js';
import { powerOfTwoTicks } from '../../charts/axis-ticks';
import { TTFT_LINE } from '../../charts/latency-depth-data';
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

const fixed = (value: number | null | undefined, digits: number): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

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
      label(context: TooltipContext) {
        const errorBars = context.dataset.errorBars as (number | null)[] | undefined;
        const std = errorBars?.[context.dataIndex];
        const spread = std === null || std === undefined ? '' : ` ± ${fixed(std, 1)}`;
        return `${context.dataset.label}: ${fixed(context.parsed.y, 1)}${spread} tok/s (mean ± sd)`;
      },
    },
  );
}

/** The latency chart's datasets come in pairs (TTFT, then p50 per token); the legend names each pair once. */
export function latencyDepthOptions(ttftAxis: string, tokenAxis: string): Options {
  const base = baseOptions<'line'>() as Options;
  const legend = ((base.plugins as Options).legend ?? {}) as Options;
  return withTooltip(
    {
      ...base,
      plugins: {
        ...(base.plugins as Options),
        legend: {
          ...legend,
          labels: {
            ...(legend.labels as Options),
            filter: (item: LegendItem) => (item.datasetIndex ?? 0) % 2 === 0,
            generateLabels: (chart: Chart) =>
              Chart.defaults.plugins.legend.labels
                .generateLabels(chart)
                .map((item) => ({ ...item, text: item.text.replace(TTFT_LINE, '') })),
          },
          // one click shows or hides both lines of a configuration
          onClick(_event: unknown, item: LegendItem, legendElement: { chart: Chart }) {
            const index = item.datasetIndex;
            if (index === undefined) return;
            const chart = legendElement.chart;
            const visible = chart.isDatasetVisible(index);
            chart.setDatasetVisibility(index, !visible);
            chart.setDatasetVisibility(index + 1, !visible);
            chart.update();
          },
        },
      },
      scales: {
        x: valueAxis('context depth (tokens)', { type: 'linear' }),
        [ttftAxis]: valueAxis('TTFT ms (solid)', { position: 'left' }),
        [tokenAxis]: valueAxis('p50 ms/token (dashed)', {
          position: 'right',
          grid: { drawOnChartArea: false },
        }),
      },
    },
    {
      label: (context: TooltipContext) =>
        `${context.dataset.label}: ${fixed(context.parsed.y, 2)} ms at depth ${context.parsed.x}`,
    },
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
        return `${labels?.[context.dataIndex] ?? ''}: ${fixed(context.parsed.x, 1)} tok/s, KL ${fixed(context.parsed.y, 4)} nats`;
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
        return `${context.dataset.label}: ${fixed(context.parsed.x, 1)} % (${fixed(totals?.[context.dataIndex], 2)} ms)`;
      },
    },
  );
}

export function rooflineOptions(efficiencies: readonly number[]): Options {
  return withTooltip(
    {
      ...baseOptions<'bar'>(),
      scales: { x: labelAxis(), y: valueAxis('decode tok/s') },
    },
    {
      label: (context: TooltipContext) => `${context.dataset.label}: ${fixed(context.parsed.y, 1)} tok/s`,
      footer: (items: TooltipContext[]) => {
        const index = items[0]?.dataIndex;
        return index === undefined ? '' : `efficiency ${fixed((efficiencies[index] ?? NaN) * 100, 0)} %`;
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
        `${context.dataset.label}: ${fixed(context.parsed.y, 1)} tok/s at ${context.label} threads`,
    },
  );
}
