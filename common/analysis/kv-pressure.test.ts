import { describe, expect, it } from 'vitest';
import { getCatalogEntry, weightsBytes } from '../catalog';
import { STANDARD_CONTEXTS_TOKENS } from '../contexts';
import { trialFixture } from './test/analysis-fixtures';
import { customTarget } from './device-targets';
import {
  decodeSlowdownByConfiguration,
  decodeSlowdownPer1K,
  kvModelFromSpec,
  kvModelFromTrial,
  kvPressure,
  runtimeOverheadBytes,
  runtimeOverheadText,
  RUNTIME_OVERHEAD_RULE,
  type KvModel,
} from './kv-pressure';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const r1950m = getCatalogEntry('mobilellm-r1-950m');

function r1950mFp16(): KvModel {
  return kvModelFromSpec({
    label: 'MobileLLM-R1-950M fp16',
    spec: r1950m.spec,
    kvDtype: 'float16',
    weightsBytes: weightsBytes(r1950m.spec, 2),
    quant: 'fp16',
  });
}

/** A model whose numbers are easy to follow by hand: 1 GiB weights, 256 MiB overhead. */
const handModel: KvModel = { ...r1950mFp16(), weightsBytes: GiB, overheadBytes: 256 * MiB };

describe('KV bytes', () => {
  it('MobileLLM-R1-950M with an fp16 cache adds 33,792 bytes per token: 1.03 GiB at 32K', () => {
    const report = kvPressure(r1950mFp16(), []);
    expect(report.bytesPerToken).toBe(33_792); // 2 · 22 layers · 6 KV heads · 64 · 2 B
    const at32k = report.contexts.find((c) => c.contextTokens === 32_768)!;
    expect(at32k.kvBytes).toBe(1_107_296_256);
    expect(at32k.kvBytes / GiB).toBeCloseTo(1.03, 2);
    expect(at32k.beyondModelMax).toBe(false);
  });

  it('lists the standard contexts plus the ones asked for, in order, and flags those past the model', () => {
    const report = kvPressure(r1950mFp16(), [], [3000, 65_536, 512]);
    expect(report.contexts.map((c) => c.contextTokens)).toEqual(
      [...STANDARD_CONTEXTS_TOKENS, 3000, 65_536].sort((a, b) => a - b),
    );
    expect(report.contexts.find((c) => c.contextTokens === 65_536)!.beyondModelMax).toBe(true);
    expect(() => kvPressure(r1950mFp16(), [], [0])).toThrow(/context 0/);
  });

  it("gives the cache's share of a decode step's reads: KV ÷ (weights + KV)", () => {
    // 32,768 B per token × 32,768 tokens = 1 GiB of KV next to 1 GiB of weights: half of every step's reads
    const report = kvPressure({ ...handModel, bytesPerToken: 32_768 }, []);
    expect(report.contexts.find((c) => c.contextTokens === 32_768)!.kvShareOfDecodeBytes).toBe(0.5);
  });
});

describe('the longest context that fits a target', () => {
  it('is (budget − weights − overhead) ÷ bytes per token, rounded down', () => {
    const target = customTarget('name=Board,ram=4GiB,budget=2GiB,bandwidth=10GB/s');
    const fit = kvPressure(handModel, [target]).targets[0]!;
    // 2 GiB − 1 GiB − 256 MiB = 768 MiB = 805,306,368 B; ÷ 33,792 = 23,831.3
    expect(fit.kvRoomBytes).toBe(805_306_368);
    expect(fit.maxContextTokens).toBe(23_831);
    expect(fit.limitedBy).toBe('memory');
    const at16k = fit.perContext.find((c) => c.contextTokens === 16_384)!;
    const at32k = fit.perContext.find((c) => c.contextTokens === 32_768)!;
    expect(at16k.fits).toBe(true);
    expect(at32k.fits).toBe(false);
    expect(at32k.kvShareOfBudget).toBeCloseTo(1_107_296_256 / (2 * GiB), 12);
  });

  it("stops at the model's own maximum when memory would allow more", () => {
    const target = customTarget('name=Big,ram=64GiB,budget=32GiB,bandwidth=10GB/s');
    const fit = kvPressure(handModel, [target]).targets[0]!;
    expect(fit.maxContextTokens).toBe(32_768);
    expect(fit.limitedBy).toBe('model-max-context');
    expect(fit.kvShareOfDecodeBytesAtMax).toBeCloseTo(1_107_296_256 / (GiB + 1_107_296_256), 12);
  });

  it('is 0 when the weights and overhead alone overflow the budget', () => {
    const target = customTarget('name=Tiny,ram=2GiB,budget=1GiB,bandwidth=10GB/s');
    const fit = kvPressure(handModel, [target]).targets[0]!;
    expect(fit.maxContextTokens).toBe(0);
    expect(fit.limitedBy).toBe('weights-do-not-fit');
    expect(fit.kvShareOfDecodeBytesAtMax).toBeNull();
  });
});

describe('a trial as the model', () => {
  it("takes the trial's weights and KV bytes per token, and the overhead it measured", () => {
    const trial = trialFixture({
      peakRssBytes: 900e6,
      model: { weightsBytes: 400e6 },
      kvCache: { tokens: 1000, bytesPerToken: 4096 },
    });
    const model = kvModelFromTrial(trial);
    expect(model.bytesPerToken).toBe(4096);
    expect(model.overheadBytes).toBe(900e6 - 400e6 - 4_096_000);
    expect(model.basis).toMatch(/measured here/);
  });

  it('says what to do when a failed trial has no model facts', () => {
    expect(() => kvModelFromTrial(trialFixture({ status: 'failed', model: null }))).toThrow(
      /kvModelFromSpec/,
    );
  });
});

describe('decode slowdown per 1K tokens of depth', () => {
  const atDepth = (depthTokens: number, perTokenMs: number, spec: Record<string, unknown> = {}) =>
    trialFixture({
      spec: {
        model: { kind: 'catalog', id: 'mobilellm-r1-140m' },
        contextTokens: 8192,
        depthTokens,
        ...spec,
      },
      perTokenMs,
    });

  it('fits the least-squares line: 2 ms per 1K on 10 ms is 20% per 1K', () => {
    const trials = [0, 1024, 2048, 4096].map((depth) => atDepth(depth, 10 + 0.002 * depth));
    const slowdown = decodeSlowdownPer1K(trials)!;
    expect(slowdown.msPer1KTokens).toBeCloseTo(2, 10);
    expect(slowdown.perTokenMsAtDepth0).toBeCloseTo(10, 10);
    expect(slowdown.percentPer1KTokens).toBeCloseTo(20, 8);
    expect(slowdown.rSquared).toBeCloseTo(1, 10);
    expect(slowdown.depths).toEqual([0, 1024, 2048, 4096]);
  });

  it('averages noisy points: symmetric noise leaves the slope', () => {
    const trials = [atDepth(0, 9), atDepth(0, 11), atDepth(2000, 13), atDepth(2000, 15)];
    const slowdown = decodeSlowdownPer1K(trials)!;
    expect(slowdown.msPer1KTokens).toBeCloseTo(2, 10);
    expect(slowdown.rSquared).toBeLessThan(1);
  });

  it('is null with fewer than 2 depths, and ignores failed trials', () => {
    expect(decodeSlowdownPer1K([])).toBeNull();
    expect(decodeSlowdownPer1K([atDepth(0, 10), atDepth(0, 11)])).toBeNull();
    const failed = trialFixture({
      status: 'failed',
      spec: { model: { kind: 'catalog', id: 'mobilellm-r1-140m' }, contextTokens: 8192, depthTokens: 4096 },
    });
    expect(decodeSlowdownPer1K([atDepth(0, 10), failed])).toBeNull();
  });

  it('refuses trials that differ in more than depth, and groups them on request', () => {
    const int4 = [atDepth(0, 5, { quant: 'int4' }), atDepth(1000, 6, { quant: 'int4' })];
    const fp32 = [atDepth(0, 10), atDepth(1000, 13)];
    expect(() => decodeSlowdownPer1K([...int4, ...fp32])).toThrow(/differ only in depth/);
    const groups = decodeSlowdownByConfiguration([...int4, ...fp32, atDepth(0, 1, { promptTokens: 64 })]);
    expect(groups.map((g) => g.msPer1KTokens).sort((a, b) => a - b)).toEqual(
      [1, 3].map((v) => expect.closeTo(v, 10)),
    );
    expect(groups).toHaveLength(2);
  });
});

describe('runtime overhead', () => {
  it('is 150 MiB plus the pre-packed weights: whole for fp32 / fp16, a quarter for packed presets', () => {
    expect(runtimeOverheadBytes(1000 * MiB, 'fp16')).toBe(1150 * MiB);
    expect(runtimeOverheadBytes(1000 * MiB, 'int4')).toBe(400 * MiB);
    expect(runtimeOverheadText('fp32')).toBe('1× weights + 150 MiB');
    expect(runtimeOverheadText('int8')).toBe('0.25× weights + 150 MiB');
    expect(RUNTIME_OVERHEAD_RULE).toBe(
      '150 MiB + pre-packed weights (1× for fp32/fp16, 0.25× for packed integer presets)',
    );
  });
});
