import { configurationLabels } from './report-metrics';
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
  /** ± sample sd, same unit as values; drawn as error bars */
  errors?: (number | null)[];
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

/** Every chart of the report, for the measured (ok) trials. Empty when none was measured. */
export function reportCharts(trials: readonly MeasuredTrial[]): ChartSpec[] {
  if (trials.length === 0) return [];
  const labels = configurationLabels(trials);
  const mib = (value: number | undefined): number | null => (value === undefined ? null : value / MIB);
  return [
    bar('chart-decode', 'Decode speed per configuration (mean ± sd)', 'decode tok/s', labels, [
      {
        label: 'decode tok/s',
        values: trials.map((trial) => trial.summary.decodeTokensPerSecond.mean),
        errors: trials.map((trial) => trial.summary.decodeTokensPerSecond.std),
      },
    ]),
    bar('chart-prefill', 'Prefill speed per configuration (mean ± sd)', 'prefill tok/s', labels, [
      {
        label: 'prefill tok/s',
        values: trials.map((trial) => trial.summary.prefillTokensPerSecond.mean),
        errors: trials.map((trial) => trial.summary.prefillTokensPerSecond.std),
      },
    ]),
    bar('chart-ttft', 'Time to first token per configuration (mean ± sd)', 'TTFT ms', labels, [
      {
        label: 'TTFT ms',
        values: trials.map((trial) => trial.summary.ttftMs.mean),
        errors: trials.map((trial) => trial.summary.ttftMs.std),
      },
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
      xTitle: 'time, ms (parent samples ~20 ms apart)',
      yTitle: 'RSS MiB',
      datasets: trials.map((trial, index) => ({
        label: labels[index] ?? trial.key,
        points: trial.result.memoryTimeline.map((sample) => ({ x: sample.tMs, y: sample.rssBytes / MIB })),
      })),
    },
  ];
}
