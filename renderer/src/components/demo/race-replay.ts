import type { TrialResult } from '../../../../profiler/api';
import type { MeasuredTrial } from '../../charts/compared-trial';

/**
 * The booth's race: measured trials replayed side by side, each token appearing at the time its trial
 * recorded it. Nothing runs: the lanes are the measurements (a repetition's TTFT, then each decode
 * step's run() plus its sampling), so they never compete for the CPU and cannot be faster or slower than
 * what was measured. A lane's numbers count up as its tokens appear:
 *
 * - tokens/s: tokens decoded so far ÷ the decode run() time they took — at the end exactly the
 *   repetition's decode tok/s (the metric glossary's definition);
 * - TTFT: the repetition's, once its first token is out (until then the wait so far);
 * - KV cache: bytes per token (measured from the present tensors) × tokens the cache holds (depth +
 *   prompt + tokens generated so far); the trial's measured peak RSS beside it.
 */

/** at most this many lanes race: more would not read from 3 m */
export const MAX_LANES = 4;
/** ms the finished race stays on screen before it starts again */
export const FINISH_HOLD_MS = 4000;
/** a race shorter than this (ms, as measured) is shown slowed down, saying by how much */
export const SLOW_MOTION_BELOW_MS = 4000;
/** ms a slowed-down race lasts on screen */
export const SLOW_MOTION_TARGET_MS = 8000;

export interface ReplayLane {
  id: string;
  /** what tells this lane apart from the others (distinguishingLabels) */
  label: string;
  /** "replay of measured run, 5 Dec 2026, build-box" */
  provenance: string;
  /** "repetition 3 of 5 (the median decode rate)" */
  repetitionNote: string;
  /** ms from the prefill run() call: when each generated token appeared (the first at TTFT) */
  tokenTimesMs: number[];
  /** ms: this repetition's TTFT */
  ttftMs: number;
  /** ms, each decode step's run(): tokens/s divides by their running sum */
  decodeStepMs: number[];
  /** bytes of KV cache per token (exact, from the present tensors); null when the trial did not record it */
  kvBytesPerToken: number | null;
  /** tokens cached before the first generated token: depth + prompt */
  tokensBeforeMs0: number;
  /** bytes, the trial's own peak resident memory */
  peakRssBytes: number | null;
  /** the repetition's text when a tokenizer decoded it; null: synthetic weights, shown as token blocks */
  text: string | null;
}

/** One lane at a moment of the replay. */
export interface LaneFrame {
  /** generated tokens out so far */
  tokens: number;
  /** ms: the TTFT once the first token is out, else the wait so far */
  ttftMs: number;
  ttftFinal: boolean;
  /** decode tok/s over the steps shown; null before the second token */
  tokensPerSecond: number | null;
  /** bytes of KV cache held now; null when unknown */
  kvBytes: number | null;
  /** the text out so far (proportional to the tokens out), null for token blocks */
  text: string | null;
  finished: boolean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}

/**
 * Which repetition a lane replays: the first timed one when its text was decoded (a trial keeps the
 * first repetition's text only), else the one whose decode rate is the median (lower middle of an even
 * count), so the race shows a typical run, not the luckiest.
 */
export function replayedRepetition(result: TrialResult): { index: number; why: string } {
  const repetitions = result.repetitions;
  if (result.generatedText !== undefined && repetitions.length > 0)
    return { index: 0, why: 'the one whose text was decoded' };
  const rates = repetitions.map((repetition) => repetition.decodeTokensPerSecond);
  const middle = median(rates);
  const index = Math.max(0, rates.indexOf(middle));
  return { index, why: repetitions.length > 1 ? 'the median decode rate' : 'the only one' };
}

/** "5 Dec 2026" */
export function raceDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The device a trial ran on: its name (serve --name or the hostname), else its CPU. */
export function deviceOf(result: TrialResult): string {
  return result.environment.device ?? result.environment.cpu;
}

/** A measured trial as a lane; null when it kept no repetition to replay. */
export function replayLane(trial: MeasuredTrial, label: string): ReplayLane | null {
  const result = trial.result;
  const { index, why } = replayedRepetition(result);
  const repetition = result.repetitions[index];
  if (!repetition || repetition.decodeStepMs.length === 0) return null;
  const sampling = repetition.samplingMs ?? [];
  const tokenTimesMs = [repetition.ttftMs];
  let atMs = repetition.ttftMs;
  repetition.decodeStepMs.forEach((stepMs, step) => {
    atMs += stepMs + (sampling[step] ?? 0);
    tokenTimesMs.push(atMs);
  });
  const depth = result.kvSetup?.depthTokens ?? result.spec.depthTokens;
  return {
    id: trial.id,
    label,
    provenance: `replay of measured run, ${raceDate(result.finishedAt)}, ${deviceOf(result)}`,
    repetitionNote: `repetition ${index + 1} of ${result.repetitions.length} (${why})`,
    tokenTimesMs,
    ttftMs: repetition.ttftMs,
    decodeStepMs: repetition.decodeStepMs,
    kvBytesPerToken: result.kvCache?.bytesPerToken ?? null,
    tokensBeforeMs0: depth + result.spec.promptTokens,
    peakRssBytes: result.peakRssBytes ?? null,
    text: index === 0 && result.generatedText !== undefined ? result.generatedText : null,
  };
}

/** ms the last token of the lane appeared */
export function laneEndMs(lane: ReplayLane): number {
  return lane.tokenTimesMs.at(-1) ?? 0;
}

/** ms the race lasts as measured: its slowest lane */
export function raceLengthMs(lanes: readonly ReplayLane[]): number {
  return Math.max(0, ...lanes.map(laneEndMs));
}

/**
 * How many times slower than measured the race is shown: 1 unless the whole race is over in under
 * SLOW_MOTION_BELOW_MS (a tiny model's 64 tokens can take 0.2 s), then a whole factor that stretches it
 * to about SLOW_MOTION_TARGET_MS. The screen says so whenever it is not 1.
 */
export function slowMotionFactor(lanes: readonly ReplayLane[]): number {
  const lengthMs = raceLengthMs(lanes);
  if (lengthMs <= 0 || lengthMs >= SLOW_MOTION_BELOW_MS) return 1;
  return Math.max(1, Math.round(SLOW_MOTION_TARGET_MS / lengthMs));
}

/** The lane `elapsedMs` (measured time, already divided by any slow motion) after the prefill started. */
export function laneAt(lane: ReplayLane, elapsedMs: number): LaneFrame {
  let tokens = 0;
  while (tokens < lane.tokenTimesMs.length && (lane.tokenTimesMs[tokens] ?? Infinity) <= elapsedMs)
    tokens += 1;
  const total = lane.tokenTimesMs.length;
  // decode steps done: every token after the first came from one
  const steps = Math.max(0, tokens - 1);
  const decodeMs = lane.decodeStepMs.slice(0, steps).reduce((sum, ms) => sum + ms, 0);
  const held = lane.tokensBeforeMs0 + tokens;
  return {
    tokens,
    ttftMs: tokens > 0 ? lane.ttftMs : Math.max(0, elapsedMs),
    ttftFinal: tokens > 0,
    tokensPerSecond: steps > 0 && decodeMs > 0 ? steps / (decodeMs / 1000) : null,
    kvBytes: lane.kvBytesPerToken === null ? null : lane.kvBytesPerToken * held,
    text: lane.text === null ? null : lane.text.slice(0, Math.round((lane.text.length * tokens) / total)),
    finished: tokens === total,
  };
}

/**
 * The trials a race shows by default: the comparison open in Compare, else the newest run's, measured
 * trials that kept their per-token timings, at most MAX_LANES, in the order Compare lists them.
 */
export function raceTrials(trials: readonly MeasuredTrial[]): MeasuredTrial[] {
  return trials
    .filter((trial) => trial.result.repetitions.some((repetition) => repetition.decodeStepMs.length > 0))
    .slice(0, MAX_LANES);
}
