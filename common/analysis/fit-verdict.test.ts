import { describe, expect, it } from 'vitest';
import { FitVerdictSchema } from '../schemas';
import { trialFixture } from './test/analysis-fixtures';
import { customTarget, presetTargets, thisMachineTarget } from './device-targets';
import { fitVerdict, memoryFit } from './fit-verdict';

const GiB = 2 ** 30;
/** 10 GB budget, 10 GB/s */
const board = customTarget('name=Board,ram=20GB,budget=10GB,bandwidth=10GB/s');
const spec = { model: { kind: 'catalog' as const, id: 'mobilellm-r1-140m' }, contextTokens: 2048 };
/** a trial that filled its whole context, so peak RSS is the whole need */
const full = { tokens: 2048, bytesPerToken: 1000 };

describe('memory verdict', () => {
  it('fits up to 80% of the budget, is tight above it up to 100%, and does not fit beyond', () => {
    expect(memoryFit(800, 1000)).toBe('fits');
    expect(memoryFit(801, 1000)).toBe('tight');
    expect(memoryFit(1000, 1000)).toBe('tight');
    expect(memoryFit(1001, 1000)).toBe('does-not-fit');
    const at = (peakRssBytes: number) =>
      fitVerdict(trialFixture({ spec, peakRssBytes, kvCache: full }), board).memory.fit;
    expect(at(8e9)).toBe('fits'); // exactly 80%
    expect(at(8.01e9)).toBe('tight'); // 80.1%
    expect(at(10e9)).toBe('tight');
    expect(at(10.5e9)).toBe('does-not-fit');
  });

  it('adds the KV cache of the context the trial did not fill to its peak RSS', () => {
    const trial = trialFixture({ spec, peakRssBytes: 1e9, kvCache: { tokens: 192, bytesPerToken: 1000 } });
    const verdict = fitVerdict(trial, board);
    expect(verdict.memory.needBytes).toBe(1e9 + (2048 - 192) * 1000);
    expect(verdict.memory.source).toBe('peak-rss');
    expect(verdict.memory.projected).toBe(true);
    expect(verdict.memory.basis).toMatch(/1856 context tokens/);
  });

  it('estimates weights + KV at the full context + overhead when the trial failed', () => {
    const failed = trialFixture({
      spec: { ...spec, quant: 'int4' },
      status: 'failed',
      model: { weightsBytes: 100e6, numLayers: 4, kvHeads: 2, headDim: 64, kvDtype: 'float32' },
    });
    const verdict = fitVerdict(failed, board, { goal: { minDecodeTokensPerSecond: 5 } });
    const overhead = 150 * 2 ** 20 + 0.25 * 100e6; // packed int4: 0.25× weights + 150 MiB
    expect(verdict.memory.needBytes).toBe(100e6 + overhead + 2048 * 2 * 4 * 2 * 64 * 4);
    expect(verdict.memory.source).toBe('estimate');
    expect(verdict.memory.basis).toMatch(/the trial failed \(out-of-memory\)/);
    expect(verdict.decode.tokensPerSecond).toBeNull();
    expect(verdict.latency.status).toBe('unknown');
  });

  it("falls back to the plan's estimate, and says when nothing is known", () => {
    const bare = trialFixture({ spec, status: 'failed', model: null });
    const estimate = {
      weightsBytes: 1e9,
      kvBytes: 2048e3, // the trial measures the end of its window: 2048 tokens × 1000 B
      overheadBytes: 2e8,
      peakBytes: 1.2e9 + 2048e3,
      seconds: 1,
      fit: 'fits' as const,
      basis: 'estimated',
    };
    expect(fitVerdict(bare, board, { estimate }).memory.needBytes).toBeCloseTo(1.2e9 + 2048 * 1000, 3);
    expect(fitVerdict(bare, board).memory).toMatchObject({ needBytes: null, fit: 'unknown', source: 'none' });
  });
});

describe('decode projection', () => {
  const trial = trialFixture({
    spec,
    decodeTokensPerSecond: 20,
    bandwidthBytesPerSecond: 40e9,
    kvCache: full,
  });

  it('scales measured tok/s by target bandwidth ÷ bandwidth here, and says it is projected', () => {
    const verdict = fitVerdict(trial, board);
    expect(verdict.decode.measuredTokensPerSecond).toBe(20);
    expect(verdict.decode.bandwidthRatio).toBe(0.25);
    expect(verdict.decode.tokensPerSecond).toBe(5);
    expect(verdict.decode.projected).toBe(true);
    expect(verdict.decode.basis).toMatch(
      /^projected: decode is memory-bound; scaled by bandwidth ratio 0\.250 .*compute, caches and EP differences ignored/,
    );
    expect(FitVerdictSchema.parse(verdict)).toEqual(verdict);
  });

  it('warns that a nominal bandwidth leans optimistic, and takes the bandwidth here when given', () => {
    const jetson = presetTargets.find((t) => t.id === 'jetson-orin-nano-8gb')!;
    const verdict = fitVerdict(trial, jetson, { hereBandwidthBytesPerSecond: 34e9 });
    expect(verdict.decode.tokensPerSecond).toBeCloseTo(40, 10);
    expect(verdict.decode.basis).toMatch(/leans optimistic/);
  });

  it('cannot project without a bandwidth measured here', () => {
    const noRoofline = trialFixture({ spec, decodeTokensPerSecond: 20 });
    expect(fitVerdict(noRoofline, board).decode).toMatchObject({ tokensPerSecond: null, projected: true });
  });

  it('is the measurement itself on this machine', () => {
    const here = trialFixture({
      spec,
      decodeTokensPerSecond: 20,
      bandwidthBytesPerSecond: 40e9,
      totalMemoryBytes: 32 * GiB,
      kvCache: full,
    });
    const verdict = fitVerdict(here, thisMachineTarget(40e9, 32 * GiB));
    expect(verdict.ranOnTarget).toBe(true);
    expect(verdict.decode).toMatchObject({ tokensPerSecond: 20, projected: false });
    expect(verdict.memory.projected).toBe(false);
  });
});

describe('latency goals', () => {
  const trial = trialFixture({
    spec: { ...spec, promptTokens: 128 },
    decodeTokensPerSecond: 20,
    ttftMs: 300,
    bandwidthBytesPerSecond: 40e9,
    totalMemoryBytes: 32 * GiB,
    kvCache: full,
  });

  it('judges decode on the projected speed', () => {
    expect(fitVerdict(trial, board, { goal: { minDecodeTokensPerSecond: 5 } }).latency).toMatchObject({
      status: 'meets',
      decode: 'meets',
      ttft: 'no-goal',
    });
    const slow = fitVerdict(trial, board, { goal: { minDecodeTokensPerSecond: 10 } });
    expect(slow.latency.status).toBe('misses');
    expect(slow.latency.reasons[0]).toMatch(/5\.0 tok\/s \(projected\)/);
  });

  it('never projects TTFT: unknown on another device, judged on this machine', () => {
    const goal = { maxTtftMs: 2000, ttftPromptTokens: 1024 };
    const elsewhere = fitVerdict(trial, board, { goal });
    expect(elsewhere.ttft).toMatchObject({ measuredMs: 300, promptTokens: 1024, ms: 2400, projected: false });
    expect(elsewhere.ttft.basis).toMatch(/scaled linearly to 1024 tokens.*not projected.*compute-bound/);
    expect(elsewhere.latency.ttft).toBe('unknown');
    expect(elsewhere.latency.reasons[0]).toMatch(/would miss it/);
    const here = fitVerdict(trial, thisMachineTarget(40e9, 32 * GiB), { goal });
    expect(here.latency).toMatchObject({ status: 'misses', ttft: 'misses' });
    const easy = fitVerdict(trial, thisMachineTarget(40e9, 32 * GiB), { goal: { maxTtftMs: 300 } });
    expect(easy.latency).toMatchObject({ status: 'meets', ttft: 'meets' });
  });

  it("is 'no-goal' without a goal, and 'misses' wins over 'unknown'", () => {
    expect(fitVerdict(trial, board).latency.status).toBe('no-goal');
    const mixed = fitVerdict(trial, board, { goal: { minDecodeTokensPerSecond: 50, maxTtftMs: 1 } });
    expect(mixed.latency).toMatchObject({ status: 'misses', decode: 'misses', ttft: 'unknown' });
  });
});
