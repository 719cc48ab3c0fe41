import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TrialResultSchema, type TrialSpecInput } from '../api';
import { inspectModel } from '../models/loader';
import { resolveModel } from '../../common/catalog';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import { FILL_CHUNK_TOKENS, runTrial, sampleIntervalMs } from './run-trial';
import { catalogModel, tiny, trialDeps, useTrialDataDir } from './test/trial-test-deps';
import type { TrialProcessLauncher } from './trial-host';

/**
 * Context length is a real axis: a trial at context C measures the end of a C-token window (the cache
 * holds C − P − G tokens before the timed part and C after it), filled without running the model
 * unless asked, and held the way the graph allows (a shared buffer for GroupQueryAttention graphs).
 */

const dataDir = useTrialDataDir();
const deps = (extra = {}) => trialDeps(dataDir, extra);
const quick = { promptTokens: 8, generateTokens: 4, warmupRuns: 0, repetitions: 1 } as const;
/** qwen3 tiny: 2 layers · 8 KV heads · 128 dims · fp32 · key and value */
const QWEN3_TINY_KV_BYTES_PER_TOKEN = 2 * 2 * 8 * 128 * 4;

describe('the context axis', () => {
  it('by default a trial measures the end of its context window, and each context measures different work', async () => {
    const results = [];
    for (const contextTokens of [32, 128]) {
      results.push(await runTrial({ model: catalogModel('qwen3-0.6b'), contextTokens, ...quick }, deps()));
    }
    const [short, long] = results;
    for (const [result, contextTokens] of [
      [short!, 32],
      [long!, 128],
    ] as const) {
      expect(TrialResultSchema.parse(result)).toBeTruthy();
      expect(result.spec.depthTokens).toBe(contextTokens - 8 - 4);
      expect(result.spec.depthSource).toBe('context');
      // after the last step the cache holds the whole context
      expect(result.kvCache!.tokens).toBe(contextTokens);
      expect(result.kvCache!.exactBytes).toBe(contextTokens * QWEN3_TINY_KV_BYTES_PER_TOKEN);
      expect(result.kvSetup).toEqual({
        depthTokens: contextTokens - 12,
        fill: 'synthetic',
        fillSource: 'seeded values',
        buffer: 'shared',
        bufferTokens: contextTokens,
      });
      expect(result.roofline!.kvBytesPerDecodeToken).toBe(
        QWEN3_TINY_KV_BYTES_PER_TOKEN * (contextTokens - 12 + 8 + 1.5),
      );
    }
    expect(long!.roofline!.bytesPerDecodeToken).toBeGreaterThan(short!.roofline!.bytesPerDecodeToken);
  });

  it('--depth 0 measures an empty cache, as before; an explicit depth is recorded as given', async () => {
    const empty = await runTrial(
      { model: catalogModel('qwen3-0.6b'), contextTokens: 128, depthTokens: 0, ...quick },
      deps(),
    );
    expect(empty.kvSetup).toMatchObject({ depthTokens: 0, fill: 'none' });
    expect(empty.kvCache!.tokens).toBe(12);
    expect(empty.spec.depthSource).toBe('given');
  });

  it('the standard graph (a Concat per layer) grows its cache, filled the same synthetic way', async () => {
    const result = await runTrial(
      { model: catalogModel('qwen3-0.6b', 'standard'), contextTokens: 64, ...quick },
      deps(),
    );
    expect(result.kvSetup).toEqual({
      depthTokens: 52,
      fill: 'synthetic',
      fillSource: 'seeded values',
      buffer: 'grow',
    });
    expect(result.kvCache).toMatchObject({ tokens: 64, exactBytes: 64 * QWEN3_TINY_KV_BYTES_PER_TOKEN });
  });

  it('--fill model runs the model over the depth in chunks; both fills generate from a full cache', async () => {
    const spec: TrialSpecInput = { model: catalogModel('qwen3-0.6b'), contextTokens: 128, ...quick };
    const model = await runTrial({ ...spec, fill: 'model' }, deps());
    expect(model.kvSetup).toMatchObject({
      fill: 'model',
      fillSource: 'seeded ids',
      fillChunkTokens: FILL_CHUNK_TOKENS,
      depthTokens: 116,
    });
    expect(model.kvCache!.tokens).toBe(128);
  });

  it('--fill-text fills the depth with a text, repeated to length (model folders with a tokenizer)', async () => {
    const folder = path.join(dataDir, 'with-tokenizer');
    await buildSyntheticModel({
      model: resolveModel('smollm2-135m', tiny),
      style: 'fused',
      seed: 1,
      outDir: folder,
    });
    const vocab: Record<string, number> = { '[UNK]': 0 };
    for (let id = 1; id < 256; id += 1) vocab[`w${id}`] = id;
    writeFileSync(
      path.join(folder, 'tokenizer.json'),
      JSON.stringify({
        version: '1.0',
        added_tokens: [],
        normalizer: null,
        pre_tokenizer: { type: 'Whitespace' },
        post_processor: null,
        decoder: null,
        model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
      }),
    );
    const result = await runTrial(
      { model: { kind: 'folder', path: folder }, contextTokens: 64, fillText: 'w1 w2 w3', ...quick },
      deps(),
    );
    expect(result.spec.fill).toBe('model');
    expect(result.kvSetup).toMatchObject({ fill: 'model', fillSource: 'text', depthTokens: 52 });
  });
});

describe('refused before any trial process starts', () => {
  const neverLaunch: TrialProcessLauncher = vi.fn(() => {
    throw new Error('no trial process may start');
  });
  it.each<[string, TrialSpecInput, RegExp]>([
    [
      'a prompt and generation longer than the context',
      { model: catalogModel('qwen3-0.6b'), contextTokens: 64, promptTokens: 60, generateTokens: 8 },
      /prompt 60 \+ generate 8 = 68 tokens do not fit the 64-token context/,
    ],
    [
      'a shared buffer on a graph that Concats its cache',
      { model: catalogModel('qwen3-0.6b', 'standard'), contextTokens: 64, kvBuffer: 'shared', ...quick },
      /cannot hold its KV cache in a shared buffer/,
    ],
    [
      'fill text with a synthetic fill',
      {
        model: catalogModel('qwen3-0.6b'),
        contextTokens: 64,
        fill: 'synthetic',
        fillText: 'hello',
        ...quick,
      },
      /--fill-text fills the context by running the model/,
    ],
    [
      'fill text without a tokenizer',
      { model: catalogModel('qwen3-0.6b'), contextTokens: 64, fillText: 'hello', ...quick },
      /no tokenizer\.json, so --fill-text cannot be encoded/,
    ],
  ])('%s', async (_name, spec, message) => {
    await expect(runTrial(spec, deps({ launcher: neverLaunch }))).rejects.toThrow(message);
    expect(neverLaunch).not.toHaveBeenCalled();
  });
});

describe('peak RSS is the trial process’s own', () => {
  it('a parent holding over 1 GiB launches a trial: the trial reports its own peak, matching its timeline', async () => {
    const held = Buffer.alloc(1.1 * 2 ** 30, 1); // touched pages: resident in this (the parent) process
    const result = await runTrial(
      { model: catalogModel('qwen3-0.6b'), contextTokens: 64, ...quick, repetitions: 2 },
      deps(),
    );
    expect(held[held.length - 1]).toBe(1);
    const check = result.peakRss!;
    expect(check.source).toBe(process.platform === 'linux' ? 'VmHWM' : 'maxRSS');
    expect(check.consistent).toBe(true);
    expect(check.sampleIntervalMs).toBe(sampleIntervalMs());
    // today's getrusage reading would start at the parent's 1.1 GiB
    expect(result.peakRssBytes!).toBeLessThan(768 * 2 ** 20);
    expect(result.peakRssBytes!).toBeGreaterThanOrEqual(check.timelineMaxBytes - 4 * 2 ** 20);
    expect(result.peakRssBytes!).toBeGreaterThanOrEqual(result.rssAfterLoadBytes!);
  });
});

describe('the roofline', () => {
  it('divides by the weights a step reads (not every initializer) plus the KV cache', async () => {
    const result = await runTrial({ model: catalogModel('qwen3-0.6b'), contextTokens: 64, ...quick }, deps());
    const variantDir = path.dirname(result.model!.modelFile);
    const inspection = await inspectModel(variantDir);
    expect(result.roofline!.weightBytesPerDecodeToken).toBe(inspection.bytes.readPerDecodeToken);
    expect(result.roofline!.bandwidthMeasuredAt).toBe('2026-12-05T00:00:00.000Z');
  });

  it('is "not measured", with the reason, when the bandwidth could not be measured', async () => {
    const reason = 'not measured: the machine was too noisy (spread 14%)';
    const result = await runTrial(
      { model: catalogModel('qwen3-0.6b'), contextTokens: 64, ...quick },
      deps({ bandwidth: async () => ({ status: 'not-measured', ep: 'cpu', reason }) }),
    );
    expect(result.status).toBe('ok');
    expect(result.roofline).toBeUndefined();
    expect(result.rooflineUnavailable).toBe(reason);
  });
});

describe('sampling interval', () => {
  it('samples every 20 ms on Linux (a /proc read) and 4× a second where each sample spawns a process', () => {
    expect(sampleIntervalMs('linux')).toBe(20);
    expect(sampleIntervalMs('darwin')).toBe(250);
    expect(sampleIntervalMs('win32')).toBe(250);
  });
});
