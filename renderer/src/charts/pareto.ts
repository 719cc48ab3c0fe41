import type { ChartDataset } from 'chart.js';
import type { RunDocument, RunQualityEntry } from '../../../profiler/api';
import { testName } from '../../../common/labels';
import { paretoFront, qualityOf } from '../../../common/pareto';
import { distinguishingLabels, type MeasuredTrial } from './compared-trial';
import { seriesColor, withAlpha } from './palette';

export interface QualityPoint {
  id: string;
  label: string;
  /** tok/s, median over repetitions */
  decodeTokensPerSecond: number;
  /** nats, KL(p_fp32 ‖ p_variant) averaged over positions */
  klMean: number;
  /** reference: the fp32 variant with an fp32 cache is the reference itself (KL 0) */
  source: 'measured' | 'reference';
  /** "pp128+tg64 @ d2048": points are compared only within one workload (a deeper cache is a harder job) */
  workload: string;
}

/** Whether any opened run measured quality (`sweep --quality`). */
export function runsHaveQuality(docs: readonly RunDocument[]): boolean {
  return docs.some((doc) => doc.quality.length > 0);
}

/** Trials with a quality number: measured for their model and preset, or the fp32 reference itself. */
export function qualityPoints(
  trials: readonly MeasuredTrial[],
  qualityByRun: ReadonlyMap<string, readonly RunQualityEntry[]>,
): QualityPoint[] {
  interface Found {
    trial: MeasuredTrial;
    decodeTokensPerSecond: number;
    klMean: number;
    source: QualityPoint['source'];
  }
  const found = trials.flatMap((trial): Found[] => {
    const quality = qualityOf(trial.result.spec, qualityByRun.get(trial.runId) ?? []);
    const decode = trial.result.summary.decodeTokensPerSecond;
    return quality && decode
      ? [{ trial, decodeTokensPerSecond: decode.median, klMean: quality.klMean, source: quality.source }]
      : [];
  });
  const labels = distinguishingLabels(found.map(({ trial }) => trial));
  return found.map(({ trial, decodeTokensPerSecond, klMean, source }, index) => ({
    id: trial.id,
    label: labels[index]!,
    decodeTokensPerSecond,
    klMean,
    source,
    workload: testName(trial.result.spec),
  }));
}

interface ScatterPoint {
  x: number;
  y: number;
}

export type LabelledScatterDataset = ChartDataset<'scatter', ScatterPoint[]> & { pointLabels: string[] };

/**
 * x: decode tok/s, y: KL mean (nats). Each workload's front is drawn as a line through its points,
 * slowest first; the dominated points as plain dots.
 */
export function qualityScatterData(points: readonly QualityPoint[]): { datasets: LabelledScatterDataset[] } {
  const workloads = [...new Set(points.map((point) => point.workload))];
  const fronts: QualityPoint[][] = [];
  const others: QualityPoint[] = [];
  for (const workload of workloads) {
    const group = points.filter((point) => point.workload === workload);
    const onFront = paretoFront(group);
    fronts.push(
      group
        .filter((_, index) => onFront[index])
        .sort((a, b) => a.decodeTokensPerSecond - b.decodeTokensPerSecond),
    );
    others.push(...group.filter((_, index) => !onFront[index]));
  }
  const dataset = (
    label: string,
    members: readonly QualityPoint[],
    colorIndex: number,
    line: boolean,
  ): LabelledScatterDataset => ({
    label,
    data: members.map((point) => ({ x: point.decodeTokensPerSecond, y: point.klMean })),
    pointLabels: members.map((point) => point.label),
    borderColor: seriesColor(colorIndex),
    backgroundColor: line ? seriesColor(colorIndex) : withAlpha(seriesColor(colorIndex), 0.5),
    pointRadius: line ? 5 : 4,
    pointStyle: line ? 'rectRot' : 'circle',
    showLine: line,
  });
  return {
    datasets: [
      ...fronts.map((front, index) =>
        dataset(
          workloads.length > 1 ? `Pareto front, ${workloads[index]}` : 'Pareto front',
          front,
          index + 1,
          true,
        ),
      ),
      dataset('dominated', others, 0, false),
    ],
  };
}
