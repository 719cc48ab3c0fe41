import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelInspection } from '../api';
import { resolveModel } from '../../common/catalog';
import { inspectModel } from '../models/loader';
import type { GraphStyle, LogitsPositions } from '../models/synthetic/model-config-files';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import { argmaxLastRow } from './argmax';
import { DecoderRunner, type DepthFill, type KvBuffer } from './decoder-runner';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const overrides = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 128,
};

interface Opened {
  inspection: ModelInspection;
  session: ort.InferenceSession;
}
const opened: Opened[] = [];
afterAll(async () => Promise.all(opened.map(({ session }) => session.release())));

async function open(style: GraphStyle, logits: LogitsPositions = 'last'): Promise<Opened> {
  const folder = path.join(dir, `${style}-${logits}`);
  await buildSyntheticModel({
    model: resolveModel('qwen3-0.6b', overrides),
    style,
    seed: 2,
    logits,
    outDir: folder,
  });
  const inspection = await inspectModel(folder);
  const session = await ort.InferenceSession.create(inspection.modelFile, { logSeverityLevel: 3 });
  opened.push({ inspection, session });
  return { inspection, session };
}

function runner({ inspection, session }: Opened, kvBuffer: KvBuffer, contextTokens = 64): DecoderRunner {
  return new DecoderRunner(session, {
    signature: inspection.signature,
    vocabSize: 256,
    contextTokens,
    kvBuffer,
  });
}

/** prefill then `steps` greedy decode steps; the generated ids */
async function generate(
  r: DecoderRunner,
  fill: DepthFill,
  prompt: number[],
  steps: number,
): Promise<number[]> {
  await r.startSequence(fill);
  let { tokenId } = await r.prefill(prompt);
  const ids = [tokenId];
  for (let step = 0; step < steps; step += 1) {
    tokenId = (await r.decode(tokenId)).tokenId;
    ids.push(tokenId);
  }
  return ids;
}

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
  let fused: Opened;
  let standard: Opened;
  beforeAll(async () => {
    fused = await open('fused');
    standard = await open('standard');
  });

  it('keeps the cache in present tensors, counts tokens, and refuses to overflow the context', async () => {
    const r = runner(fused, 'grow', 10);
    const first = await r.prefill([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.cachedTokens).toBe(8);
    await r.decode(first.tokenId);
    expect(r.cachedTokens).toBe(9);
    expect(r.kvCacheBytes()).toBe(9 * fused.inspection.kvBytesPerToken!);
    await r.decode(first.tokenId);
    await expect(r.decode(first.tokenId)).rejects.toThrow(/11 tokens, over the 10-token context/);
    r.reset();
    expect(r.cachedTokens).toBe(0);
    // the same prompt after a reset gives the same token: no state leaks between sequences
    expect((await r.prefill([1, 2, 3, 4, 5, 6, 7, 8])).tokenId).toBe(first.tokenId);
  });

  it('times run() and sampling apart', async () => {
    const step = await runner(fused, 'grow').prefill([1, 2, 3]);
    expect(step.runMs).toBeGreaterThan(0);
    expect(step.samplingMs).toBeGreaterThanOrEqual(0);
  });

  it('a shared buffer generates exactly what a growing cache does, and holds the whole context', async () => {
    expect(fused.inspection.signature.canShareKvBuffer).toBe(true);
    const prompt = [5, 17, 99, 3, 200];
    for (const fill of [
      { kind: 'none' },
      { kind: 'synthetic', tokens: 40, seed: 3 },
      { kind: 'model', ids: Array.from({ length: 30 }, (_, i) => (i * 7) % 256), chunkTokens: 8 },
    ] satisfies DepthFill[]) {
      const grow = runner(fused, 'grow');
      const shared = runner(fused, 'shared');
      expect(await generate(shared, fill, prompt, 6)).toEqual(await generate(grow, fill, prompt, 6));
      expect(shared.cachedTokens).toBe(grow.cachedTokens);
      expect(grow.kvCacheBytes()).toBe(grow.cachedTokens * fused.inspection.kvBytesPerToken!);
      expect(shared.kvCacheBytes()).toBe(64 * fused.inspection.kvBytesPerToken!);
    }
  });

  it('the standard graph (position ids, Concat) cannot share a buffer, and runs a synthetic fill growing', async () => {
    expect(standard.inspection.signature.canShareKvBuffer).toBe(false);
    const r = runner(standard, 'grow');
    await r.startSequence({ kind: 'synthetic', tokens: 50, seed: 1 });
    expect(r.cachedTokens).toBe(50);
    expect(r.runCount).toBe(0); // no model run: the values were written
    await r.prefill([1, 2, 3]);
    expect(r.kvCacheBytes()).toBe(53 * standard.inspection.kvBytesPerToken!);
  });

  it('a synthetic fill is seeded: the same seed gives the same tokens, another seed other values', async () => {
    const prompt = [9, 8, 7];
    const a = await generate(runner(fused, 'grow'), { kind: 'synthetic', tokens: 40, seed: 3 }, prompt, 4);
    const b = await generate(runner(fused, 'grow'), { kind: 'synthetic', tokens: 40, seed: 3 }, prompt, 4);
    expect(a).toEqual(b);
    const shared = runner(fused, 'shared');
    await shared.startSequence({ kind: 'synthetic', tokens: 40, seed: 3 });
    const rowsA = Float32Array.from(shared['feeds']['past_key_values.0.key']!.data as Float32Array);
    await shared.startSequence({ kind: 'synthetic', tokens: 40, seed: 4 });
    const rowsB = shared['feeds']['past_key_values.0.key']!.data as Float32Array;
    expect(rowsA.subarray(0, 64)).not.toEqual(rowsB.subarray(0, 64));
  });

  it('a shared cache rewinds to its fill instead of filling again; a growing one fills again', async () => {
    const fill: DepthFill = {
      kind: 'model',
      ids: Array.from({ length: 24 }, (_, i) => i + 4),
      chunkTokens: 8,
    };
    const prompt = [1, 2, 3];
    const shared = runner(fused, 'shared');
    const first = await generate(shared, fill, prompt, 3);
    const runsAfterFirst = shared.runCount;
    expect(runsAfterFirst).toBe(3 + 1 + 3); // 24 ids in chunks of 8, the prefill, 3 steps
    expect(await generate(shared, fill, prompt, 3)).toEqual(first);
    expect(shared.runCount - runsAfterFirst).toBe(1 + 3); // no fill runs the second time
    const grow = runner(fused, 'grow');
    await generate(grow, fill, prompt, 3);
    const growRuns = grow.runCount;
    await generate(grow, fill, prompt, 3);
    expect(grow.runCount - growRuns).toBe(3 + 1 + 3);
  });

  it('every position’s logits from a last-position graph equal an all-positions graph’s prefill', async () => {
    const all = await open('fused', 'all');
    expect(all.inspection.signature.logitsPositions).toBe('all');
    expect(fused.inspection.signature.logitsPositions).toBe('last');
    const ids = [3, 1, 4, 1, 5, 9];
    const expected = await runner(all, 'grow').everyPositionLogits(ids);
    const actual = await runner(fused, 'grow').everyPositionLogits(ids);
    expect(actual.dims).toEqual([1, ids.length, 256]);
    let max = 0;
    expected.data.forEach((value, i) => (max = Math.max(max, Math.abs(value - actual.data[i]!))));
    expect(max).toBeLessThan(1e-4);
  });

  it('records what a prefill’s logits cost: one row on a last-position graph, P rows on an all-positions one', async () => {
    const last = runner(fused, 'grow');
    await last.prefill([1, 2, 3, 4]);
    expect(last.prefillLogits).toEqual({ bytes: 256 * 4, rows: 1 });
    const all = runner(await open('standard', 'all'), 'grow');
    await all.prefill([1, 2, 3, 4]);
    expect(all.prefillLogits).toEqual({ bytes: 4 * 256 * 4, rows: 4 });
  });
});
