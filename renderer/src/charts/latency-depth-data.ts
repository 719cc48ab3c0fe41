import type { ChartDataset } from 'chart.js';
import { distinguishingLabels, seriesIdentity, type MeasuredTrial } from './compared-trial';
import { seriesColor } from './palette';

/** Axis ids: TTFT (a whole prefill) and one decode step differ by an order of magnitude. */
export const TTFT_AXIS = 'yTtft';
export const TOKEN_AXIS = 'yToken';
/** the suffix of each pair's first line; the legend names the pair without it */
export const TTFT_LINE = ' · TTFT';
export const TOKEN_LINE = ' · p50 per token';

/** tokens, ascending */
export function distinctDepths(trials: readonly MeasuredTrial[]): number[] {
  return [...new Set(trials.map((trial) => trial.result.spec.depthTokens))].sort((a, b) => a - b);
}

interface DepthPoint {
  x: number;
  y: number;
}

export interface LatencyDepthChartData {
  datasets: ChartDataset<'line', DepthPoint[]>[];
}

/**
 * TTFT (median, ms; solid) and per-token p50 (ms; dashed) against the cache depth, one pair of lines per
 * configuration apart from its depth (model × quant, and whatever else the trials vary in).
 */
export function latencyDepthData(trials: readonly MeasuredTrial[]): LatencyDepthChartData {
  const groups = new Map<string, MeasuredTrial[]>();
  for (const trial of trials) {
    const identity = seriesIdentity(trial, ['depth']);
    groups.set(identity, [...(groups.get(identity) ?? []), trial]);
  }
  const series = [...groups.values()].map((group) =>
    [...group].sort((a, b) => a.result.spec.depthTokens - b.result.spec.depthTokens),
  );
  const labels = distinguishingLabels(
    series.map((group) => group[0]!),
    ['depth'],
  );
  return {
    datasets: series.flatMap((group, index) => {
      const color = seriesColor(index);
      const line = (
        suffix: string,
        yAxisID: string,
        y: (trial: MeasuredTrial) => number,
        dashed: boolean,
      ) => ({
        label: `${labels[index]}${suffix}`,
        data: group.map((trial) => ({ x: trial.result.spec.depthTokens, y: y(trial) })),
        yAxisID,
        borderColor: color,
        backgroundColor: color,
        borderDash: dashed ? [6, 4] : [],
        pointRadius: 3,
      });
      return [
        line(TTFT_LINE, TTFT_AXIS, (trial) => trial.result.summary.ttftMs.median, false),
        line(TOKEN_LINE, TOKEN_AXIS, (trial) => trial.result.summary.perTokenMs.p50, true),
      ];
    }),
  };
}
