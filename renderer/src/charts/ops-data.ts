import type { ChartDataset } from 'chart.js';
import type { OpBreakdown } from '../../../profiler/api';
import { seriesColor, withAlpha } from './palette';

export type OpsDataset = ChartDataset<'bar', number[]> & {
  /** ms summed over the phase's runs, per label */
  totalsMs: number[];
};

export interface OpsChartData {
  labels: string[];
  datasets: OpsDataset[];
}

export const OTHER_OPS = 'other';

/**
 * Share of node time (%) per operator type in prefill and in decode, the `limit` operators that weigh
 * most in either phase first and the rest summed as "other". Shares compare the phases, whose totals
 * differ by orders of magnitude.
 */
export function opsData(breakdown: OpBreakdown, limit = 10): OpsChartData {
  const weight = new Map<string, number>();
  for (const op of [...breakdown.prefill, ...breakdown.decode]) {
    weight.set(op.opType, Math.max(weight.get(op.opType) ?? 0, op.share));
  }
  const ranked = [...weight.entries()].sort((a, b) => b[1] - a[1]).map(([opType]) => opType);
  const shown = ranked.slice(0, limit);
  const rest = new Set(ranked.slice(limit));
  const labels = rest.size ? [...shown, OTHER_OPS] : shown;
  const phase = (label: string, ops: OpBreakdown['prefill'], colorIndex: number): OpsDataset => {
    const pick = (opType: string, field: 'share' | 'totalMs'): number =>
      opType === OTHER_OPS && rest.size
        ? ops.filter((op) => rest.has(op.opType)).reduce((sum, op) => sum + op[field], 0)
        : (ops.find((op) => op.opType === opType)?.[field] ?? 0);
    return {
      label,
      data: labels.map((opType) => pick(opType, 'share') * 100),
      totalsMs: labels.map((opType) => pick(opType, 'totalMs')),
      backgroundColor: withAlpha(seriesColor(colorIndex), 0.8),
      borderColor: seriesColor(colorIndex),
      borderWidth: 1,
    };
  };
  return {
    labels,
    datasets: [phase('prefill', breakdown.prefill, 1), phase('decode', breakdown.decode, 0)],
  };
}
