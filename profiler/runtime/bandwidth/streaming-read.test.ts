import { describe, expect, it } from 'vitest';
import { measureStreamingBandwidth, planStreamingBuffers } from './streaming-read';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** a noise rule no machine fails: these tests check the mechanics, steady-passes.test.ts the rule */
const anyNoise = { maxSpread: Number.POSITIVE_INFINITY, maxOtherLoad: 1 };

describe('planStreamingBuffers', () => {
  it('reads 8× the last-level cache in all, split over one worker per core', () => {
    // this 2-core VM: a 480 MiB L3, 23 GiB free
    expect(
      planStreamingBuffers({ workers: 2, lastLevelCacheBytes: 480 * MiB, freeMemoryBytes: 23 * GiB }),
    ).toEqual({
      workers: 2,
      bytesPerWorker: 1920 * MiB,
      sizing: '2 workers × 1920 MiB = 3840 MiB (8.0× the 480 MiB last-level cache)',
    });
  });

  it('reads at least 512 MiB when the cache is small', () => {
    const plan = planStreamingBuffers({
      workers: 8,
      lastLevelCacheBytes: 16 * MiB,
      freeMemoryBytes: 8 * GiB,
    });
    expect(plan).toMatchObject({ workers: 8, bytesPerWorker: 64 * MiB });
    expect('sizing' in plan && plan.sizing).toBe(
      '8 workers × 64 MiB = 512 MiB (32× the 16 MiB last-level cache)',
    );
  });

  it('stays within half the free memory on a small board, and says so', () => {
    const plan = planStreamingBuffers({
      workers: 4,
      lastLevelCacheBytes: 2 * MiB,
      freeMemoryBytes: 600 * MiB,
    });
    expect(plan).toMatchObject({ workers: 4, bytesPerWorker: 75 * MiB });
    expect('sizing' in plan && plan.sizing).toContain('limited to half the free memory');
  });

  it('refuses when buffers far larger than the cache do not fit in free memory', () => {
    const plan = planStreamingBuffers({
      workers: 2,
      lastLevelCacheBytes: 480 * MiB,
      freeMemoryBytes: 4 * GiB,
    });
    expect(plan).toEqual({
      problem: expect.stringMatching(/^not measured: .*3840 MiB .*only 4096 MiB is free/),
    });
  });
});

describe('measureStreamingBandwidth', () => {
  it('reads with every worker and reports the best pass, labelled with how it was measured', async () => {
    const plan = { workers: 2, bytesPerWorker: 8 * MiB, sizing: '2 workers × 8 MiB (test)' };
    const outcome = await measureStreamingBandwidth({ plan, passes: 3, attempts: 1, noise: anyNoise });
    if (outcome.status !== 'measured') throw new Error(outcome.reason);
    expect(outcome.figure.bytesPerSecond).toBeGreaterThan(1e8);
    expect(outcome.figure.bytesPerSecond).toBeLessThan(1e13);
    expect(outcome.figure.passSeconds).toHaveLength(3);
    expect(outcome.figure.method).toMatch(
      /^streaming read on every core: 2 workers × 8 MiB \(test\); every 64-byte line read \(WebAssembly SIMD\), workers released together; best of 3 passes \(first start to last end\), spread \d/,
    );
  });

  it('is not measured when its passes are noisy', async () => {
    const plan = { workers: 2, bytesPerWorker: 8 * MiB, sizing: 'fake' };
    const seconds = [0.1, 0.15, 0.1, 0.15]; // median 0.125 s: 25% over the best
    const outcome = await measureStreamingBandwidth({
      plan,
      warmupPasses: 0,
      passes: 2,
      attempts: 2,
      timePass: async () => seconds.shift() ?? 0.2,
      noise: { openLoadWindow: () => () => 0 },
    });
    expect(outcome).toEqual({
      status: 'not-measured',
      reason: expect.stringContaining('too noisy (spread 25%'),
    });
  });
});
