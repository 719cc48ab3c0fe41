import type { BandwidthFigure } from '../../api';
import { MAX_OTHER_LOAD, openLoadWindow, type LoadWindow } from './machine-load';

/**
 * The noise rule every bandwidth figure goes through: time several passes, keep the best, and refuse the
 * set when its passes disagree — a figure from a busy machine would become the roofline's bound for
 * every trial after it.
 */

/**
 * The largest spread accepted. Spread = (median pass time − best pass time) ÷ best pass time.
 *
 * Why median against best rather than (max − min) ÷ max: on a quiet machine most passes land near the
 * best and one or two are stretched by a background wake-up; max − min would refuse such a set, while
 * the median does not move. A median more than 10% slower than the best means that half the passes
 * or more were disturbed, so the best may be luck too.
 */
export const MAX_SPREAD = 0.1;

/** (median − best) ÷ best over pass times (s); 0 for one pass. */
export function passSpread(passSeconds: readonly number[]): number {
  if (passSeconds.length === 0) throw new RangeError('pass spread: no passes');
  const sorted = [...passSeconds].sort((a, b) => a - b);
  const best = sorted[0]!;
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return (median - best) / best;
}

/** How strict the noise rule is; tests loosen or fake it. */
export interface NoiseRule {
  /** default MAX_SPREAD */
  maxSpread?: number;
  /** largest share of the cores other programs may use during an attempt (default MAX_OTHER_LOAD) */
  maxOtherLoad?: number;
  /** default openLoadWindow (os.cpus() and process.cpuUsage()) */
  openLoadWindow?: () => LoadWindow;
}

export interface SteadyPassOptions extends NoiseRule {
  /** untimed passes before the first attempt (page in, warm up the code) */
  warmupPasses: number;
  /** timed passes per attempt */
  passes: number;
  /** attempts before giving up on a noisy machine */
  attempts: number;
}

export type SteadyPasses =
  | {
      steady: true;
      /** s, each timed pass of the accepted attempt */
      passSeconds: number[];
      /** s */
      bestSeconds: number;
      spread: number;
    }
  | {
      steady: false;
      /** the quietest attempt's spread and other programs' share of the cores (0…1) */
      spread: number;
      otherLoad: number;
      attempts: number;
      maxSpread: number;
      maxOtherLoad: number;
    };

/**
 * Runs `timePass` (resolving to one pass's seconds) until an attempt's passes spread at most maxSpread
 * while other programs used at most maxOtherLoad of the cores.
 */
export async function steadyPasses(
  timePass: () => Promise<number>,
  options: SteadyPassOptions,
): Promise<SteadyPasses> {
  const { warmupPasses, passes, attempts, maxSpread = MAX_SPREAD, maxOtherLoad = MAX_OTHER_LOAD } = options;
  const open = options.openLoadWindow ?? openLoadWindow;
  for (const [label, value, least] of [
    ['warmupPasses', warmupPasses, 0],
    ['passes', passes, 1],
    ['attempts', attempts, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < least) {
      throw new RangeError(`bandwidth passes: ${label} must be a whole number ≥ ${least}, got ${value}`);
    }
  }
  for (let pass = 0; pass < warmupPasses; pass++) await timePass();
  let quietest = { spread: Number.POSITIVE_INFINITY, otherLoad: 1, excess: Number.POSITIVE_INFINITY };
  for (let attempt = 0; attempt < attempts; attempt++) {
    const closeLoadWindow = open();
    const passSeconds: number[] = [];
    for (let pass = 0; pass < passes; pass++) {
      const seconds = await timePass();
      if (!(seconds > 0) || !Number.isFinite(seconds)) {
        throw new RangeError(`bandwidth passes: a pass took ${seconds} s; the timer is broken`);
      }
      passSeconds.push(seconds);
    }
    const otherLoad = closeLoadWindow();
    const spread = passSpread(passSeconds);
    if (spread <= maxSpread && otherLoad <= maxOtherLoad) {
      return { steady: true, passSeconds, bestSeconds: Math.min(...passSeconds), spread };
    }
    // how far past the rule, in units of the rule's limits: the quietest attempt is what is reported
    const excess = Math.max(spread / maxSpread, otherLoad / maxOtherLoad);
    if (excess < quietest.excess) quietest = { spread, otherLoad, excess };
  }
  return {
    steady: false,
    spread: quietest.spread,
    otherLoad: quietest.otherLoad,
    attempts,
    maxSpread,
    maxOtherLoad,
  };
}

/** "14%", "2.3%": spreads and loads in method texts and refusals */
export function formatPercent(spread: number): string {
  const percent = spread * 100;
  return `${percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** A figure with the pass times it came from (kept in the cache file, for whoever doubts it). */
export interface MeasuredFigure extends BandwidthFigure {
  /** s, each timed pass of the accepted attempt */
  passSeconds: number[];
}

export type FigureOutcome =
  | { status: 'measured'; figure: MeasuredFigure }
  /** `reason` is a whole sentence for people, starting "not measured" */
  | { status: 'not-measured'; reason: string };

/** What a noisy machine is told, with the numbers of its quietest attempt. */
export function noisyReason(noisy: Extract<SteadyPasses, { steady: false }>): string {
  const attempts = `${noisy.attempts} attempt${noisy.attempts === 1 ? '' : 's'}`;
  const what =
    noisy.otherLoad > noisy.maxOtherLoad
      ? `other programs used ${formatPercent(noisy.otherLoad)} of the CPU time at best in ${attempts}; at most ` +
        `${formatPercent(noisy.maxOtherLoad)} is accepted`
      : `spread ${formatPercent(noisy.spread)} at best in ${attempts}; at most ${formatPercent(noisy.maxSpread)} is accepted`;
  return (
    `not measured: the machine was too noisy (${what}) — run ` +
    '`edge-workbench system --measure-bandwidth` on a quiet machine'
  );
}

/**
 * bytes/s from the best pass of a steady set, or the refusal of a noisy one. `method` gets the spread
 * text to end with.
 */
export function figureOf(
  bytesPerPass: number,
  passes: SteadyPasses,
  method: (spreadText: string) => string,
): FigureOutcome {
  if (!passes.steady) return { status: 'not-measured', reason: noisyReason(passes) };
  return {
    status: 'measured',
    figure: {
      bytesPerSecond: bytesPerPass / passes.bestSeconds,
      method: method(`spread ${formatPercent(passes.spread)}`),
      spread: passes.spread,
      passSeconds: passes.passSeconds,
    },
  };
}
