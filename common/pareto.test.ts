import { describe, expect, it } from 'vitest';
import { dominates, isFp32Reference, paretoDominators, paretoFront, type ParetoCandidate } from './pareto';

const point = (
  decodeTokensPerSecond: number,
  memoryBytes: number,
  klMean: number | null,
): ParetoCandidate => ({
  decodeTokensPerSecond,
  memoryBytes,
  klMean,
});

describe('Pareto marking', () => {
  it('keeps the points nothing beats, ties included', () => {
    const candidates = [
      point(10, 100, 0.1), // 0: tied with 1
      point(10, 100, 0.1), // 1
      point(5, 200, 0.2), // 2: worse than 0 and 1 in everything; slower and bigger than 5 and 6
      point(20, 300, 0.3), // 3: fastest
      point(10, 100, 0.2), // 4: as fast and small as 0, but worse KL
      point(10, 100, null), // 5: no quality: speed and memory tie with 0, so nothing beats it
      point(9, 100, null), // 6: slower than 5, and than 0 on speed & memory
    ];
    expect(paretoDominators(candidates)).toEqual([[], [], [0, 1, 4, 5, 6], [], [0, 1], [], [0, 1, 4, 5]]);
  });

  it('needs at least as good in all and better in one', () => {
    expect(dominates(point(10, 100, 0.1), point(10, 100, 0.1))).toBe(false);
    expect(dominates(point(10, 100, 0.1), point(10, 101, 0.1))).toBe(true);
    expect(dominates(point(11, 100, 0.2), point(10, 100, 0.1))).toBe(false); // trades quality for speed
    expect(dominates(point(11, 100, null), point(10, 100, 0.1))).toBe(true); // KL not compared
  });
});

describe('the Pareto front over speed and KL alone', () => {
  it('marks the points no other point beats on both speed and KL', () => {
    const points = [
      { decodeTokensPerSecond: 62, klMean: 0 }, // fastest exact: front
      { decodeTokensPerSecond: 48, klMean: 0 }, // slower, same KL: dominated
      { decodeTokensPerSecond: 119, klMean: 0.02 }, // fastest: front
      { decodeTokensPerSecond: 85, klMean: 0.02 }, // dominated by 119
      { decodeTokensPerSecond: 100, klMean: 0.01 }, // between: front
      { decodeTokensPerSecond: 100, klMean: 0.01 }, // its twin: front too
    ];
    expect(paretoFront(points)).toEqual([true, false, true, false, true, true]);
  });
});

describe('the fp32 reference', () => {
  it('is fp32 weights with an fp32 KV cache', () => {
    expect(isFp32Reference({ quant: 'fp32' })).toBe(true);
    expect(isFp32Reference({ quant: 'fp32', kvDtype: 'float32' })).toBe(true);
    expect(isFp32Reference({ quant: 'fp32', kvDtype: 'float16' })).toBe(false);
    expect(isFp32Reference({ quant: 'int4' })).toBe(false);
  });
});
