import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualityReportSchema } from '../../profiler/api';
import { seededTokenIds } from '../../profiler/runtime/prompt-ids';
import { resolveModel, type OverrideValues } from '../../common/catalog';
import { buildSyntheticModel, modelFileOf } from '../../profiler/models/synthetic/synthetic-builder';
import {
  measureQuality as measure,
  type MeasureQualityOptions,
  type QualityProgress,
} from './measure-quality';

/** Tests of the metric itself: seeded weights are fine here (the product refuses them). */
const measureQuality = (reference: string, variant: string, options: MeasureQualityOptions = {}) =>
  measure(reference, variant, { ...options, allowSyntheticWeights: true });
import { writeVariant } from './test-variants';

/** Tiny enough that a whole comparison runs in tens of ms; every switch of the architecture intact. */
const TINY: OverrideValues = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 128,
};
const MODEL_ID = 'qwen3-0.6b';

let root = '';
const models = { fused: '', standard: '', light: '', heavy: '', fp16Logits: '', otherVocab: '' };

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ew-quality-'));
  for (const style of ['fused', 'standard'] as const) {
    const built = await buildSyntheticModel({
      model: resolveModel(MODEL_ID, TINY),
      style,
      seed: 3,
      outDir: path.join(root, style),
    });
    models[style] = built.dir;
  }
  const standardFile = modelFileOf('standard');
  const variant = (name: string, edit: Parameters<typeof writeVariant>[3]): Promise<string> =>
    writeVariant(models.standard, standardFile, path.join(root, name), edit);
  models.light = await variant('light', { weightNoise: { scale: 1e-3, seed: 1 } });
  models.heavy = await variant('heavy', { weightNoise: { scale: 1e-1, seed: 1 } });
  models.fp16Logits = await variant('fp16-logits', { float16Logits: true });
  models.otherVocab = (
    await buildSyntheticModel({
      model: resolveModel(MODEL_ID, { ...TINY, vocab_size: 320 }),
      style: 'standard',
      seed: 3,
      outDir: path.join(root, 'other-vocab'),
    })
  ).dir;
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

// sessions are cheap but many: on a shared 2-core machine a comparison can take tens of seconds
describe('measureQuality', { timeout: 180_000 }, () => {
  it('finds no drift between a model and itself', async () => {
    const progress: QualityProgress[] = [];
    const report = await measureQuality(models.fused, models.fused, {
      onProgress: (p) => progress.push(p),
    });
    expect(QualityReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      sequences: 4,
      positionsPerSequence: 64,
      continuationTokens: 16,
      tokenSource: 'self-sampled',
      seed: 0,
      sampling: { temperature: 1, seed: 0 },
      perplexity: null,
    });
    expect(report.overall.klMax).toBeLessThan(1e-12);
    expect(report.overall.top1Agreement).toBe(1);
    expect(report.overall.maxAbsLogitError).toBe(0);
    expect(report.overall.identicalContinuations).toBe(1);
    expect(report.overall.meanIdenticalPrefix).toBe(16);
    expect(report.perPosition).toHaveLength(64);
    expect(report.bytes.compression).toBe(1);
    // fp32 weights, plus the rotary tables and constants that are stored but are not parameters
    expect(report.bytes.referenceBytesPerParameter).toBeCloseTo(4, 0); // fp32, plus int64 constants
    expect(progress.at(-1)).toEqual({ stage: 'continuation', done: 4, sequences: 4 });
    expect(progress[0]).toEqual({ stage: 'sampling', done: 4, sequences: 4 });
    expect(progress.filter((p) => p.stage === 'teacher-forced')).toHaveLength(4);
  });

  it('sees perturbed weights drift, and orders light noise below heavy noise', async () => {
    // the same sequences for both: the reference samples them, and both variants share the reference
    const light = await measureQuality(models.standard, models.light);
    const heavy = await measureQuality(models.standard, models.heavy);
    console.info(
      `KL mean / p99 / max, nats — noise 1e-3: ${light.overall.klMean.toExponential(2)} / ` +
        `${light.overall.klP99.toExponential(2)} / ${light.overall.klMax.toExponential(2)}; noise 1e-1: ` +
        `${heavy.overall.klMean.toExponential(2)} / ${heavy.overall.klP99.toExponential(2)} / ` +
        `${heavy.overall.klMax.toExponential(2)}; top-1 ${light.overall.top1Agreement} vs ` +
        `${heavy.overall.top1Agreement}; identical prefix ${light.overall.meanIdenticalPrefix} vs ` +
        `${heavy.overall.meanIdenticalPrefix}`,
    );
    // random synthetic weights give near-flat distributions, so even heavy noise moves KL only to ~1e-4
    expect(heavy.overall.klMean).toBeGreaterThan(1e-5);
    expect(heavy.overall.top1Agreement).toBeLessThan(1);
    expect(heavy.overall.maxAbsLogitError).toBeGreaterThan(0);
    expect(light.overall.klMean).toBeGreaterThan(0);
    // KL grows with the square of small noise: 100× the noise, ~10⁴× the KL
    expect(light.overall.klMean).toBeLessThan(heavy.overall.klMean / 1000);
    expect(light.overall.meanAbsLogitError).toBeLessThan(heavy.overall.meanAbsLogitError);
    expect(light.overall.meanIdenticalPrefix).toBeGreaterThanOrEqual(heavy.overall.meanIdenticalPrefix);
    for (const report of [light, heavy]) {
      expect(report.overall.klP99).toBeLessThanOrEqual(report.overall.klMax);
      expect(report.overall.klMean).toBeLessThanOrEqual(report.overall.klMax);
    }
  });

  it('reads float16 logits as numbers, not as raw bits', async () => {
    const report = await measureQuality(models.standard, models.fp16Logits, { sequences: 2, positions: 32 });
    // fp16 keeps ~3 significant digits: tiny drift, far below what misread bits would give
    expect(report.overall.klMax).toBeGreaterThan(0);
    expect(report.overall.klMax).toBeLessThan(1e-4);
    expect(report.overall.maxAbsLogitError).toBeLessThan(1e-2);
    expect(report.overall.top1Agreement).toBeGreaterThan(0.9);
  });

  it('uses the caller’s token sequences as given', async () => {
    const tokenIds = [0, 1].map((stream) => seededTokenIds(5, 20, 256, stream));
    const given = await measureQuality(models.standard, models.heavy, { tokenIds, continuationTokens: 8 });
    expect(given).toMatchObject({
      tokenSource: 'user',
      seed: null,
      sampling: null,
      sequences: 2,
      positionsPerSequence: 20,
    });
    const again = await measureQuality(models.standard, models.heavy, { tokenIds, continuationTokens: 8 });
    expect(again.overall).toEqual(given.overall);
    const other = await measureQuality(models.standard, models.heavy, {
      tokenIds: [[...tokenIds[0]!].reverse(), tokenIds[1]!],
      continuationTokens: 8,
    });
    expect(other.overall.klMean).not.toBe(given.overall.klMean);
  });

  it('refuses synthetic (seeded) weights unless a test of the metric asks, naming the published scores instead', async () => {
    await expect(measure(models.standard, models.light)).rejects.toThrow(
      /The reference .* has synthetic \(seeded\) weights \(workbench\.json, seed 3\): quality needs real weights.*models import qwen3-0\.6b.*Published scores of Qwen3-0\.6B: MATH500 [\d.]+%/,
    );
  });

  it('refuses what it cannot compare, saying why', async () => {
    await expect(measureQuality(models.standard, models.otherVocab)).rejects.toThrow(
      new RegExp(`256-token vocabulary and the variant .*other-vocab.* a 320-token one`),
    );
    await expect(measureQuality(models.standard, models.light, { tokenIds: [[1, 2, 256]] })).rejects.toThrow(
      /tokenIds\[0\]\[2\] is 256, not a token id of the 256-token vocabulary/,
    );
    await expect(measureQuality(models.standard, models.light, { tokenIds: [[1, 2], [3]] })).rejects.toThrow(
      /tokenIds\[1\] has 1 tokens but tokenIds\[0\] has 2/,
    );
    await expect(measureQuality(models.standard, models.light, { positions: 129 })).rejects.toThrow(
      /129 positions per sequence exceed the reference .*128-token context/,
    );
    await expect(
      measureQuality(models.standard, models.light, { positions: 16, continuationTokens: 120 }),
    ).rejects.toThrow(/continuations need 135 tokens of context/);
    await expect(measureQuality(models.standard, models.light, { sequences: 0 })).rejects.toThrow(
      /sequences must be a whole number of at least 1, not 0/,
    );
  });
});
