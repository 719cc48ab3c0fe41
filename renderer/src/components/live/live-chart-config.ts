import type { ChartConfiguration } from 'chart.js';
import { formatBytes } from '../../../../common/units';
import { AXIS_COLOR, GRID_COLOR, seriesColor } from '../../charts/palette';
import './chart-setup';
import type { SeriesPoint } from './live-series';
import { phaseBandsPlugin, type PhaseBand } from './phase-bands';

export interface LiveChartSpec {
  /** the dataset's name, shown in the tooltip */
  label: string;
  xTitle: string;
  yTitle: string;
  /** how y values read: milliseconds or bytes */
  yUnit: 'ms' | 'bytes';
  /** read at every draw: the bands follow the redraws without rebuilding the chart */
  bands: () => readonly PhaseBand[];
}

export type LiveChartConfig = ChartConfiguration<'line', SeriesPoint[]>;

/** A live chart: one line on two linear axes, no animation, points hidden until hovered. */
export function liveChartConfig(spec: LiveChartSpec, points: SeriesPoint[]): LiveChartConfig {
  const formatY = (value: number): string =>
    spec.yUnit === 'bytes' ? formatBytes(value) : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  /** axis ticks are round numbers already: no fixed decimals for ms */
  const formatTick = (value: number): string => (spec.yUnit === 'bytes' ? formatBytes(value) : `${value} ms`);
  const color = seriesColor(0);
  return {
    type: 'line',
    data: { datasets: [{ label: spec.label, data: points, borderColor: color, backgroundColor: color }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.5 } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => `${spec.xTitle}: ${items[0]?.parsed.x ?? ''}`,
            label: (item) => `${spec.label}: ${formatY(item.parsed.y ?? 0)}`,
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: spec.xTitle, color: AXIS_COLOR },
          ticks: { color: AXIS_COLOR },
          grid: { color: GRID_COLOR },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          title: { display: true, text: spec.yTitle, color: AXIS_COLOR },
          ticks: { color: AXIS_COLOR, callback: (value) => formatTick(Number(value)) },
          grid: { color: GRID_COLOR },
        },
      },
    },
    plugins: [phaseBandsPlugin(spec.bands)],
  };
}
