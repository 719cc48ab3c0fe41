import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../common/catalog';
import { inspectModel } from '../profiler/models/loader';
import { buildSyntheticModel } from '../profiler/models/synthetic/synthetic-builder';
import { readModel } from '../profiler/onnx';
import { resolvePreset } from './presets';
import { quantizeModelFile } from './quantize-model';

/** The pipeline itself: a weight's skip is recorded once, a cancelled run leaves nothing behind. */

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-quantize-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EMBEDDING = 'model.embed_tokens.weight';
let inspection: Awaited<ReturnType<typeof inspectModel>>;

beforeAll(async () => {
  const model = resolveModel('smollm2-135m', {
    num_hidden_layers: 2,
    hidden_size: 64, // K of every hidden-input projection and of the tied embedding
    intermediate_size: 96,
    vocab_size: 256,
    max_context_tokens: 64,
  });
  const outDir = path.join(dir, 'source');
  await buildSyntheticModel({ model, style: 'standard', seed: 3, outDir });
  inspection = await inspectModel(outDir);
});

function quantize(name: string, options = resolvePreset('int4'), signal?: AbortSignal) {
  const target = { dir: path.join(dir, name), modelFileName: 'model.onnx' };
  return quantizeModelFile(inspection.modelFile, target, {
    options,
    signature: inspection.signature,
    ...(signal ? { signal } : {}),
  });
}

describe('quantizeModelFile', () => {
  it('records a tied embedding that no block fits once, as skipped with the reason, and keeps it float', async () => {
    // int4 offers the table to GatherBlockQuantized, then MatMulNBits: only the first may say why not
    const { written, decisions } = await quantize('block128', resolvePreset('int4', { blockSize: 128 }));
    expect(decisions.filter((d) => d.tensor === EMBEDDING)).toEqual([
      { tensor: EMBEDDING, action: 'skipped', detail: 'K = 64 is smaller than the block size 128' },
    ]);
    const model = await readModel(written.modelPath);
    expect(model.initializers.get(EMBEDDING)?.dims).toEqual([256, 64]);
    expect(
      model.graph.node
        .filter((n) => n.input.includes(EMBEDDING))
        .map((n) => n.op_type)
        .sort(),
    ).toEqual(['Gather', 'Gemm']);
  });

  it('stops when cancelled between weights and leaves no files behind', async () => {
    const controller = new AbortController();
    const target = { dir: path.join(dir, 'cancelled'), modelFileName: 'model.onnx' };
    const run = quantizeModelFile(inspection.modelFile, target, {
      options: resolvePreset('int4'),
      signature: inspection.signature,
      signal: controller.signal,
      onProgress: ({ doneTensors }) => {
        if (doneTensors === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/aborted/);
    expect(readdirSync(target.dir)).toEqual([]);
  });
});
