import type { Stats } from '../api';
import { distinguishingLabels, seriesKey, type Dimension } from '../../common/trial-dimensions';
import type { MeasuredTrial } from './report-tables';

/**
 * The HTML report's charts as data: computed here, in typed code, and embedded as JSON; the page's
 * small script only hands them to Chart.js.
 */

const MIB = 1024 * 1024; // bytes

export interface BarDataset {
  label: string;
  /** one per configuration; null where not measured */
  values: (number | null)[];
  /** ± sample sd, same unit as values; drawn as error bars; null where there is no spread (n = 1) */
  errors?: (number | null)[];
  /** repetitions behind each value: the tooltip says "(n = 1)" where there was one */
  n?: number[];
}

export interface BarChartSpec {
  kind: 'bar';
  id: string;
  title: string;
  yTitle: string;
  labels: string[];
  datasets: BarDataset[];
  /** the y axis reaches at least this, so mean + sd error bars stay inside the plot */
  yMax: number;
}

export interface LineDataset {
  label: string;
  points: { x: number; y: number }[];
  /** drawn dashed, without point markers: a reference line (a budget), not a measurement */
  dashed?: boolean;
  /** palette index; default the dataset's own: two lines of one configuration share a colour */
  colorIndex?: number;
  /** drawn dotted, markers kept: the second measured line of a configuration (its KV cache beside its peak) */
  secondary?: boolean;
}

/** 'logarithmic' for quantities that span decades (contexts 512…32K, bytes MiB…GiB) */
export type AxisScale = 'linear' | 'logarithmic';

export interface LineChartSpec {
  kind: 'line';
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  datasets: LineDataset[];
  /** default 'linear' */
  xScale?: AxisScale;
  /** default 'linear' */
  yScale?: AxisScale;
}

export interface ScatterDataset {
  label: string;
  /** `label` names the point in its tooltip */
  points: { x: number; y: number; label: string }[];
  /** drawn large and filled (e.g. the Pareto set); the others small and hollow */
  highlight: boolean;
}

export interface ScatterChartSpec {
  kind: 'scatter';
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  datasets: ScatterDataset[];
}

export type ChartSpec = BarChartSpec | LineChartSpec | ScatterChartSpec;

function yMaxOf(datasets: readonly BarDataset[]): number {
  let max = 0;
  for (const dataset of datasets) {
    dataset.values.forEach((value, index) => {
      max = Math.max(max, (value ?? 0) + (dataset.errors?.[index] ?? 0));
    });
  }
  // 8% headroom above the tallest bar or error-bar cap
  return max > 0 ? max * 1.08 : 1;
}

function bar(
  id: string,
  title: string,
  yTitle: string,
  labels: string[],
  datasets: BarDataset[],
): BarChartSpec {
  return { kind: 'bar', id, title, yTitle, labels, datasets, yMax: yMaxOf(datasets) };
}

/** Mean over the repetitions of each decode step's ms; steps some repetitions lack average the rest. */
export function meanStepMs(trial: MeasuredTrial): number[] {
  const sums: number[] = [];
  const counts: number[] = [];
  for (const repetition of trial.result.repetitions) {
    repetition.decodeStepMs.forEach((stepMs, index) => {
      sums[index] = (sums[index] ?? 0) + stepMs;
      counts[index] = (counts[index] ?? 0) + 1;
    });
  }
  return sums.map((sum, index) => sum / (counts[index] ?? 1));
}

/** Means with their sd as error bars; a value of one repetition gets none (it has no spread). */
/** bars of mean ± sd; a configuration that did not measure the metric (an imported pp or tg record) has none */
function meanBars(label: string, stats: readonly (Stats | undefined)[]): BarDataset {
  return {
    label,
    values: stats.map((stat) => stat?.mean ?? null),
    errors: stats.map((stat) => (stat && stat.n > 1 ? stat.std : null)),
    n: stats.map((stat) => stat?.n ?? 0),
  };
}

/** "parent samples every 20 ms" — or each interval the trials used; schema 1 did not record it (~20 ms). */
export function samplingIntervalText(trials: readonly MeasuredTrial[]): string {
  const intervals = [...new Set(trials.map((trial) => trial.result.peakRss?.sampleIntervalMs))];
  const stated = intervals
    .filter((interval): interval is number => interval !== undefined)
    .sort((a, b) => a - b);
  const parts = [
    ...(stated.length > 0 ? [`every ${stated.join(' or ')} ms`] : []),
    ...(intervals.includes(undefined) ? ['~20 ms apart (schema 1)'] : []),
  ];
  return `parent samples ${parts.join(', ')}`;
}

const mibOf = (bytes: number | undefined): number | undefined =>
  bytes === undefined ? undefined : bytes / MIB;

/** Chart ids of the context section: drawn only when some configuration was measured at two contexts. */
export const CONTEXT_CHART_IDS = ['chart-decode-context', 'chart-ttft-context', 'chart-memory-context'];

/**
 * Lines along the context, one series per configuration apart from it (a depth at the end of the window
 * is the same "end of window" at every context), every point a measured trial; none when no series has two.
 */
export function contextCharts(trials: readonly MeasuredTrial[]): LineChartSpec[] {
  const omit: Dimension[] = ['context'];
  const groups = new Map<string, MeasuredTrial[]>();
  for (const trial of trials) {
    const key = seriesKey(trial, omit);
    groups.set(key, [...(groups.get(key) ?? []), trial]);
  }
  const series = [...groups.values()].map((group) =>
    [...group].sort((a, b) => a.spec.contextTokens - b.spec.contextTokens),
  );
  if (!series.some((group) => new Set(group.map((trial) => trial.spec.contextTokens)).size > 1)) return [];
  const labels = distinguishingLabels(
    series.map((group) => group[0]!),
    omit,
  );
  const line = (suffix: string, y: (trial: MeasuredTrial) => number | undefined, secondary = false) =>
    series.map((group, index) => ({
      label: `${labels[index]}${suffix}`,
      colorIndex: index,
      ...(secondary ? { secondary } : {}),
      points: group.flatMap((trial) => {
        const value = y(trial);
        return value === undefined ? [] : [{ x: trial.spec.contextTokens, y: value }];
      }),
    }));
  const chart = (id: string, title: string, yTitle: string, datasets: LineDataset[]): LineChartSpec => ({
    kind: 'line',
    id,
    title,
    xTitle: 'context (tokens)',
    yTitle,
    datasets,
    xScale: 'logarithmic',
  });
  return [
    chart(
      CONTEXT_CHART_IDS[0]!,
      'Per-token decode latency vs context (p50, measured)',
      'ms per token',
      line('', (trial) => trial.summary.perTokenMs?.p50),
    ),
    chart(
      CONTEXT_CHART_IDS[1]!,
      'Time to first token vs context (median, measured)',
      'TTFT ms',
      line('', (trial) => trial.summary.ttftMs?.median),
    ),
    {
      ...chart(CONTEXT_CHART_IDS[2]!, 'Peak RSS and exact KV cache vs context (measured)', 'MiB', [
        ...line(' · peak RSS', (trial) => mibOf(trial.result.peakRssBytes)),
        ...line(' · KV cache (exact)', (trial) => mibOf(trial.result.kvCache?.exactBytes), true),
      ]),
      yScale: 'logarithmic',
    },
  ];
}

/** Every chart of the report, for the measured (ok) trials. Empty when none was measured. */
export function reportCharts(trials: readonly MeasuredTrial[]): ChartSpec[] {
  if (trials.length === 0) return [];
  const labels = distinguishingLabels(trials);
  const mib = (value: number | undefined): number | null => mibOf(value) ?? null;
  return [
    bar('chart-decode', 'Decode speed per configuration (mean ± sd)', 'decode tok/s', labels, [
      meanBars(
        'decode tok/s',
        trials.map((trial) => trial.summary.decodeTokensPerSecond),
      ),
    ]),
    bar('chart-prefill', 'Prefill speed per configuration (mean ± sd)', 'prefill tok/s', labels, [
      meanBars(
        'prefill tok/s',
        trials.map((trial) => trial.summary.prefillTokensPerSecond),
      ),
    ]),
    bar('chart-ttft', 'Time to first token per configuration (mean ± sd)', 'TTFT ms', labels, [
      meanBars(
        'TTFT ms',
        trials.map((trial) => trial.summary.ttftMs),
      ),
    ]),
    bar('chart-memory', 'Memory per configuration', 'MiB', labels, [
      { label: 'peak RSS', values: trials.map((trial) => mib(trial.result.peakRssBytes)) },
      { label: 'RSS after load', values: trials.map((trial) => mib(trial.result.rssAfterLoadBytes)) },
      { label: 'KV cache (exact)', values: trials.map((trial) => mib(trial.result.kvCache?.exactBytes)) },
    ]),
    {
      kind: 'line',
      id: 'chart-per-token',
      title: 'Per-token decode latency by position (mean over repetitions)',
      xTitle: 'generated token (decode step)',
      yTitle: 'ms',
      datasets: trials.map((trial, index) => ({
        label: labels[index] ?? trial.key,
        points: meanStepMs(trial).map((stepMs, step) => ({ x: step + 1, y: stepMs })),
      })),
    },
    {
      kind: 'line',
      id: 'chart-memory-timeline',
      title: 'Memory timeline of each trial process',
      xTitle: `time, ms (${samplingIntervalText(trials)})`,
      yTitle: 'RSS MiB',
      datasets: trials.map((trial, index) => ({
        label: labels[index] ?? trial.key,
        points: trial.result.memoryTimeline.map((sample) => ({ x: sample.tMs, y: sample.rssBytes / MIB })),
      })),
    },
    ...contextCharts(trials),
  ];
}
