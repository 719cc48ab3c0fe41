import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parameterCount, resolveModel } from '../common/catalog';
import { inspectModel } from '../profiler/models/loader';
import { buildSyntheticModel } from '../profiler/models/synthetic/synthetic-builder';
import { createModelWriter, DataType, readModel, valueInfo, type NodeProto } from '../profiler/onnx';
import { DecoderRunner } from '../profiler/runtime/decoder-runner';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from './pack';
import { resolvePreset } from './presets';
import { quantizeVariant, type QuantizedVariant } from './quantize-variant';

/**
 * Tables a decoder gathers rows from, once quantized: the token embedding becomes GatherBlockQuantized
 * and must still give rows exactly hidden_size wide (MobileLLM-R1's 576 is 4.5 blocks of 128), while
 * the rotary cos/sin tables of the standard style, gathered by position ids, must stay float.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-gathered-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VOCAB = 256;
const CONTEXT = 64; // tokens
const HIDDEN = 576;
const small = (tied: boolean) =>
  resolveModel('mobilellm-r1-140m', {
    num_hidden_layers: 2,
    hidden_size: HIDDEN,
    intermediate_size: 96,
    vocab_size: VOCAB,
    max_context_tokens: CONTEXT,
    tie_word_embeddings: tied,
  });
const sourceDir = (tied: boolean): string => path.join(dir, tied ? 'tied' : 'untied');
const PROMPT = [5, 17, 200, 3, 99, 42, 7, 128];
const EMBEDDING = 'model.embed_tokens.weight';
const ROTARY = ['cos_cache', 'sin_cache'];

beforeAll(async () => {
  for (const tied of [true, false]) {
    await buildSyntheticModel({ model: small(tied), style: 'standard', seed: 6, outDir: sourceDir(tied) });
  }
});

async function quantize(tied: boolean, preset: string): Promise<QuantizedVariant> {
  return quantizeVariant(sourceDir(tied), {
    preset,
    options: resolvePreset(preset),
    dataDir: dir,
    outDir: path.join(dir, `${tied ? 'tied' : 'untied'}-${preset}`),
  });
}

/** Prefill, a few greedy decode steps, then every position's logits of the prompt, [P, vocab]. */
async function runDecoder(modelDir: string): Promise<{ generated: number[]; logits: Float32Array }> {
  const inspection = await inspectModel(modelDir);
  const session = await ort.InferenceSession.create(inspection.modelFile, { logSeverityLevel: 3 });
  try {
    const options = { signature: inspection.signature, vocabSize: VOCAB, contextTokens: CONTEXT };
    const runner = new DecoderRunner(session, options);
    const generated = [(await runner.prefill(PROMPT)).tokenId];
    for (let step = 0; step < 4; step += 1) generated.push((await runner.decode(generated.at(-1)!)).tokenId);
    const logits = await new DecoderRunner(session, options).everyPositionLogits(PROMPT);
    return { generated, logits: logits.data };
  } finally {
    await session.release();
  }
}

/**
 * The value `output` of a model, computed by the part of its graph that `output` depends on, written
 * as a model of its own: how the variant's embedding rows are read without the rest of the decoder.
 */
async function runSubgraph(modelFile: string, output: string, ids: readonly number[]): Promise<ort.Tensor> {
  const model = await readModel(modelFile);
  const producers = new Map(model.graph.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const needed = new Set<NodeProto>();
  const visit = (value: string): void => {
    const producer = producers.get(value);
    if (!producer || needed.has(producer)) return;
    needed.add(producer);
    producer.input.forEach(visit);
  };
  visit(output);
  const nodes = model.graph.node.filter((n) => needed.has(n));
  const outDir = mkdtempSync(path.join(dir, 'subgraph-'));
  const writer = createModelWriter({ dir: outDir });
  const read = new Set(nodes.flatMap((n) => n.input));
  for (const tensor of model.graph.initializer.filter((t) => read.has(t.name ?? ''))) {
    await writer.addInitializer(
      tensor.name ?? '',
      tensor.data_type ?? 0,
      tensor.dims,
      await model.tensorBytes(tensor),
    );
  }
  const written = await writer.finish({
    nodes,
    inputs: [valueInfo('input_ids', DataType.INT64, [1, ids.length])],
    outputs: [valueInfo(output, DataType.FLOAT)],
    opsetImports: model.model.opset_import,
  });
  const session = await ort.InferenceSession.create(written.modelPath, { logSeverityLevel: 3 });
  try {
    const feeds = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) };
    return (await session.run(feeds))[output]!;
  } finally {
    await session.release();
  }
}

/** Rows `ids` of a [rows, cols] row-major table, concatenated. */
function rowsOf(table: Float32Array, cols: number, ids: readonly number[]): Float32Array {
  const out = new Float32Array(ids.length * cols);
  ids.forEach((id, i) => out.set(table.subarray(id * cols, (id + 1) * cols), i * cols));
  return out;
}

const rms = (values: Float32Array): number =>
  Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);

const maxAbsDifference = (a: Float32Array, b: Float32Array): number =>
  a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i]!)), 0);

describe('rotary tables of the standard style (cos_cache / sin_cache, gathered by position_ids)', () => {
  const presets = ['int4', 'int8', 'q4f16', 'int4-b128-asym', 'int8-dyn'];
  it.each(presets.flatMap((preset) => [true, false].map((tied) => [preset, tied] as const)))(
    '%s (tied %s) keeps them float, read by a plain Gather, records why, and the variant runs',
    async (preset, tied) => {
      const variant = await quantize(tied, preset);
      const model = await readModel(variant.modelFile);
      const floatType = resolvePreset(preset).activations === 'float16' ? DataType.FLOAT16 : DataType.FLOAT;
      for (const name of ROTARY) {
        expect(model.initializers.get(name)?.data_type).toBe(floatType);
        expect(model.initializers.get(name)?.dims).toEqual([CONTEXT, small(tied).spec.headDim / 2]);
        const readers = model.graph.node.filter((n) => n.input.includes(name));
        expect(readers.map((n) => n.op_type)).toEqual(['Gather']);
        const decisions = variant.record.decisions.filter((d) => d.tensor === name);
        expect(decisions).toContainEqual({
          tensor: name,
          action: 'skipped',
          detail: 'a rotary / position table gathered by position ids: kept float',
        });
        expect(decisions.some((d) => d.action === 'quantized')).toBe(false);
      }
      // the token embedding is still gathered quantized where the preset quantizes it
      const ops = model.graph.node.map((n) => n.op_type);
      expect(ops.includes('GatherBlockQuantized')).toBe(resolvePreset(preset).weights === 'nbits');
      const { generated } = await runDecoder(variant.dir);
      expect(generated).toHaveLength(5);
    },
  );

  it('fp16 casts them to float16 like every float tensor, a cast and not a quantization', async () => {
    const variant = await quantize(true, 'fp16');
    const model = await readModel(variant.modelFile);
    for (const name of ROTARY) {
      expect(model.initializers.get(name)?.data_type).toBe(DataType.FLOAT16);
      expect(variant.record.decisions.filter((d) => d.tensor === name)).toEqual([
        { tensor: name, action: 'converted', detail: 'float16' },
      ]);
    }
  });
});

describe('int4-b128-asym on a 576-wide hidden size (4.5 blocks of 128)', () => {
  it.each([true, false])(
    'tied %s: the embedding rows come back 576 wide, equal to the dequantized table rows; the variant runs',
    async (tied) => {
      const variant = await quantize(tied, 'int4-b128-asym');
      const options = resolvePreset('int4-b128-asym');
      const source = await readModel((await inspectModel(sourceDir(tied))).modelFile);
      const gather = source.graph.node.find((n) => n.op_type === 'Gather' && n.input[0] === EMBEDDING)!;
      const table = new Float32Array((await source.tensorBytes(EMBEDDING)).slice().buffer);

      const model = await readModel(variant.modelFile);
      const tableReaders = model.graph.node.filter((n) => n.input.includes(`${EMBEDDING}_Q4`));
      // tied: one table, read by the head's MatMulNBits and the embedding's GatherBlockQuantized
      expect(tableReaders.map((n) => n.op_type).sort()).toEqual(
        tied ? ['GatherBlockQuantized', 'MatMulNBits'] : ['GatherBlockQuantized'],
      );
      // padding elements are storage, not weights: the same learned parameters as the fp32 source
      expect((await inspectModel(variant.dir)).parameters.learned).toBe(parameterCount(small(tied).spec));

      // the reference: the same table quantized by the packer, dequantized, then gathered
      const layout = { bits: options.bits, blockSize: options.blockSize, transposed: true };
      const quantized = quantizeMatMulNBits(table, HIDDEN, VOCAB, {
        ...layout,
        symmetric: options.symmetric,
      });
      const dequantized = dequantizeMatMulNBits(quantized, HIDDEN, VOCAB, layout);
      const ids = [...PROMPT, VOCAB - 1, 0];
      const rows = await runSubgraph(variant.modelFile, gather.output[0]!, ids);
      expect(rows.dims).toEqual([1, ids.length, HIDDEN]);
      const actual = rows.data as Float32Array;
      expect(maxAbsDifference(actual, rowsOf(dequantized, HIDDEN, ids))).toBe(0);
      // within the quantization error of the float rows: half a step of the coarsest block
      const halfStep = Math.max(...quantized.scales.map(Math.abs)) / 2;
      expect(maxAbsDifference(actual, rowsOf(table, HIDDEN, ids))).toBeLessThanOrEqual(halfStep * 1.0001);

      const quantizedRun = await runDecoder(variant.dir);
      const reference = await runDecoder(sourceDir(tied));
      expect(quantizedRun.generated).toHaveLength(5);
      expect(quantizedRun.logits.every(Number.isFinite)).toBe(true);
      // 4-bit weights of a tiny random network: greedy tokens may differ, the logits stay near fp32's
      // (about 0.17 relative RMS here; fp32 on other tokens than the prompt differs by about 1.4)
      const error = quantizedRun.logits.map((v, i) => v - reference.logits[i]!);
      expect(rms(error) / rms(reference.logits)).toBeLessThan(0.3);
    },
  );
});
