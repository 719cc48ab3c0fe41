import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../common/catalog';
import { inspectModel, modelFileHash } from '../profiler/models/loader';
import { buildSyntheticModel } from '../profiler/models/synthetic/synthetic-builder';
import { readModel } from '../profiler/onnx';
import { resolvePreset } from './presets';
import { measureQuality } from './quality';
import { writeVariant } from './quality/test-variants';
import { quantizeVariant } from './quantize-variant';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-quantize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 128,
};
// the quantizer's own accuracy check on seeded weights: a test of the metric's use, not a quality claim
const quality = { sequences: 2, positions: 32, continuationTokens: 8, allowSyntheticWeights: true };

async function build(id: string, style: 'fused' | 'standard', name = `${id}-${style}`): Promise<string> {
  const outDir = path.join(dir, name);
  await buildSyntheticModel({ model: resolveModel(id, tiny), style, seed: 4, outDir });
  return outDir;
}

async function quantize(source: string, preset: string, name: string, overrides = {}) {
  return quantizeVariant(source, {
    preset,
    options: resolvePreset(preset, overrides),
    dataDir: dir,
    outDir: path.join(dir, name),
  });
}

async function opTypes(modelFile: string): Promise<string[]> {
  return (await readModel(modelFile)).graph.node.map((n) => n.op_type ?? '');
}

describe('quantizeVariant', { timeout: 180_000 }, () => {
  it('int4: every projection becomes MatMulNBits, the tied embedding one shared GatherBlockQuantized table; close to fp32', async () => {
    const source = await build('mobilellm-r1-140m', 'fused');
    const before = await modelFileHash(
      path.join(source, 'model.onnx'),
      (await inspectModel(source)).externalFiles,
    );
    const variant = await quantize(source, 'int4', 'r1-int4');
    const ops = await opTypes(variant.modelFile);
    expect(ops.filter((op) => op === 'MatMulNBits')).toHaveLength(2 * 5 + 1); // per layer qkv, o, gate, up, down; lm_head
    expect(ops.filter((op) => op === 'MatMul')).toHaveLength(0);
    expect(ops).toContain('GatherBlockQuantized');
    const model = await readModel(variant.modelFile);
    const embedding = [...model.initializers.keys()].filter((name) => name.startsWith('model.embed_tokens'));
    expect(embedding.sort()).toEqual(['model.embed_tokens.weight_Q4', 'model.embed_tokens.weight_scales']); // one table, two users
    expect(variant.record.variantWeightsBytes).toBeLessThan(variant.record.sourceWeightsBytes / 4);
    // the source is only read
    expect(
      await modelFileHash(path.join(source, 'model.onnx'), (await inspectModel(source)).externalFiles),
    ).toBe(before);

    const report = await measureQuality(source, variant.dir, quality);
    expect(report.overall.klMean).toBeLessThan(1e-2);
    // the metric can fail: the same variant with its scales perturbed by ±50% drifts far more
    const perturbed = await writeVariant(variant.dir, 'model.onnx', path.join(dir, 'r1-int4-bad-scales'), {
      scalesNoise: { scale: 0.3, seed: 9 },
    });
    const worse = await measureQuality(source, perturbed, quality);
    expect(worse.overall.klMean).toBeGreaterThan(5 * report.overall.klMean);
  });

  it.each(['int8', 'int8-dyn', 'int4-b128-asym', 'fp16', 'q4f16'])(
    '%s of the standard style runs, close to fp32',
    async (preset) => {
      const source = await build('qwen3-0.6b', 'standard', `qwen-standard-${preset}`);
      const variant = await quantize(
        source,
        preset,
        `qwen-${preset}`,
        preset === 'int4-b128-asym' ? { blockSize: 32 } : {},
      );
      const report = await measureQuality(source, variant.dir, quality);
      expect(report.overall.klMean).toBeLessThan(1e-2);
      expect(report.overall.top1Agreement).toBeGreaterThan(0.6);
      // the same network: its learned parameters, whatever the storage
      expect(report.variant.parameters).toBe(report.reference.parameters);
      if (preset === 'fp16' || preset === 'q4f16') {
        const inspection = await inspectModel(variant.dir);
        expect(inspection.signature.kvDtype).toBe('float16');
        expect(inspection.kvBytesPerToken).toBe(2 * 2 * 8 * 128 * 2);
      }
    },
  );

  it('quantizes a tied head exported as Transpose + MatMul, dropping the Transpose', async () => {
    const source = await build('smollm2-135m', 'standard', 'smol-standard');
    const exported = await writeVariant(
      source,
      path.join('onnx', 'model.onnx'),
      path.join(dir, 'smol-transpose'),
      { lmHeadAsTransposeMatMul: true },
    );
    const transposesOfTable = async (modelFile: string): Promise<number> =>
      (await readModel(modelFile)).graph.node.filter(
        (n) => n.op_type === 'Transpose' && n.input[0] === 'model.embed_tokens.weight',
      ).length;
    expect(await transposesOfTable(path.join(exported, 'onnx', 'model.onnx'))).toBe(1);
    const variant = await quantize(exported, 'int4', 'smol-transpose-int4');
    expect(await transposesOfTable(variant.modelFile)).toBe(0);
    expect(await opTypes(variant.modelFile)).toContain('GatherBlockQuantized');
    expect((await measureQuality(exported, variant.dir, quality)).overall.klMean).toBeLessThan(1e-2);
  });

  it('keeps the KV cache in float16 on an fp32-activation variant when asked (Casts at the boundary)', async () => {
    const source = await build('smollm2-135m', 'fused', 'smol-kv16');
    const variant = await quantize(source, 'int4', 'smol-int4-kv16', { kvDtype: 'float16' });
    const inspection = await inspectModel(variant.dir);
    expect(inspection.signature.kvDtype).toBe('float16');
    expect((await measureQuality(source, variant.dir, quality)).overall.klMean).toBeLessThan(1e-2);
  });

  it('skips what it cannot quantize, with the reason, and writes a model that still runs', async () => {
    const source = await build('smollm2-135m', 'standard', 'smol-skips');
    // block 128 > K = 64 for every hidden-input projection: those stay fp32
    const variant = await quantize(source, 'int4', 'smol-block128', { blockSize: 128 });
    const skipped = variant.record.decisions.filter((d) => d.action === 'skipped');
    expect(skipped.some((d) => /K = 64 is smaller than the block size 128/.test(d.detail))).toBe(true);
    expect(skipped.some((d) => /weight is not a constant initializer/.test(d.detail))).toBe(true); // attention's q·kᵀ
    expect(variant.record.decisions.some((d) => d.action === 'quantized')).toBe(true); // down_proj: K = 96
    expect((await measureQuality(source, variant.dir, quality)).overall.klMean).toBeLessThan(1e-2);

    // quantizing a quantized model: its quantized nodes are listed and left alone
    const again = await quantize(variant.dir, 'int4', 'smol-twice', { blockSize: 32 });
    expect(again.record.decisions.some((d) => /already quantized/.test(d.detail))).toBe(true);
    expect((await measureQuality(source, again.dir, quality)).overall.klMean).toBeLessThan(1e-2);
  });

  it('reuses a cached variant of the same source and options', async () => {
    const source = await build('smollm2-135m', 'fused', 'smol-cache');
    const request = { preset: 'int8', options: resolvePreset('int8'), dataDir: dir };
    const first = await quantizeVariant(source, request);
    const second = await quantizeVariant(source, request);
    expect(first.built).toBe(true);
    expect(second.built).toBe(false);
    expect(second.dir).toBe(first.dir);
    expect(JSON.parse(readFileSync(path.join(first.dir, 'quantization.json'), 'utf8'))).toMatchObject({
      preset: 'int8',
    });
  });

  it('refuses an unknown preset by name', () => {
    expect(() => resolvePreset('int3')).toThrow(
      /Unknown quantization preset "int3"\. Presets: fp32, fp16, int8/,
    );
  });
});
