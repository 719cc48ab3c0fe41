import type { ChartDataset } from 'chart.js';
import type { ExecutionProvider } from '../../../profiler/api';
import { distinguishingLabels, seriesIdentity, type Dimension, type MeasuredTrial } from './compared-trial';
import { seriesColor } from './palette';

/** Axis ids: decode and prefill rates differ by an order of magnitude, so each has its own axis. */
export const SCALING_DECODE_AXIS = 'yDecode';
export const SCALING_PREFILL_AXIS = 'yPrefill';
/** the suffixes of each EP's two lines */
export const DECODE_LINE = ' · decode';
export const PREFILL_LINE = ' · prefill';

/** What a scaling group varies in; everything else (model, preset, KV, lengths, run…) stays fixed. */
const VARIED: readonly Dimension[] = ['threads', 'ep'];

/** undefined (onnxruntime's own choice) → "default", 4 → "4" */
export function threadsLabel(threads: number | undefined): string {
  return threads === undefined ? 'default' : String(threads);
}

/** ascending, onnxruntime's default last */
export function sortThreads(threads: readonly (number | undefined)[]): (number | undefined)[] {
  return [...new Set(threads)].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
}

export interface ScalingGroup {
  /** the trials' shared identity apart from threads and EP */
  id: string;
  /** what the group holds fixed ("mobilellm-r1-140m · int4") */
  label: string;
  trials: MeasuredTrial[];
  /** distinct thread counts, ascending, default last */
  threads: (number | undefined)[];
  /** distinct execution providers, in the order the trials first name them */
  eps: ExecutionProvider[];
}

/** Whether a group can show scaling: two or more thread counts or execution providers. */
export function groupScales(group: ScalingGroup): boolean {
  return group.threads.length >= 2 || group.eps.length >= 2;
}

/** The selected trials grouped by everything but threads and EP, in first-seen order. */
export function scalingGroups(trials: readonly MeasuredTrial[]): ScalingGroup[] {
  const byId = new Map<string, MeasuredTrial[]>();
  for (const trial of trials) {
    const id = seriesIdentity(trial, VARIED);
    byId.set(id, [...(byId.get(id) ?? []), trial]);
  }
  const entries = [...byId.entries()];
  const labels = distinguishingLabels(
    entries.map(([, group]) => group[0]!),
    VARIED,
  );
  return entries.map(([id, group], index) => ({
    id,
    label: labels[index]!,
    trials: group,
    threads: sortThreads(group.map((trial) => trial.result.spec.threads)),
    eps: [...new Set(group.map((trial) => trial.result.spec.ep))],
  }));
}

/**
 * The group to show first: the one with the most distinct thread counts and EPs (the first such on a
 * tie); null when no group varies in either.
 */
export function defaultScalingGroup(groups: readonly ScalingGroup[]): ScalingGroup | null {
  let best: ScalingGroup | null = null;
  const score = (group: ScalingGroup) => group.threads.length + group.eps.length;
  for (const group of groups) {
    if (!groupScales(group)) continue;
    if (!best || score(group) > score(best)) best = group;
  }
  return best;
}

export interface ScalingChartData {
  labels: string[];
  datasets: ChartDataset<'line', (number | null)[]>[];
}

/**
 * x: the group's thread counts ("default" last); per EP a solid line of decode tok/s (median, left
 * axis) and a dashed one of prefill tok/s (median, right axis). An EP with no trial at a thread count has
 * a gap there, bridged by the line.
 */
export function scalingData(group: ScalingGroup | null): ScalingChartData {
  if (!group) return { labels: [], datasets: [] };
  return {
    labels: group.threads.map(threadsLabel),
    datasets: group.eps.flatMap((ep, index) => {
      const color = seriesColor(index);
      const at = (threads: number | undefined) =>
        group.trials.find((trial) => trial.result.spec.ep === ep && trial.result.spec.threads === threads);
      const line = (suffix: string, yAxisID: string, metric: 'decode' | 'prefill', dashed: boolean) => ({
        label: `${ep}${suffix}`,
        data: group.threads.map((threads) => {
          const summary = at(threads)?.result.summary;
          if (!summary) return null;
          return metric === 'decode'
            ? (summary.decodeTokensPerSecond?.median ?? null)
            : (summary.prefillTokensPerSecond?.median ?? null);
        }),
        yAxisID,
        borderColor: color,
        backgroundColor: color,
        borderDash: dashed ? [6, 4] : [],
        pointRadius: 3,
        spanGaps: true,
      });
      return [
        line(DECODE_LINE, SCALING_DECODE_AXIS, 'decode', false),
        line(PREFILL_LINE, SCALING_PREFILL_AXIS, 'prefill', true),
      ];
    }),
  };
}
