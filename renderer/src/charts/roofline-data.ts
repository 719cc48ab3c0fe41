import type { ChartDataset } from 'chart.js';
import { bandwidthText, rooflineUnavailableText } from '../../../common/trial-setup';
import { distinguishingLabels, type MeasuredTrial } from './compared-trial';
import { seriesColor, withAlpha } from './palette';

export interface RooflineChartData {
  labels: string[];
  datasets: ChartDataset<'bar', number[]>[];
  /** measured ÷ bound per label, 0–1 (more is closer to what the memory allows) */
  efficiencies: number[];
  /** per label: the streaming-read bandwidth the bound divides by, onnxruntime's GEMV beside it */
  bandwidths: string[];
  /**
   * true when some bound is LOG_SCALE_RATIO× its measured rate or more: on a linear axis that trial's
   * measured bar would be a sliver, so the value axis is logarithmic
   */
  logScale: boolean;
  /** the configurations measured at under NOT_MEMORY_BOUND_EFFICIENCY of their bound, with their efficiency */
  notMemoryBound: { label: string; efficiency: number }[];
}

/** bound ÷ measured from which the axis turns logarithmic */
export const LOG_SCALE_RATIO = 10;
/**
 * measured ÷ bound under which a configuration is called "not memory-bound": its decode reads its bytes
 * from cache, or compute and per-step overhead limit it, so the DRAM bound says little about it
 */
export const NOT_MEMORY_BOUND_EFFICIENCY = 0.1;

/**
 * Measured decode tok/s (the median, which the engine's efficiency divides) beside the memory-bandwidth
 * bound, per configuration that has a roofline.
 */
export function rooflineData(trials: readonly MeasuredTrial[]): RooflineChartData {
  const withRoofline = trials.flatMap((trial) =>
    trial.result.roofline && trial.result.summary.decodeTokensPerSecond
      ? [{ trial, roofline: trial.result.roofline, decode: trial.result.summary.decodeTokensPerSecond }]
      : [],
  );
  const bars = (label: string, data: number[], colorIndex: number): ChartDataset<'bar', number[]> => ({
    label,
    data,
    backgroundColor: withAlpha(seriesColor(colorIndex), 0.75),
    borderColor: seriesColor(colorIndex),
    borderWidth: 1,
  });
  const labels = distinguishingLabels(withRoofline.map(({ trial }) => trial));
  const efficiencies = withRoofline.map(({ roofline }) => roofline.efficiency);
  return {
    labels,
    datasets: [
      bars(
        'measured decode tok/s',
        withRoofline.map(({ decode }) => decode.median),
        0,
      ),
      bars(
        'memory-bandwidth bound tok/s',
        withRoofline.map(({ roofline }) => roofline.boundTokensPerSecond),
        6,
      ),
    ],
    efficiencies,
    bandwidths: withRoofline.map(({ trial }) => bandwidthText(trial.result)),
    logScale: efficiencies.some((efficiency) => efficiency > 0 && efficiency <= 1 / LOG_SCALE_RATIO),
    notMemoryBound: efficiencies.flatMap((efficiency, index) =>
      efficiency < NOT_MEMORY_BOUND_EFFICIENCY ? [{ label: labels[index] ?? '', efficiency }] : [],
    ),
  };
}

/** Why the trials without a roofline have none, each reason once ("not measured for this provider: …"). */
export function rooflineMissingReasons(trials: readonly MeasuredTrial[]): string[] {
  return [
    ...new Set(
      trials.filter((trial) => !trial.result.roofline).map((trial) => rooflineUnavailableText(trial.result)),
    ),
  ];
}
