import type { RunAnalysis, TradeoffPoint } from '../api';
import { kvVariantLabel } from '../../common/labels';
import type { ChartSpec, LineChartSpec, ScatterChartSpec, ScatterDataset } from './report-charts';

/** The analysis sections' charts as data, drawn by the same page script as the run's own charts. */

const MIB = 1024 * 1024; // bytes

export const ANALYSIS_CHART_IDS = {
  kv: 'chart-kv',
  tradeoffMemory: 'chart-tradeoff-memory',
  tradeoffKl: 'chart-tradeoff-kl',
} as const;

/**
 * KV bytes against context per model variant, log–log (contexts and sizes both span decades, and a
 * cache growing linearly is a straight line there), with each target's model budget as a dashed line.
 */
function kvChart(analysis: RunAnalysis): LineChartSpec | null {
  const contexts = analysis.contextsTokens;
  const first = contexts[0];
  const last = contexts[contexts.length - 1];
  if (analysis.kvPressure.length === 0 || first === undefined || last === undefined) return null;
  return {
    kind: 'line',
    id: ANALYSIS_CHART_IDS.kv,
    title: 'KV cache vs context (dashed: each target’s whole model budget; weights and overhead come on top)',
    xTitle: 'context, tokens (log scale)',
    yTitle: 'MiB (log scale)',
    xScale: 'logarithmic',
    yScale: 'logarithmic',
    datasets: [
      ...analysis.kvPressure.map((report) => ({
        label: kvVariantLabel(report),
        points: report.contexts.map((context) => ({ x: context.contextTokens, y: context.kvBytes / MIB })),
      })),
      ...analysis.targets.map((target) => ({
        label: `budget: ${target.name}`,
        dashed: true,
        points: [
          { x: first, y: target.memoryBytes / MIB },
          { x: last, y: target.memoryBytes / MIB },
        ],
      })),
    ],
  };
}

function scatter(
  id: string,
  title: string,
  yTitle: string,
  points: readonly TradeoffPoint[],
  y: (point: TradeoffPoint) => number,
): ScatterChartSpec {
  const dataset = (label: string, highlight: boolean): ScatterDataset => ({
    label,
    highlight,
    points: points
      .filter((point) => point.paretoOptimal === highlight)
      .map((point) => ({ x: point.decodeTokensPerSecond, y: y(point), label: point.label })),
  });
  return {
    kind: 'scatter',
    id,
    title,
    xTitle: 'decode tok/s (median; more is better)',
    yTitle,
    datasets: [dataset('Pareto-optimal', true), dataset('dominated', false)],
  };
}

/**
 * Memory against decode speed for every point; KL against decode speed for the points with a quality
 * figure, when one of them was measured (the fp32 reference alone says nothing).
 */
function tradeoffCharts(analysis: RunAnalysis): ScatterChartSpec[] {
  const points = analysis.tradeoff.points;
  if (points.length === 0) return [];
  const charts = [
    scatter(
      ANALYSIS_CHART_IDS.tradeoffMemory,
      'Memory vs decode speed (Pareto-optimal points highlighted)',
      'peak RSS, MiB (less is better)',
      points,
      (point) => point.memoryBytes / MIB,
    ),
  ];
  const withQuality = points.filter((point) => point.quality !== null);
  if (withQuality.some((point) => point.quality?.source === 'measured')) {
    charts.push(
      scatter(
        ANALYSIS_CHART_IDS.tradeoffKl,
        'Quality vs decode speed (Pareto-optimal points highlighted)',
        'KL vs fp32, nats (less is better)',
        withQuality,
        (point) => point.quality!.klMean,
      ),
    );
  }
  return charts;
}

/** Every chart the analysis sections show; empty when there is nothing measured to draw. */
export function analysisCharts(analysis: RunAnalysis): ChartSpec[] {
  const kv = kvChart(analysis);
  return [...(kv ? [kv] : []), ...tradeoffCharts(analysis)];
}
