import type { ChartDataset } from 'chart.js';
import { distinguishingLabels, seriesIdentity, type Dimension, type MeasuredTrial } from './compared-trial';
import { seriesColor } from './palette';

/**
 * Line charts whose x is a dimension the trials were swept in (depth, context): one series per
 * configuration apart from that dimension, two lines per series (solid, then dashed, in one colour),
 * every point a measured trial.
 */

export interface SweptAxis {
  /** the dimensions the x axis stands for: left out of the series identity and of the labels */
  omit: readonly Dimension[];
  /** tokens */
  x: (trial: MeasuredTrial) => number;
}

export interface PairLine {
  /** after the series label; the first line's suffix is what the legend strips (it names the pair) */
  suffix: string;
  yAxisID: string;
  /** undefined: this trial has no such number, so no point */
  y: (trial: MeasuredTrial) => number | undefined;
}

export interface PointXY {
  x: number;
  y: number;
}

export interface PairedLineData {
  datasets: ChartDataset<'line', PointXY[]>[];
}

/** The trials grouped into series along `axis`, each sorted by x, in the order their first trial came. */
export function sweptSeries(trials: readonly MeasuredTrial[], axis: SweptAxis): MeasuredTrial[][] {
  const groups = new Map<string, MeasuredTrial[]>();
  for (const trial of trials) {
    const identity = seriesIdentity(trial, axis.omit);
    groups.set(identity, [...(groups.get(identity) ?? []), trial]);
  }
  return [...groups.values()].map((group) => [...group].sort((a, b) => axis.x(a) - axis.x(b)));
}

/** Whether some series has two or more x values: a line to draw rather than lone points. */
export function hasSweep(trials: readonly MeasuredTrial[], axis: SweptAxis): boolean {
  return sweptSeries(trials, axis).some((group) => new Set(group.map(axis.x)).size > 1);
}

/** x values the trials ran at, ascending */
export function distinctX(trials: readonly MeasuredTrial[], axis: SweptAxis): number[] {
  return [...new Set(trials.map(axis.x))].sort((a, b) => a - b);
}

export function pairedLineData(
  trials: readonly MeasuredTrial[],
  axis: SweptAxis,
  lines: readonly [solid: PairLine, dashed: PairLine],
): PairedLineData {
  const series = sweptSeries(trials, axis);
  const labels = distinguishingLabels(
    series.map((group) => group[0]!),
    axis.omit,
  );
  return {
    datasets: series.flatMap((group, index) => {
      const color = seriesColor(index);
      return lines.map((line, lineIndex) => ({
        label: `${labels[index]}${line.suffix}`,
        data: group.flatMap((trial) => {
          const y = line.y(trial);
          return y === undefined ? [] : [{ x: axis.x(trial), y }];
        }),
        yAxisID: line.yAxisID,
        borderColor: color,
        backgroundColor: color,
        borderDash: lineIndex === 0 ? [] : [6, 4],
        pointRadius: 3,
      }));
    }),
  };
}
