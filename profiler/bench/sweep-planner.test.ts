import { describe, expect, it } from 'vitest';
import { estimateTrial, planSweep, SweepSpecError, trialKey } from './sweep-planner';

const estimates = { bandwidthBytesPerSecond: 10e9, bandwidthSource: 'a fixed 10 GB/s for tests' };
const r1 = {
  kind: 'catalog' as const,
  id: 'mobilellm-r1-950m',
  overrides: {},
  style: 'fused' as const,
  seed: 0,
};

describe('planSweep', () => {
  it('expands the cartesian product, each trial with a stable key and an estimate', () => {
    const plan = planSweep(
      { models: [r1], quants: ['fp32', 'int4'], contexts: [512, 2048], prompts: [128], gens: [64] },
      estimates,
    );
    expect(plan.trials).toHaveLength(4);
    expect(new Set(plan.trials.map((t) => t.key)).size).toBe(4);
    const again = planSweep({ models: [r1], quants: ['fp32', 'int4'], contexts: [512, 2048] }, estimates);
    expect(again.trials.map((t) => t.key)).toEqual(plan.trials.map((t) => t.key));
  });

  it('estimates weights, KV at the full length and overhead before running', () => {
    const plan = planSweep(
      {
        models: [r1],
        quants: ['fp32', 'int4'],
        contexts: [32768],
        prompts: [128],
        gens: [64],
        kvDtypes: ['float16'],
      },
      estimates,
    );
    const [fp32, int4] = plan.trials;
    expect(fp32!.estimate.weightsBytes).toBe(949_685_760 * 4);
    expect(int4!.estimate.weightsBytes).toBeCloseTo(949_685_760 * 0.625, 0); // 4-bit + an fp32 scale per 32
    expect(fp32!.estimate.kvBytes).toBe(33_792 * (128 + 64)); // fp16 KV: 2·22·6·64·2 bytes per token
    expect(fp32!.estimate.peakBytes).toBe(
      fp32!.estimate.weightsBytes + fp32!.estimate.kvBytes + fp32!.estimate.overheadBytes,
    );
    expect(int4!.estimate.peakBytes).toBeLessThan(fp32!.estimate.peakBytes);
  });

  it('marks what will not fit a budget, and what is tight', () => {
    const plan = planSweep(
      { models: [r1], quants: ['fp32', 'int4'], contexts: [2048], memoryBudgetBytes: 4e9 },
      estimates,
    );
    expect(plan.trials.map((t) => t.estimate.fit)).toEqual(['will-not-fit', 'fits']);
    const peak = plan.trials[1]!.estimate.peakBytes;
    const tight = estimateTrial(plan.trials[1]!.spec, estimates, peak / 0.9);
    expect(tight.fit).toBe('tight');
  });

  it('drops contradictory combinations and refuses a sweep with nothing runnable', () => {
    const plan = planSweep({ models: [r1], contexts: [256, 4096], prompts: [200], gens: [100] }, estimates);
    expect(plan.trials).toHaveLength(1);
    expect(plan.contradictions[0]!.reason).toMatch(/exceed the 256-token context/);
    expect(() => planSweep({ models: [r1], contexts: [128], prompts: [200] }, estimates)).toThrow(
      /no runnable trial/,
    );
  });

  it.each([
    [{ models: [] }, /sweep\.models/],
    [{ models: [r1], quants: ['int3'] }, /Unknown quantization preset "int3"/],
    [{ models: [{ ...r1, id: 'gpt-9' }] }, /Unknown model "gpt-9"/],
    [{ models: [r1], contexts: [] }, /sweep\.contexts/],
  ])('refuses %j with the reason', (spec, message) => {
    expect(() => planSweep(spec as Parameters<typeof planSweep>[0], estimates)).toThrow(SweepSpecError);
    expect(() => planSweep(spec as Parameters<typeof planSweep>[0], estimates)).toThrow(message);
  });

  it('keys ignore what does not define the configuration (reps, warmups)', () => {
    const [a] = planSweep({ models: [r1], repetitions: 3 }, estimates).trials;
    const [b] = planSweep({ models: [r1], repetitions: 7 }, estimates).trials;
    expect(trialKey(a!.spec)).toBe(trialKey(b!.spec));
  });
});
