import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalogEntry, type ModelSpec } from '../../../common/catalog';
import { inspectModel } from '../loader';
import { ReferenceDecoder } from '../synthetic/reference-decoder';
import { isProjectionWeight } from '../synthetic/seeded-weights';
import { maxAbsDifference, onnxDecoderLogits } from '../test/onnx-decoder-logits';
import { importCheckpoint, type ImportRecord } from './import-checkpoint';
import {
  TINY_VOCAB,
  writeTinyCheckpoint,
  type TinyCheckpoint,
  type TinyFamily,
} from './test/tiny-checkpoints';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-import-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const prompt = [5, 17, 99, 3, 250];
const decodeTokens = [42, 7, 200];
const greedyTokens = 10;

/** The spec the family's switches and the config's shapes give, stated here, not read from the importer. */
function expectedSpec(checkpoint: TinyCheckpoint, catalogId: string): ModelSpec {
  const c = checkpoint.config;
  const { ropeStyle, qkNorm, normPlacement, ffnModuleName } = getCatalogEntry(catalogId).spec;
  return {
    numHiddenLayers: c.num_hidden_layers as number,
    hiddenSize: c.hidden_size as number,
    intermediateSize: (c.intermediate_size_mlp ?? c.intermediate_size) as number,
    numAttentionHeads: c.num_attention_heads as number,
    numKeyValueHeads: c.num_key_value_heads as number,
    headDim: c.head_dim as number,
    vocabSize: c.vocab_size as number,
    tieWordEmbeddings: c.tie_word_embeddings as boolean,
    rmsNormEps: c.rms_norm_eps as number,
    ropeTheta: c.rope_theta as number,
    ropeStyle,
    qkNorm,
    normPlacement,
    attentionBias: false,
    maxContextTokens: c.max_position_embeddings as number,
    blockWeightSharing: 'none',
    ffnModuleName,
  };
}

/** The reference forward pass over the safetensors values as stored ([out, in] → the MatMul layout). */
function referenceDecoder(spec: ModelSpec, checkpoint: TinyCheckpoint): ReferenceDecoder {
  return new ReferenceDecoder(spec, (name) => {
    const values = checkpoint.values.get(name);
    if (!values) throw new Error(`the reference asked for ${name}, which the checkpoint lacks`);
    const shape = checkpoint.shapes.get(name)!;
    if (!isProjectionWeight(name)) return values;
    const [rows, columns] = shape as [number, number];
    const out = new Float32Array(values.length);
    for (let r = 0; r < rows; r += 1)
      for (let c = 0; c < columns; c += 1) out[c * rows + r] = values[r * columns + c]!;
    return out;
  });
}

function argmaxOfLast(logits: Float32Array): number {
  const row = logits.subarray(logits.length - TINY_VOCAB);
  return row.reduce((best, value, index) => (value > row[best]! ? index : best), 0);
}

function referenceGreedy(reference: ReferenceDecoder): number[] {
  const generated = [argmaxOfLast(reference.forward(prompt))];
  while (generated.length < greedyTokens)
    generated.push(argmaxOfLast(reference.forward([generated.at(-1)!])));
  return generated;
}

async function transformersJsGreedy(folder: string): Promise<number[]> {
  env.allowRemoteModels = false;
  env.localModelPath = `${path.dirname(folder)}/`;
  const model = await AutoModelForCausalLM.from_pretrained(path.basename(folder), {
    dtype: 'fp32',
    device: 'cpu',
  });
  const ids = (n: number, fill?: bigint): Tensor =>
    new Tensor(
      'int64',
      fill === undefined ? BigInt64Array.from(prompt, BigInt) : new BigInt64Array(n).fill(fill),
      [1, n],
    );
  const output = (await model.generate({
    input_ids: ids(prompt.length),
    attention_mask: ids(prompt.length, 1n),
    max_new_tokens: greedyTokens,
    do_sample: false,
  })) as Tensor;
  await model.dispose();
  return Array.from(output.data as BigInt64Array, Number).slice(prompt.length);
}

describe.each([
  [
    'mobilellm-r1',
    'mobilellm-r1-140m',
    'BF16',
    3,
    'Llama-4 names (feed_forward), interleaved RoPE, weight-free QK-norm, sharded',
  ],
  ['qwen3', 'qwen3-0.6b', 'BF16', 1, 'per-head q_norm/k_norm weights'],
  ['smollm2', 'smollm2-135m', 'F32', 1, 'plain Llama, tied embeddings'],
  ['olmo2', 'olmo-2-0425-1b', 'F16', 2, 'post-norm, full-width QK-norm, untied lm_head'],
] as const)(
  'models import of a %s checkpoint (%s layout, %s, %i shard(s): %s)',
  (family, catalogId, dtype, shards, _what) => {
    it('gives both graph styles the reference logits (≤ 1e-4), transformers.js the reference greedy ids, inspect the checkpoint’s parameter count', async () => {
      const checkpoint = await writeTinyCheckpoint(
        path.join(workDir, `${family}-ckpt`),
        family as TinyFamily,
        {
          dtype,
          shards,
        },
      );
      const spec = expectedSpec(checkpoint, catalogId);
      const expected = (() => {
        const reference = referenceDecoder(spec, checkpoint);
        return [reference.forward(prompt), ...decodeTokens.map((token) => reference.forward([token]))];
      })();
      const shape = { layers: spec.numHiddenLayers, kvHeads: spec.numKeyValueHeads, headDim: spec.headDim };
      const folders: Record<string, string> = {};
      for (const style of ['standard', 'fused'] as const) {
        const imported = await importCheckpoint({
          sourceDir: checkpoint.dir,
          style,
          logits: 'all',
          outDir: path.join(workDir, `${family}-${style}`),
        });
        folders[style] = imported.dir;
        expect(imported.record.spec).toEqual(spec);
        const logits = await onnxDecoderLogits(imported.modelPath, shape, prompt, decodeTokens);
        expect(maxAbsDifference(logits, expected)).toBeLessThanOrEqual(1e-4);
        // the logits are not flat: a dropped or misplaced weight would move them far more than 1e-4
        expect(Math.max(...expected[0]!) - Math.min(...expected[0]!)).toBeGreaterThan(0.5);
      }
      const record = JSON.parse(
        readFileSync(path.join(folders.standard!, 'import.json'), 'utf8'),
      ) as ImportRecord;
      expect(record).toMatchObject({
        kind: 'imported',
        family: getCatalogEntry(catalogId).family,
        checkpointDtypes: { [dtype]: checkpoint.values.size },
      });
      expect(existsSync(path.join(folders.standard!, 'generation_config.json'))).toBe(true);

      const tied = checkpoint.config.tie_word_embeddings !== false;
      const storedElements = [...checkpoint.values.values()].reduce((sum, values) => sum + values.length, 0);
      const inspection = await inspectModel(folders.standard!);
      expect(inspection.parameters.learned).toBe(storedElements);
      expect(record.parameters).toBe(storedElements);
      expect(tied).toBe(!checkpoint.values.has('lm_head.weight'));

      expect(await transformersJsGreedy(folders.standard!)).toEqual(
        referenceGreedy(referenceDecoder(spec, checkpoint)),
      );
    });
  },
);
