import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../../profiler/api';
import { failedTrial, measuredTrial } from '../../../../common/test/trial-result';
import type { LiveTrial } from '../../stores/live-run-store';
import {
  lastFinishedTrial,
  latencySeries,
  latencySource,
  median,
  memorySeries,
  memorySource,
} from './live-series';

/** A trial whose repetitions took these decode steps (ms; none given: the builder's), with this timeline. */
function result(decodeStepMs: number[][], memoryTimeline: TrialResult['memoryTimeline'] = []): TrialResult {
  return measuredTrial({
    samples: decodeStepMs.length > 0 ? { decodeStepMs } : {},
    extra: { memoryTimeline },
  });
}

const trial = (key: string, status: LiveTrial['status'], extra: Partial<LiveTrial> = {}): LiveTrial => ({
  key,
  label: `trial ${key}`,
  status,
  ...extra,
});

describe('latencySeries', () => {
  it('puts each decode step at its position, counting from the first generated token', () => {
    expect(latencySeries([12.5, 11, 13.25])).toEqual([
      { x: 1, y: 12.5 },
      { x: 2, y: 11 },
      { x: 3, y: 13.25 },
    ]);
    expect(latencySeries([])).toEqual([]);
  });
});

describe('memorySeries', () => {
  it('plots RSS bytes against ms', () => {
    const timeline = [
      { tMs: 0, rssBytes: 100 },
      { tMs: 20, rssBytes: 300 },
      { tMs: 40, rssBytes: 250 },
    ];
    expect(memorySeries(timeline)).toEqual([
      { x: 0, y: 100 },
      { x: 20, y: 300 },
      { x: 40, y: 250 },
    ]);
  });

  it('thins a long timeline to the limit but keeps the peak, the first and the last sample', () => {
    const timeline = Array.from({ length: 10_000 }, (_, index) => ({
      tMs: index * 20,
      rssBytes: index === 4321 ? 9e9 : 1e8 + index,
    }));
    const points = memorySeries(timeline, 500);
    expect(points).toHaveLength(500);
    expect(points[0]).toEqual({ x: 0, y: 1e8 });
    expect(points.at(-1)).toEqual({ x: 9999 * 20, y: 1e8 + 9999 });
    expect(Math.max(...points.map((point) => point.y))).toBe(9e9);
    expect(points.some((point) => point.x === 4321 * 20)).toBe(true);
    // still in time order, as the chart's normalized data must be
    expect(points.every((point, index) => index === 0 || point.x > points[index - 1]!.x)).toBe(true);
  });
});

describe('which trial the charts show', () => {
  it('the memory chart shows the last trial with a result, failed ones included', () => {
    const failed = trial('b', 'failed', {
      result: failedTrial({ failure: { kind: 'out-of-memory', message: 'out of memory' } }),
      reason: 'out of memory',
    });
    const trials = [trial('a', 'done', { result: result([[1]]) }), failed, trial('c', 'running')];
    expect(lastFinishedTrial(trials)).toBe(failed);
    expect(lastFinishedTrial([trial('a', 'pending')])).toBeUndefined();
  });

  it("the latency chart follows the running trial's live steps", () => {
    const trials = [trial('a', 'done', { result: result([[9, 9]]) }), trial('b', 'running')];
    expect(latencySource(trials, [1, 2, 3])).toEqual({ label: 'trial b', stepMs: [1, 2, 3], live: true });
  });

  it('between trials it shows the last repetition of the last finished trial', () => {
    const trials = [
      trial('a', 'done', {
        result: result([
          [5, 5],
          [4, 6],
        ]),
      }),
      trial('b', 'pending'),
    ];
    expect(latencySource(trials, [])).toEqual({ label: 'trial a', stepMs: [4, 6], live: false });
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('memorySource', () => {
  const recorded = [{ tMs: 0, rssBytes: 1e8 }];
  const marks = [{ tMs: 0, phase: 'load' as const }];
  const samples = [{ tMs: 10, rssBytes: 2e8, phase: 'load' as const }];

  it("follows the running trial once it has samples, else the last finished trial's recorded timeline", () => {
    const trials = [trial('a', 'done', { result: result([], recorded) }), trial('b', 'running')];
    const running = memorySource(trials, { key: 'b', samples, marks });
    expect(running).toMatchObject({ live: true, timeline: samples, marks });
    expect(running.trial?.key).toBe('b');

    const waiting = memorySource(trials, { key: 'b', samples: [], marks: [] });
    expect(waiting).toMatchObject({ live: false, timeline: recorded, marks: [] });
    expect(waiting.trial?.key).toBe('a');
  });

  it('keeps the phases seen live for the trial that just finished', () => {
    const trials = [trial('a', 'done', { result: result([], recorded) }), trial('b', 'pending')];
    expect(memorySource(trials, { key: 'a', samples, marks }).marks).toEqual(marks);
  });
});
