import { describe, expect, it } from 'vitest';
import { percentile } from '../statistics';
import { measuredTrial, timings, withMedian } from './trial-result';

describe('the trial builder', () => {
  it("summarizes the repetitions it is given, as the engine's statistics do", () => {
    const trial = measuredTrial({
      samples: {
        ttftMs: [100, 110, 120],
        prefillTokensPerSecond: [900, 1000, 1100],
        decodeTokensPerSecond: [50, 60, 70],
        decodeStepMs: [[16], [17], [18]],
      },
    });
    expect(trial.spec.repetitions).toBe(3);
    expect(trial.summary!.decodeTokensPerSecond).toMatchObject({
      n: 3,
      mean: 60,
      median: 60,
      min: 50,
      max: 70,
    });
    expect(trial.summary?.decodeTokensPerSecond!.std).toBeCloseTo(10, 12);
    // CV 1/6 of decode tok/s: noisy
    expect(trial.summary?.noisy).toBe(true);
    expect(trial.summary?.perTokenMs!.p50).toBe(17);
  });

  it('refuses repetitions that disagree in number', () => {
    expect(() => measuredTrial({ samples: { ttftMs: [1, 2], decodeTokensPerSecond: [1, 2, 3] } })).toThrow(
      /ttftMs has 2 repetitions, decode 3/,
    );
  });

  it('makes step timings whose percentiles are exactly the ones asked for', () => {
    const steps = timings(5, 64, { p50: 16.1, p90: 17, p99: 19.4 }).flat();
    expect(steps).toHaveLength(320);
    expect([50, 90, 99].map((p) => percentile(steps, p))).toEqual([16.1, 17, 19.4]);
    expect(() => timings(1, 2, { p50: 1, p90: 2, p99: 3 })).toThrow(/too few/);
  });

  it('moves samples to a median exactly, keeping their relative spread', () => {
    expect(withMedian([10, 8, 12], 20)).toEqual([20, 16, 24]);
  });
});
