import type { TrialResult } from '../../../../profiler/api';
import type { LiveMemorySample, LivePhaseMark, LiveTrial } from '../../stores/live-run-store';

/** A chart point: x and y in the units the chart's axis titles name. */
export interface SeriesPoint {
  x: number;
  y: number;
}

/** Per-token latency by decode position: x = position (1 = first generated token after prefill), y = ms. */
export function latencySeries(stepMs: readonly number[]): SeriesPoint[] {
  return stepMs.map((ms, index) => ({ x: index + 1, y: ms }));
}

type MemorySample = TrialResult['memoryTimeline'][number];

/**
 * RSS over the trial: x = ms since the trial started, y = bytes. Samples arrive ~20 ms apart, so a long trial
 * has tens of thousands; past `maxPoints` they are bucketed and each bucket keeps its largest sample, so the
 * peak — the number people look for — survives the thinning.
 */
export function memorySeries(timeline: readonly MemorySample[], maxPoints = 1500): SeriesPoint[] {
  const points = timeline.map((sample) => ({ x: sample.tMs, y: sample.rssBytes }));
  if (points.length <= maxPoints || maxPoints < 3) return points;
  const inner = maxPoints - 2; // the first and last samples are always kept
  const bucketSize = (points.length - 2) / inner;
  const thinned: SeriesPoint[] = [points[0]!];
  for (let bucket = 0; bucket < inner; bucket += 1) {
    const start = 1 + Math.floor(bucket * bucketSize);
    const end = Math.min(points.length - 1, 1 + Math.floor((bucket + 1) * bucketSize));
    let largest = points[start]!;
    for (let index = start + 1; index < end; index += 1) {
      if (points[index]!.y > largest.y) largest = points[index]!;
    }
    thinned.push(largest);
  }
  thinned.push(points[points.length - 1]!);
  return thinned;
}

/** The running trial, if one is. */
export function runningTrial(trials: readonly LiveTrial[]): LiveTrial | undefined {
  return trials.find((trial) => trial.status === 'running');
}

/** The last trial (in queue order, which is the order they run) that has a result, ok or failed. */
export function lastFinishedTrial(trials: readonly LiveTrial[]): LiveTrial | undefined {
  return trials.findLast((trial) => trial.result !== undefined);
}

export interface LatencySource {
  /** the trial the latencies belong to; null when none is known */
  label: string | null;
  stepMs: readonly number[];
  /** true while the trial is decoding now */
  live: boolean;
}

/**
 * What the latency chart shows: the running trial's current repetition as it decodes; between trials, or for
 * a finished run, the last repetition of the last finished trial.
 */
export function latencySource(trials: readonly LiveTrial[], stepMs: readonly number[]): LatencySource {
  const running = runningTrial(trials);
  if (running) return { label: running.label, stepMs, live: true };
  const finished = lastFinishedTrial(trials);
  const repetition = finished?.result?.repetitions.at(-1);
  if (finished && repetition) return { label: finished.label, stepMs: repetition.decodeStepMs, live: false };
  return { label: null, stepMs, live: false };
}

/** The median of a list of numbers, or null when it is empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What the memory chart shows, and the phase changes to shade behind it. */
export interface MemorySource {
  /** the trial whose memory it is; undefined when none is known */
  trial: LiveTrial | undefined;
  timeline: readonly MemorySample[];
  marks: readonly LivePhaseMark[];
  /** true while the trial runs */
  live: boolean;
}

/** The live samples of one trial, as the live store keeps them. */
export interface LiveMemory {
  key: string | null;
  samples: readonly LiveMemorySample[];
  marks: readonly LivePhaseMark[];
}

/**
 * The memory chart follows the running trial once its first sample arrives; until then, and between trials,
 * it shows the last finished trial's recorded timeline — shaded when its phases were seen live (same clock).
 */
export function memorySource(trials: readonly LiveTrial[], live: LiveMemory): MemorySource {
  const running = runningTrial(trials);
  if (running && running.key === live.key && live.samples.length > 0)
    return { trial: running, timeline: live.samples, marks: live.marks, live: true };
  const finished = lastFinishedTrial(trials);
  return {
    trial: finished,
    timeline: finished?.result?.memoryTimeline ?? [],
    marks: finished && finished.key === live.key ? live.marks : [],
    live: false,
  };
}
