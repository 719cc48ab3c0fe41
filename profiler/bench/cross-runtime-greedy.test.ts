import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModel, type ResolvedModel } from '../../common/catalog';
import { resolvePreset } from '../../common/quant-presets';
import { quantizeVariant } from '../../quantization/quantize-variant';
import { buildSyntheticGguf } from '../models/synthetic/gguf-build';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import type { GgufWriteType } from '../models/gguf/gguf-format';
import { loadLlamaLibrary, type LlamaLibrary } from '../runtime/llama-cpp/llama-library';
import { agreement, llamaPicks, maxProbabilityDifference, onnxPicks } from './test/greedy-picks';

/**
 * The same seeded weights, written as ONNX and as GGUF, run on onnxruntime and on llama.cpp: the same
 * network must pick the same greedy ids. A small model of each Llama-style family: MobileLLM-R1
 * (interleaved RoPE, written as it is) and SmolLM2 (rotate_half RoPE: the GGUF's q/k rows permuted as
 * llama.cpp's converter does). MobileLLM-R1's weight-free QK-norm has no place in llama.cpp's llama
 * architecture, so its ONNX twin here is built without it (llama-gguf.ts says why and what it costs).
 */

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-cross-runtime-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const tiny = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 128,
  vocab_size: 512,
  max_context_tokens: 128,
};
const seed = 5;
const prompt = [3, 101, 77, 400, 9, 250, 31, 12];
/** a fixed continuation fed token by token: the argmax after each is compared (32 positions) */
const forced = Array.from({ length: 32 }, (_, i) => (i * 131 + 17) % 512);
const protocol = { prompt, forced, generate: 32, vocabSize: 512, contextTokens: 128 };

let library: LlamaLibrary;
beforeAll(async () => {
  library = await loadLlamaLibrary('cpu');
});

function tinyModel(id: string): ResolvedModel {
  const model = resolveModel(id, tiny);
  return model.spec.qkNorm === 'weightless-after-rope'
    ? { ...model, spec: { ...model.spec, qkNorm: 'none' } }
    : model;
}

async function builds(id: string, type: GgufWriteType): Promise<{ onnxDir: string; gguf: string }> {
  const model = tinyModel(id);
  const onnxDir = path.join(workDir, `${id}-onnx`);
  const gguf = path.join(workDir, `${id}-${type}.gguf`);
  await buildSyntheticModel({ model, style: 'fused', seed, outDir: onnxDir, overwrite: true });
  await buildSyntheticGguf({ model, seed, type, outFile: gguf, overwrite: true });
  return { onnxDir, gguf };
}

describe('onnxruntime fp32 and llama.cpp F32 on the same seeded weights', () => {
  for (const id of ['mobilellm-r1-140m', 'smollm2-135m']) {
    it(`${id}: the same greedy ids for 32 tokens, and the same argmax at 32 forced positions`, async () => {
      const { onnxDir, gguf } = await builds(id, 'F32');
      const onnx = await onnxPicks(onnxDir, protocol);
      const llama = await llamaPicks(library, gguf, protocol);
      expect(llama.greedy).toEqual(onnx.greedy);
      expect(llama.forced).toEqual(onnx.forced);
      // every next-token probability at 40 positions: 3e-7 apart here; a SmolLM2 file written without
      // the q/k permutation (RoPE pairing the wrong elements) is 1e-5 apart, with the same argmaxes
      expect(llama.probabilities).toHaveLength(prompt.length + forced.length);
      expect(maxProbabilityDifference(llama.probabilities, onnx.probabilities)).toBeLessThan(2e-6);
      // the forced positions are a real test: the picks vary, they are not one repeated id
      expect(new Set(onnx.forced).size).toBeGreaterThan(8);
    });
  }
});

describe('onnxruntime int8 and llama.cpp Q8_0 (both block-32 symmetric 8-bit) agree closely', () => {
  it('mobilellm-r1-140m: at least 90% of forced-position argmaxes match, each close to fp32', async () => {
    const { onnxDir } = await builds('mobilellm-r1-140m', 'F32');
    const { gguf } = await builds('mobilellm-r1-140m', 'Q8_0');
    const int8 = await quantizeVariant(onnxDir, {
      preset: 'int8',
      options: resolvePreset('int8'),
      dataDir: workDir,
    });
    const fp32 = await onnxPicks(onnxDir, protocol);
    const onnxInt8 = await onnxPicks(int8.modelFile, protocol);
    const q8 = await llamaPicks(library, gguf, protocol);
    expect(agreement(q8.forced, onnxInt8.forced)).toBeGreaterThanOrEqual(0.9);
    expect(agreement(q8.forced, fp32.forced)).toBeGreaterThanOrEqual(0.9);
    expect(agreement(onnxInt8.forced, fp32.forced)).toBeGreaterThanOrEqual(0.9);
  });
});
