import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialSpecInput } from '../api';
import { importCheckpoint } from '../models/checkpoint/import-checkpoint';
import { tinyByteLevelTokenizer, writeTinyCheckpoint } from '../models/checkpoint/test/tiny-checkpoints';
import { runTrial } from './run-trial';
import { catalogModel, tiny, trialDeps, useTrialDataDir } from './test/trial-test-deps';
import { TrialInputError } from './trial-validation';

const dataDir = useTrialDataDir();
const prompt = [5, 17, 99, 3, 250, 42, 7];
// untied head: with tied embeddings and random weights each token predicts itself (run-trial.test.ts)
const model = { ...catalogModel('smollm2-135m'), overrides: { ...tiny, tie_word_embeddings: false } };

describe('a llama.cpp trial, end to end in its own process', () => {
  it('generates the same greedy ids as the onnxruntime trial of the same seeded weights, and says how it ran', async () => {
    const spec = (runtime: 'onnxruntime' | 'llama.cpp'): TrialSpecInput => ({
      model,
      runtime,
      contextTokens: 64,
      depthTokens: 0,
      promptIds: prompt,
      generateTokens: 31,
      warmupRuns: 1,
      repetitions: 2,
    });
    const onnx = await runTrial(spec('onnxruntime'), trialDeps(dataDir));
    const llama = await runTrial(spec('llama.cpp'), trialDeps(dataDir));
    expect(llama.failure).toBeUndefined();
    expect(llama.status).toBe('ok');
    expect(llama.generatedTokenIds).toHaveLength(32);
    expect(new Set(llama.generatedTokenIds).size).toBeGreaterThan(4); // varied, not one repeated id
    expect(llama.generatedTokenIds).toEqual(onnx.generatedTokenIds);

    // what ran: explicit threads (the physical cores), one libuv worker, the library's own build
    expect(llama.llamaCpp).toMatchObject({
      backend: 'cpu',
      threads: llama.environment.physicalCores,
      uvThreadpoolSize: 1,
      bindingVersion: '3.21.1',
      flashAttention: false,
      gpuLayers: 0,
      tensorTypes: { F32: expect.any(Number) as number },
    });
    if (process.platform === 'linux') expect(llama.llamaCpp!.commit).toMatch(/^[0-9a-f]{7,40}$/);
    expect(llama.model).toMatchObject({ layout: 'gguf', kvDtype: 'float16', numLayers: 2 });
    expect(llama.model!.label).toBe(
      'smollm2-135m [num_hidden_layers=2, hidden_size=64, intermediate_size=96, vocab_size=256, max_context_tokens=128, tie_word_embeddings=false] · F32',
    );
    // the same protocol as onnxruntime's: repetitions, per-step times with sampling apart, own peak
    expect(llama.repetitions).toHaveLength(2);
    expect(llama.repetitions[0]!.decodeStepMs).toHaveLength(31);
    expect(llama.repetitions[0]!.samplingMs).toHaveLength(31);
    expect(llama.peakRss?.source).toBe(process.platform === 'linux' ? 'VmHWM' : 'maxRSS');
    expect(llama.memoryTimeline.length).toBeGreaterThan(0);
    // f16 KV: 2 (K and V) · layers · kv heads · head dim · 2 bytes per token
    const { numLayers, kvHeads, headDim } = llama.model!;
    expect(llama.kvCache!.bytesPerToken).toBe(2 * numLayers * kvHeads * headDim * 2);
    expect(llama.roofline!.weightBytesPerDecodeToken).toBeGreaterThan(0);
  }, 180_000); // two trials in their own processes, and the builds

  it('fills the depth with the model (llama.cpp takes no cache values) and records it', async () => {
    const result = await runTrial(
      {
        model,
        runtime: 'llama.cpp',
        contextTokens: 64,
        promptIds: prompt,
        generateTokens: 8,
        warmupRuns: 0,
        repetitions: 1,
      },
      trialDeps(dataDir),
    );
    expect(result.status).toBe('ok');
    expect(result.spec.fill).toBe('model');
    expect(result.kvSetup).toMatchObject({
      depthTokens: 64 - 7 - 8,
      fill: 'model',
      fillSource: 'seeded ids',
    });
    expect(result.kvCache!.tokens).toBe(64);
  }, 120_000);

  it.each([
    [{ quant: 'int8-dyn' }, /int8-dyn has no llama.cpp counterpart: on llama.cpp use fp32 \(F32\)/],
    [{ fill: 'synthetic', depthTokens: 8 }, /--fill synthetic: llama.cpp offers no way to write values/],
    [{ profileOps: true }, /--profile-ops/],
    [{ ep: 'webgpu' }, /--ep webgpu: llama.cpp trials run on the cpu/],
  ] as const)('refuses %o before any work, saying what to do', async (extra, message) => {
    const spec = {
      model,
      runtime: 'llama.cpp',
      contextTokens: 64,
      promptTokens: 8,
      generateTokens: 8,
      ...extra,
    } as TrialSpecInput;
    const error = await runTrial(spec, trialDeps(dataDir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrialInputError);
    expect((error as Error).message).toMatch(message);
  });

  it('runs an imported checkpoint: its GGUF written from the real weights once, the same greedy ids as onnxruntime', async () => {
    const checkpointDir = path.join(dataDir, 'SmolLM2-tiny');
    await writeTinyCheckpoint(checkpointDir, 'smollm2', {
      dtype: 'BF16',
      tokenizerJson: tinyByteLevelTokenizer(),
    });
    const importedDir = path.join(dataDir, 'imported-smollm2');
    await importCheckpoint({ sourceDir: checkpointDir, style: 'fused', outDir: importedDir });
    const spec = (runtime: 'onnxruntime' | 'llama.cpp'): TrialSpecInput => ({
      model: { kind: 'folder', path: importedDir },
      runtime,
      contextTokens: 64,
      depthTokens: 0,
      promptIds: prompt,
      generateTokens: 16,
      warmupRuns: 0,
      repetitions: 1,
    });
    const onnx = await runTrial(spec('onnxruntime'), trialDeps(dataDir));
    const llama = await runTrial(spec('llama.cpp'), trialDeps(dataDir));
    expect(llama.failure).toBeUndefined();
    expect(llama.model!.layout).toBe('gguf');
    expect(llama.model!.modelFile).toContain(path.join(dataDir, 'models', 'variants'));
    expect(existsSync(llama.model!.modelFile)).toBe(true);
    expect(llama.generatedTokenIds).toHaveLength(17);
    expect(llama.generatedTokenIds).toEqual(onnx.generatedTokenIds);
  }, 180_000);

  it('refuses an ONNX folder that is not an imported checkpoint, naming the models gguf command', async () => {
    const onnxDir = path.join(dataDir, 'plain-onnx');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(onnxDir, { recursive: true });
    writeFileSync(path.join(onnxDir, 'model.onnx'), '');
    const error = await runTrial(
      {
        model: { kind: 'folder', path: onnxDir },
        runtime: 'llama.cpp',
        contextTokens: 64,
        promptTokens: 8,
        generateTokens: 8,
      },
      trialDeps(dataDir),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrialInputError);
    expect((error as Error).message).toMatch(
      /neither a .gguf nor an imported checkpoint.*edge-workbench models gguf/,
    );
  });
});
