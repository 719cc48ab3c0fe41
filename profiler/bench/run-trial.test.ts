import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TrialResultSchema, type TrialSpecInput } from '../api';
import { resolveModel } from '../../common/catalog';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import { runTrial, type RunTrialDeps } from './run-trial';
import { catalogModel, tiny, trialDeps, useTrialDataDir } from './test/trial-test-deps';
import type { TrialProcessLauncher } from './trial-host';
import { TrialInputError } from './trial-validation';

const dataDir = useTrialDataDir();
const deps = (extra: Partial<RunTrialDeps> = {}): RunTrialDeps => trialDeps(dataDir, extra);
const catalog = (id: string, style: 'fused' | 'standard' = 'fused') => catalogModel(id, style);
const prompt = [5, 17, 99, 3, 250, 42, 7];

describe('runTrial on a real (tiny) model in its own process', () => {
  // Untied heads: with tied embeddings and random weights each token predicts itself, and a constant
  // sequence would prove little. These give varied greedy sequences (checked below).
  it.each([
    ['mobilellm-r1-140m', { tie_word_embeddings: false }],
    ['olmo-2-0425-1b', {}],
  ])(
    '%s: greedy ids equal transformers.js generate (32 new tokens), and fused and standard agree',
    async (id, extra) => {
      const spec = (style: 'fused' | 'standard'): TrialSpecInput => ({
        model: { ...catalog(id, style), overrides: { ...tiny, ...extra } },
        contextTokens: 64,
        depthTokens: 0, // transformers.js generates from an empty cache
        promptIds: prompt,
        generateTokens: 31, // + the token from prefill = 32 new tokens
        warmupRuns: 0,
        repetitions: 1,
      });
      const standard = await runTrial(spec('standard'), deps());
      const fused = await runTrial(spec('fused'), deps());
      expect(standard.status).toBe('ok');
      expect(standard.generatedTokenIds).toHaveLength(32);
      expect(new Set(standard.generatedTokenIds).size).toBeGreaterThanOrEqual(5);
      expect(fused.generatedTokenIds).toEqual(standard.generatedTokenIds);

      env.allowRemoteModels = false;
      const folder = path.dirname(path.dirname(standard.model!.modelFile)); // …/<variant>/onnx/model.onnx
      env.localModelPath = `${path.dirname(folder)}/`;
      const model = await AutoModelForCausalLM.from_pretrained(path.basename(folder), {
        dtype: 'fp32',
        device: 'cpu',
      });
      const output = (await model.generate({
        input_ids: new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]),
        max_new_tokens: 32,
        do_sample: false,
      })) as Tensor;
      await model.dispose();
      expect(Array.from(output.data as BigInt64Array, Number).slice(prompt.length)).toEqual(
        standard.generatedTokenIds,
      );
    },
  );

  it('reports metrics consistent with their raw samples, KV bytes exact = analytic, and memory', async () => {
    const result = await runTrial(
      {
        model: catalog('qwen3-0.6b'),
        contextTokens: 128,
        promptTokens: 16,
        generateTokens: 8,
        depthTokens: 20,
        kvBuffer: 'grow', // the cache is exactly the tokens it holds (a shared buffer holds the context)
        warmupRuns: 1,
        repetitions: 3,
      },
      deps(),
    );
    expect(TrialResultSchema.parse(result)).toBeTruthy();
    expect(result.status).toBe('ok');
    expect(result.repetitions).toHaveLength(3);
    for (const rep of result.repetitions) {
      expect(rep.decodeStepMs).toHaveLength(8);
      const decodeSeconds = rep.decodeStepMs.reduce((a, b) => a + b, 0) / 1000;
      expect(rep.decodeTokensPerSecond).toBeCloseTo(8 / decodeSeconds, 6);
      // prefill tok/s is the run() alone; TTFT adds the sampling of the first token
      expect(rep.prefillTokensPerSecond).toBeCloseTo(16 / (rep.prefillMs! / 1000), 6);
      expect(rep.ttftMs).toBeGreaterThanOrEqual(rep.prefillMs!);
      expect(rep.samplingMs).toHaveLength(8);
    }
    expect(result.summary!.samplingMs!.mean).toBeGreaterThan(0);
    // depth 20 + prompt 16 + 8 decode steps in the cache; qwen3: 2 layers · 8 KV heads · 128 · 4 B · 2
    expect(result.kvCache).toEqual({
      tokens: 44,
      exactBytes: 44 * 16384,
      analyticBytes: 44 * 16384,
      bytesPerToken: 16384,
    });
    expect(result.peakRssBytes!).toBeGreaterThanOrEqual(result.rssAfterLoadBytes!);
    expect(result.memoryTimeline.length).toBeGreaterThan(0);
    expect(result.summary!.decodeTokensPerSecond!.n).toBe(3);
    const { roofline } = result;
    expect(roofline!.weightBytesPerDecodeToken).toBeLessThan(result.model!.weightsBytes);
    expect(roofline!.kvBytesPerDecodeToken).toBe(16384 * (20 + 16 + 3.5)); // mean cached tokens over the steps
    expect(roofline!.bytesPerDecodeToken).toBe(
      roofline!.weightBytesPerDecodeToken! + roofline!.kvBytesPerDecodeToken!,
    );
    expect(result.kvSetup).toEqual({
      depthTokens: 20,
      fill: 'synthetic',
      fillSource: 'seeded values',
      buffer: 'grow',
    });
    expect(result.logits).toEqual({ positions: 'last', prefillBytes: 256 * 4, lastPositionBytes: 256 * 4 });
    expect(result.environment.onnxruntimeVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('with --profile-ops, adds time per operator for prefill and decode from onnxruntime’s profile', async () => {
    const result = await runTrial(
      {
        model: catalog('smollm2-135m'),
        contextTokens: 64,
        promptTokens: 8,
        generateTokens: 4,
        warmupRuns: 0,
        repetitions: 1,
        profileOps: true,
      },
      deps(),
    );
    const ops = result.opBreakdown!;
    expect(ops.decode.map((op) => op.opType)).toContain('com.microsoft.GroupQueryAttention');
    expect(ops.decode.find((op) => op.opType === 'com.microsoft.GroupQueryAttention')!.count).toBe(4 * 2); // 4 steps × 2 layers
    expect(ops.prefill.reduce((sum, op) => sum + op.share, 0)).toBeCloseTo(1, 6);
    expect(ops.profileFile.startsWith(path.join(dataDir, 'profiles'))).toBe(true);
    // time inside onnxruntime never exceeds the same run measured around it, through onnxruntime-node
    const times = ops.runTimes!;
    expect(times.decodeInsideMs).toBeGreaterThan(0);
    expect(times.decodeInsideMs).toBeLessThanOrEqual(times.decodeWallMs);
    expect(times.prefillInsideMs).toBeLessThanOrEqual(times.prefillWallMs);
    // the profiling session is warmed up like the timed one: a full sequence before the profiled one
    const events = JSON.parse(readFileSync(ops.profileFile, 'utf8')) as { name: string }[];
    expect(events.filter((event) => event.name === 'model_run')).toHaveLength(2 * (1 + 4));
  });

  it('decodes a text prompt with the folder’s tokenizer and returns the generated text', async () => {
    const folder = path.join(dataDir, 'with-tokenizer');
    await buildSyntheticModel({
      model: resolveModel('smollm2-135m', tiny),
      style: 'standard',
      seed: 1,
      outDir: folder,
    });
    const vocab: Record<string, number> = { '[UNK]': 0 };
    for (let id = 1; id < 256; id += 1) vocab[`w${id}`] = id;
    const tokenizer = {
      version: '1.0',
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
    };
    writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify(tokenizer));
    const streamed: string[] = [];
    const result = await runTrial(
      {
        model: { kind: 'folder', path: folder },
        contextTokens: 64,
        promptText: 'w5 w17 w99',
        generateTokens: 5,
        warmupRuns: 0,
        repetitions: 1,
      },
      deps({ onProgress: (event) => event.text !== undefined && streamed.push(event.text) }),
    );
    expect(result.promptTokenIds).toEqual([5, 17, 99]);
    expect(result.generatedText).toBe(result.generatedTokenIds.map((id) => `w${id}`).join(' '));
    expect(streamed.join('')).toBe(result.generatedText);
  });
});

describe('bad input is refused before any work starts', () => {
  const neverLaunch: TrialProcessLauncher = vi.fn(() => {
    throw new Error('no trial process may start');
  });
  it.each<[string, TrialSpecInput, RegExp]>([
    [
      'a context beyond the model',
      { model: catalog('smollm2-135m'), contextTokens: 4096 },
      /--context 4096 is longer than the model's maximum of 128/,
    ],
    [
      'depth + prompt + generate beyond the context',
      {
        model: catalog('smollm2-135m'),
        contextTokens: 64,
        depthTokens: 40,
        promptTokens: 20,
        generateTokens: 10,
      },
      /depth 40 \+ prompt 20 \+ generate 10 = 70 tokens do not fit the 64-token context/,
    ],
    ['no prompt', { model: catalog('smollm2-135m'), promptTokens: 0 }, /trial\.promptTokens/],
    ['no decode steps', { model: catalog('smollm2-135m'), generateTokens: -1 }, /trial\.generateTokens/],
    [
      'more threads than cores',
      { model: catalog('smollm2-135m'), threads: os.cpus().length + 1 },
      /logical cores/,
    ],
    [
      'a prompt id outside the vocabulary',
      { model: catalog('smollm2-135m'), contextTokens: 64, promptIds: [1, 999], generateTokens: 8 },
      /999, outside the vocabulary \(0 to 255\)/,
    ],
    [
      'a text prompt without a tokenizer',
      { model: catalog('smollm2-135m'), contextTokens: 64, promptText: 'hi', generateTokens: 8 },
      /no tokenizer\.json/,
    ],
    ['an unknown model', { model: { kind: 'catalog', id: 'gpt-9' } }, /Unknown model "gpt-9"/],
    ['a missing folder', { model: { kind: 'folder', path: '/nonexistent/model' } }, /does not exist/],
  ])('%s', async (_name, spec, message) => {
    await expect(runTrial(spec, deps({ launcher: neverLaunch }))).rejects.toThrow(message);
    expect(neverLaunch).not.toHaveBeenCalled();
  });

  it('names inputs the runner cannot feed', async () => {
    const { checkTrialAgainstModel } = await import('./trial-validation');
    const { inspectModel } = await import('../models/loader');
    const folder = path.join(dataDir, 'odd-inputs');
    await buildSyntheticModel({
      model: resolveModel('smollm2-135m', tiny),
      style: 'fused',
      seed: 1,
      outDir: folder,
    });
    const inspection = await inspectModel(folder);
    inspection.signature.inputs.push({ name: 'num_logits_to_keep', dtype: 'int64', dims: [] });
    const spec = (await import('./trial-validation')).parseTrialSpec({
      model: catalog('smollm2-135m'),
      contextTokens: 64,
      promptTokens: 8,
      generateTokens: 8,
    });
    expect(() => checkTrialAgainstModel(spec, inspection, 256)).toThrow(TrialInputError);
    expect(() => checkTrialAgainstModel(spec, inspection, 256)).toThrow(
      /inputs the runner does not know how to feed: num_logits_to_keep/,
    );
  });
});
