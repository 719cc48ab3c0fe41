import type { Stats } from '../../../profiler/api';
import { distinguishingLabels, type MeasuredTrial } from './compared-trial';
import type { BarWithErrors } from './error-bars';
import { seriesColor, withAlpha } from './palette';

export interface BarChartData {
  labels: string[];
  datasets: BarWithErrors[];
}

/** Axis ids: decode and prefill rates differ by an order of magnitude, so each has its own axis. */
export const DECODE_AXIS = 'y';
export const PREFILL_AXIS = 'yPrefill';

function bars(
  label: string,
  stats: readonly (Stats | undefined)[],
  colorIndex: number,
  yAxisID: string,
): BarWithErrors {
  const color = seriesColor(colorIndex);
  return {
    label,
    // no bar where the trial did not measure it (an imported llama-bench pp or tg record)
    data: stats.map((stat) => stat?.mean ?? null),
    // a single repetition has no spread to show: no whisker, and "(n = 1)" in the tooltip
    errorBars: stats.map((stat) => (stat && stat.n > 1 ? stat.std : null)),
    n: stats.map((stat) => stat?.n ?? 0),
    yAxisID,
    backgroundColor: withAlpha(color, 0.75),
    borderColor: color,
    borderWidth: 1,
  };
}

/** Decode and prefill tok/s per configuration: bars at the mean, whiskers at ± one standard deviation. */
export function throughputData(trials: readonly MeasuredTrial[]): BarChartData {
  return {
    labels: distinguishingLabels(trials),
    datasets: [
      bars(
        'decode tok/s',
        trials.map((trial) => trial.result.summary.decodeTokensPerSecond),
        0,
        DECODE_AXIS,
      ),
      bars(
        'prefill tok/s',
        trials.map((trial) => trial.result.summary.prefillTokensPerSecond),
        1,
        PREFILL_AXIS,
      ),
    ],
  };
}
