import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { maxAbsDifference, onnxDecoderLogits } from '../test/onnx-decoder-logits';
import { afterAll, describe, expect, it } from 'vitest';
import { readModel } from '../../onnx';
import { resolveModel, type OverrideValues } from '../../../common/catalog';
import { tensorBreakdown } from '../../../common/catalog/tensor-breakdown';
import type { GraphStyle, LogitsPositions } from './model-config-files';
import { ReferenceDecoder } from './reference-decoder';
import { seededTensorValues } from './seeded-weights';
import { buildSyntheticModel } from './synthetic-builder';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-synthetic-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Small enough to build and run in milliseconds, with every architectural switch of the family intact. */
const tiny: OverrideValues = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 64,
};
const seed = 11;
const prompt = [5, 17, 99, 3, 250];
const decodeTokens = [42, 7, 200];

/** Logits of the prompt (prefill) then of each decode token fed with the cache, from onnxruntime. */
function onnxLogits(modelPath: string, layers: number, kvHeads: number, headDim: number) {
  return onnxDecoderLogits(modelPath, { layers, kvHeads, headDim }, prompt, decodeTokens);
}

function referenceLogits(overrides: OverrideValues, id: string): Float32Array[] {
  const { spec } = resolveModel(id, overrides);
  const tensors = new Map(tensorBreakdown(spec).map((tensor) => [tensor.name, tensor]));
  const reference = new ReferenceDecoder(spec, (name) => seededTensorValues(seed, tensors.get(name)!));
  return [reference.forward(prompt), ...decodeTokens.map((token) => reference.forward([token]))];
}

/** Built with every position's logits by default: the reference comparisons read each row. */
async function build(
  id: string,
  style: GraphStyle,
  overrides: OverrideValues = tiny,
  logits: LogitsPositions = 'all',
) {
  const model = resolveModel(id, overrides);
  return buildSyntheticModel({
    model,
    style,
    seed,
    logits,
    outDir: path.join(workDir, `${id}-${style}-${Math.random()}`),
  });
}

describe.each([
  ['mobilellm-r1-140m', 'interleaved RoPE, weight-free QK-norm after RoPE, GQA 9/3'],
  ['qwen3-0.6b', 'learned per-head QK-norm before RoPE, head_dim 128'],
  ['smollm2-135m', 'plain Llama: rotate-half RoPE, GQA'],
  ['olmo-2-0425-1b', 'post-norm, full-width QK-norm, untied lm_head, MHA'],
])('%s (%s)', (id) => {
  it('standard and fused graphs both compute the reference network within 1e-4, prefill and 3 cached decode steps', async () => {
    const { spec } = resolveModel(id, tiny);
    const expected = referenceLogits(tiny, id);
    const standard = await build(id, 'standard');
    const fused = await build(id, 'fused');
    const standardLogits = await onnxLogits(
      standard.modelPath,
      spec.numHiddenLayers,
      spec.numKeyValueHeads,
      spec.headDim,
    );
    const fusedLogits = await onnxLogits(
      fused.modelPath,
      spec.numHiddenLayers,
      spec.numKeyValueHeads,
      spec.headDim,
    );
    expect(maxAbsDifference(standardLogits, expected)).toBeLessThan(1e-4);
    expect(maxAbsDifference(fusedLogits, expected)).toBeLessThan(1e-4);
    expect(maxAbsDifference(standardLogits, fusedLogits)).toBeLessThan(1e-4);
    // the logits are not trivially equal: they vary by more than the tolerance
    const spread = Math.max(...expected[0]!) - Math.min(...expected[0]!);
    expect(spread).toBeGreaterThan(1e-2);
  });
});

describe('last-position logits (the default build)', () => {
  it.each(['fused', 'standard'] as const)(
    '%s: logits are [1, 1, vocab] at every step and equal the last row of the reference',
    async (style) => {
      const { spec } = resolveModel('mobilellm-r1-140m', tiny);
      const built = await buildSyntheticModel({
        model: resolveModel('mobilellm-r1-140m', tiny),
        style,
        seed,
        outDir: path.join(workDir, `last-${style}-${Math.random()}`),
      });
      expect(built.record.logits).toBe('last');
      const { graph } = await readModel(built.modelPath);
      const declared = graph.output.find((output) => output.name === 'logits')!;
      expect(declared.type!.tensor_type!.shape!.dim.map((dim) => dim.dim_value ?? dim.dim_param)).toEqual([
        'batch_size',
        1,
        spec.vocabSize,
      ]);
      const logits = await onnxLogits(
        built.modelPath,
        spec.numHiddenLayers,
        spec.numKeyValueHeads,
        spec.headDim,
      );
      const lastRows = referenceLogits(tiny, 'mobilellm-r1-140m').map((step) =>
        step.subarray(step.length - spec.vocabSize),
      );
      expect(logits.map((step) => step.length)).toEqual(lastRows.map(() => spec.vocabSize));
      expect(maxAbsDifference(logits, lastRows)).toBeLessThan(1e-4);
    },
  );
});

describe('synthetic model folders', () => {
  it('standard style has the Optimum layout, fused the genai one, both with config.json and workbench.json', async () => {
    const standard = await build('smollm2-135m', 'standard');
    expect(readdirSync(standard.dir).sort()).toEqual(['config.json', 'onnx', 'workbench.json']);
    expect(readdirSync(path.join(standard.dir, 'onnx')).sort()).toEqual(['model.onnx', 'model.onnx_data']);
    const fused = await build('smollm2-135m', 'fused');
    expect(readdirSync(fused.dir).sort()).toEqual([
      'config.json',
      'genai_config.json',
      'model.onnx',
      'model.onnx_data',
      'workbench.json',
    ]);
    const config = JSON.parse(readFileSync(path.join(standard.dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      model_type: 'llama',
      num_hidden_layers: 2,
      vocab_size: 256,
      head_dim: 64,
    });
    const record = JSON.parse(readFileSync(path.join(fused.dir, 'workbench.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({ kind: 'synthetic', catalogId: 'smollm2-135m', seed, style: 'fused' });
  });

  it('uses the fused operators onnxruntime-genai emits for CPU', async () => {
    const fused = await build('qwen3-0.6b', 'fused');
    const { graph } = await readModel(fused.modelPath);
    const ops = new Set((graph.node ?? []).map((n) => n.op_type));
    for (const op of [
      'GroupQueryAttention',
      'SimplifiedLayerNormalization',
      'SkipSimplifiedLayerNormalization',
    ]) {
      expect(ops).toContain(op);
    }
    const standard = await build('qwen3-0.6b', 'standard');
    const standardOps = new Set(
      ((await readModel(standard.modelPath)).graph.node ?? []).map((n) => n.domain ?? ''),
    );
    expect([...standardOps].filter((domain) => domain !== '')).toEqual([]);
  });

  it('stores the weights the spec counts: initializer bytes = stored parameters × 4 (+ RoPE tables)', async () => {
    const built = await build('mobilellm-r1-140m', 'standard');
    const { spec } = resolveModel('mobilellm-r1-140m', tiny);
    const file = await readModel(built.modelPath);
    const weightNames = new Set(tensorBreakdown(spec).map((tensor) => tensor.name));
    const weightBytes = [...file.initializers.values()]
      .filter((tensor) => weightNames.has(tensor.name!))
      .reduce((sum, tensor) => sum + (tensor.dims ?? []).reduce((a, b) => a * Number(b), 4), 0);
    expect(weightBytes).toBe(built.record.storedParameters * 4);
  });

  it('block weight sharing stores half the block weights and computes the same as the reference', async () => {
    const shared = { ...tiny, num_hidden_layers: 4, block_weight_sharing: 'immediate-blockwise' };
    const { spec } = resolveModel('mobilellm-r1-140m', shared);
    const built = await build('mobilellm-r1-140m', 'fused', shared);
    const file = await readModel(built.modelPath);
    const blockTensors = [...file.initializers.values()].filter((tensor) =>
      tensor.name!.startsWith('model.layers.'),
    );
    expect(new Set(blockTensors.map((tensor) => tensor.name!.split('.')[2]))).toEqual(new Set(['0', '2']));
    const logits = await onnxLogits(
      built.modelPath,
      spec.numHiddenLayers,
      spec.numKeyValueHeads,
      spec.headDim,
    );
    expect(maxAbsDifference(logits, referenceLogits(shared, 'mobilellm-r1-140m'))).toBeLessThan(1e-4);
  });

  it('refuses to overwrite an existing folder unless asked, and leaves no partial folder behind', async () => {
    const built = await build('smollm2-135m', 'fused');
    const model = resolveModel('smollm2-135m', tiny);
    await expect(buildSyntheticModel({ model, style: 'fused', seed, outDir: built.dir })).rejects.toThrow(
      /already exists/,
    );
    expect(readdirSync(workDir).filter((name) => name.includes('.partial-'))).toEqual([]);
    const rebuilt = await buildSyntheticModel({
      model,
      style: 'fused',
      seed,
      outDir: built.dir,
      overwrite: true,
    });
    expect(existsSync(rebuilt.modelPath)).toBe(true);
  });
});
