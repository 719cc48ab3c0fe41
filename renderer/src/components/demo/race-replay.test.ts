import { describe, expect, it } from 'vitest';
import type { MeasuredTrial } from '../../charts/compared-trial';
import { measuredTrial } from '../../../../common/test/trial-result';
import {
  laneAt,
  raceLengthMs,
  replayLane,
  replayedRepetition,
  slowMotionFactor,
  SLOW_MOTION_TARGET_MS,
} from './race-replay';

/**
 * One trial of three repetitions (P 16, G 3 at the end of a 512-token window): the second repetition has
 * the median decode rate. Its steps take 10, 10 and 20 ms plus 1 ms of sampling each: tokens at
 * 100 ms (TTFT), 111, 122 and 143 ms; 3 tokens / 40 ms of decode = 75 tok/s.
 */
function trial(extra: { generatedText?: string; device?: string } = {}): MeasuredTrial {
  const result = measuredTrial({
    spec: { contextTokens: 512, promptTokens: 16, generateTokens: 3 },
    samples: {
      ttftMs: [90, 100, 120],
      prefillTokensPerSecond: [170, 160, 150],
      decodeTokensPerSecond: [100, 75, 50],
      decodeStepMs: [
        [10, 10, 10],
        [10, 10, 20],
        [20, 20, 20],
      ],
      samplingMs: [
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
      ],
    },
    extra: {
      ...(extra.generatedText === undefined ? {} : { generatedText: extra.generatedText }),
      finishedAt: '2026-12-05T22:41:09.000Z',
    },
  });
  if (extra.device) result.environment = { ...result.environment, device: extra.device };
  return { id: 'run-1/t1', runId: 'run-1', runName: 'run', key: 't1', result } as MeasuredTrial;
}

describe('race replay', () => {
  it('replays the median repetition, each token at the time it was measured', () => {
    const lane = replayLane(trial({ device: 'build-box' }), 'r1 · int4')!;
    expect(replayedRepetition(trial().result)).toEqual({ index: 1, why: 'the median decode rate' });
    expect(lane.tokenTimesMs).toEqual([100, 111, 122, 143]);
    expect(lane.provenance).toBe('replay of measured run, 5 Dec 2026, build-box');
    expect(lane.repetitionNote).toBe('repetition 2 of 3 (the median decode rate)');
    expect(raceLengthMs([lane])).toBe(143);
  });

  it('names the CPU when the run does not name its device', () => {
    const lane = replayLane(trial(), 'r1')!;
    expect(lane.provenance).toBe(`replay of measured run, 5 Dec 2026, ${trial().result.environment.cpu}`);
  });

  it('counts tokens/s, TTFT and the KV cache up as the tokens appear, ending at what was measured', () => {
    const lane = replayLane(trial(), 'r1')!;
    const bytesPerToken = lane.kvBytesPerToken!;
    expect(bytesPerToken).toBeGreaterThan(0);
    // before the first token: the wait so far, nothing out
    expect(laneAt(lane, 40)).toMatchObject({
      tokens: 0,
      ttftMs: 40,
      ttftFinal: false,
      tokensPerSecond: null,
    });
    expect(laneAt(lane, 100)).toMatchObject({
      tokens: 1,
      ttftMs: 100,
      ttftFinal: true,
      tokensPerSecond: null,
    });
    // one decode step of 10 ms: 100 tok/s so far
    expect(laneAt(lane, 111).tokensPerSecond).toBeCloseTo(100, 10);
    const end = laneAt(lane, 143);
    // G / Σ decode run() = the repetition's decode tok/s
    expect(end).toMatchObject({ tokens: 4, finished: true });
    expect(end.tokensPerSecond).toBeCloseTo(75, 10);
    // the cache holds depth (512 − 16 − 3) + prompt + the tokens out
    expect(end.kvBytes).toBe(bytesPerToken * (493 + 16 + 4));
    expect(laneAt(lane, 100).kvBytes).toBe(bytesPerToken * (493 + 16 + 1));
  });

  it('shows generated text in step with the tokens when a tokenizer decoded it, from the first repetition', () => {
    const lane = replayLane(trial({ generatedText: 'abcdefgh' }), 'r1')!;
    expect(lane.repetitionNote).toBe('repetition 1 of 3 (the one whose text was decoded)');
    expect(lane.tokenTimesMs).toEqual([90, 101, 112, 123]);
    expect(laneAt(lane, 101).text).toBe('abcd');
    expect(laneAt(lane, 500).text).toBe('abcdefgh');
    expect(replayLane(trial(), 'r1')!.text).toBeNull();
  });

  it('slows a race that is over too fast to see, by a whole factor the screen states', () => {
    const lane = replayLane(trial(), 'r1')!;
    expect(slowMotionFactor([lane])).toBe(Math.round(SLOW_MOTION_TARGET_MS / 143));
    const slow = { ...lane, tokenTimesMs: [1000, 3000, 5000] };
    expect(slowMotionFactor([slow])).toBe(1);
    expect(slowMotionFactor([])).toBe(1);
  });
});
