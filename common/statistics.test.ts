import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './statistics';

describe('summarize', () => {
  it('gives the sample standard deviation (n − 1) and the CV', () => {
    const stats = summarize([10, 12, 14]);
    expect(stats).toMatchObject({ n: 3, mean: 12, median: 12, min: 10, max: 14 });
    expect(stats.std).toBeCloseTo(2, 12);
    expect(stats.cv).toBeCloseTo(2 / 12, 12);
  });
  it('has zero spread for one sample', () => {
    expect(summarize([5])).toMatchObject({ n: 1, mean: 5, std: 0, cv: 0 });
  });
});

describe('percentile', () => {
  it('interpolates linearly between ranks, as numpy does', () => {
    const samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(samples, 50)).toBeCloseTo(5.5, 12);
    expect(percentile(samples, 90)).toBeCloseTo(9.1, 12);
    expect(percentile(samples, 99)).toBeCloseTo(9.91, 12);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });
});
