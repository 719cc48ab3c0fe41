import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../models/catalog';
import { inspectModel } from '../models/loader';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import { argmaxLastRow, DecoderRunner } from './decoder-runner';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('argmaxLastRow', () => {
  it('reads the last position only', () => {
    expect(argmaxLastRow(Float32Array.of(9, 0, 0, 1, 3, 2), 3)).toBe(1);
  });
  it('reads float16 logits', () => {
    // 0x3c00 = 1.0, 0x4000 = 2.0, 0xc000 = -2.0
    expect(argmaxLastRow(Uint16Array.of(0x3c00, 0x4000, 0xc000), 3)).toBe(1);
  });
});

describe('DecoderRunner', () => {
  it('keeps the cache in present tensors, counts tokens, and refuses to overflow the context', async () => {
    const overrides = {
      num_hidden_layers: 2,
      hidden_size: 64,
      intermediate_size: 96,
      vocab_size: 256,
      max_context_tokens: 64,
    };
    const folder = path.join(dir, 'model');
    await buildSyntheticModel({
      model: resolveModel('qwen3-0.6b', overrides),
      style: 'fused',
      seed: 2,
      outDir: folder,
    });
    const inspection = await inspectModel(folder);
    const session = await ort.InferenceSession.create(inspection.modelFile, { logSeverityLevel: 3 });
    const runner = new DecoderRunner(session, {
      signature: inspection.signature,
      vocabSize: 256,
      contextTokens: 10,
    });
    const first = await runner.prefill([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(runner.cachedTokens).toBe(8);
    await runner.decode(first.tokenId);
    expect(runner.cachedTokens).toBe(9);
    expect(runner.kvCacheBytes()).toBe(9 * inspection.kvBytesPerToken!);
    await runner.decode(first.tokenId);
    await expect(runner.decode(first.tokenId)).rejects.toThrow(/11 tokens, over the 10-token context/);
    runner.reset();
    expect(runner.cachedTokens).toBe(0);
    // the same prompt after a reset gives the same token: no state leaks between sequences
    expect((await runner.prefill([1, 2, 3, 4, 5, 6, 7, 8])).tokenId).toBe(first.tokenId);
    await session.release();
  });
});
