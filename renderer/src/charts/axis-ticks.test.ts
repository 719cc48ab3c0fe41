import { describe, expect, it } from 'vitest';
import { powerOfTwoTicks } from './axis-ticks';

const MIB = 1024 * 1024;

describe('power-of-two ticks', () => {
  it('puts ticks at binary sizes inside the range', () => {
    // 512 tokens × 23 040 B = 11.25 MiB … 32K tokens = 720 MiB
    expect(powerOfTwoTicks(11.25 * MIB, 720 * MIB)).toEqual([16, 32, 64, 128, 256, 512].map((n) => n * MIB));
  });

  it('thins a wide range to at most the asked number of ticks', () => {
    const ticks = powerOfTwoTicks(1, 2 ** 30, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks[0]).toBe(1);
  });

  it('has nothing for an empty or non-positive range', () => {
    expect(powerOfTwoTicks(0, 100)).toEqual([]);
    expect(powerOfTwoTicks(100, 10)).toEqual([]);
  });
});
