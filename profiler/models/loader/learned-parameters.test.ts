import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attr, DataType, node, tensor } from '../../onnx';
import { catalogEntries, resolveModel } from '../../../common/catalog';
import { buildSyntheticModel } from '../synthetic/synthetic-builder';
import { graphRecorder } from './graph-recording-writer';
import { initializerUses } from './initializer-uses';
import { learnedParameterCount } from './learned-parameters';
import {
  decoderGraph,
  fixtureContext,
  HIDDEN,
  inlineFloats,
  ms,
  VOCAB,
  weight,
} from './test/weight-graph-fixtures';

const root = await mkdtemp(path.join(os.tmpdir(), 'ew-learned-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('learned parameters of every catalog model at full size', () => {
  const cases = catalogEntries.flatMap((entry) =>
    (['fused', 'standard'] as const).map((style) => [entry.id, style, entry.publishedParameters] as const),
  );
  const tiedOf = (id: string): boolean => resolveModel(id, {}).spec.tieWordEmbeddings;

  // the graph only: the recorder never pulls a weight's chunks, so no data is generated or written
  it.each(cases)('%s, %s style, counts exactly its published %i', async (id, style, published) => {
    const recorder = graphRecorder();
    await buildSyntheticModel({
      model: resolveModel(id, {}),
      style,
      seed: 0,
      outDir: path.join(root, `${id}-${style}`),
      createWriter: recorder.createWriter,
    });
    const graph = recorder.model().graph!;
    // as inspectModel passes it, from the config.json the build writes
    const count = learnedParameterCount(initializerUses(graph), fixtureContext(tiedOf(id)));
    expect(count).toBe(published);
    // the rotary caches alone put the stored elements above it
    const stored = graph.initializer.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
    expect(stored).toBeGreaterThan(published);
  });
});

describe('learned parameters of hand-made export shapes', () => {
  const count = (graph: ReturnType<typeof decoderGraph>, tied: boolean | null = null): number =>
    learnedParameterCount(initializerUses(graph), fixtureContext(tied));
  const table = VOCAB * HIDDEN;

  it('counts an Optimum-style transposed head copy once only when config.json says tied', () => {
    const graph = decoderGraph(
      [node('MatMul', ['hidden', 'lm_head_t'], ['logits'])],
      [weight('embed', [VOCAB, HIDDEN]), weight('lm_head_t', [HIDDEN, VOCAB])],
    );
    expect(count(graph, true)).toBe(table);
    expect(count(graph, false)).toBe(2 * table);
    expect(count(graph, null)).toBe(2 * table);
  });

  it('counts a table read in place by the head (through a Transpose) once', () => {
    const graph = decoderGraph(
      [node('Transpose', ['embed'], ['embed_t']), node('MatMul', ['hidden', 'embed_t'], ['logits'])],
      [weight('embed', [VOCAB, HIDDEN])],
    );
    expect(count(graph, false)).toBe(table);
  });

  it("counts int8-dyn's int8 head copy and the fp32 table its Gather keeps once; scales are not learned", () => {
    const head = (name: string) =>
      decoderGraph(
        [ms('DynamicQuantizeMatMul', ['hidden', `${name}_int8`, `${name}_scale`], ['logits'])],
        [
          weight('embed', [VOCAB, HIDDEN]),
          weight(`${name}_int8`, [HIDDEN, VOCAB], DataType.INT8),
          weight(`${name}_scale`, [VOCAB]),
        ],
      );
    expect(count(head('embed'))).toBe(table); // no config.json: the quantizer's name links them
    expect(count(head('lm_head'))).toBe(2 * table); // an untied model's own head
  });

  it('counts MatMulNBits B as K × N and a GatherBlockQuantized table shared with it once', () => {
    const kBlocks = 1; // K = 8 in one block of 32, zero padded
    const graph = decoderGraph(
      [
        ms('GatherBlockQuantized', ['q', 'input_ids', 'scales_3d'], ['rows'], {
          bits: attr.int(4),
          block_size: attr.int(32),
          quantize_axis: attr.int(2),
        }),
        node('Unsqueeze', ['scales', 'axis_2'], ['scales_3d']),
        ms('MatMulNBits', ['rows', 'q', 'scales', 'zero_points'], ['logits'], {
          K: attr.int(HIDDEN),
          N: attr.int(VOCAB),
          bits: attr.int(4),
          block_size: attr.int(32),
        }),
      ],
      [
        weight('q', [VOCAB, kBlocks, 16], DataType.UINT8),
        weight('scales', [VOCAB, kBlocks]),
        weight('zero_points', [VOCAB, 1], DataType.UINT8),
        tensor('axis_2', DataType.INT64, [1], BigInt64Array.from([2n])),
      ],
      'q',
    );
    expect(count(graph)).toBe(table);
  });

  it('counts QDQ and MatMulInteger weights by their elements, not their scales or zero points', () => {
    const graph = decoderGraph(
      [
        node('DequantizeLinear', ['w_q', 'w_scale', 'w_zero'], ['w']),
        node('MatMul', ['hidden', 'w'], ['h2']),
        node('MatMulInteger', ['h2', 'v_q', 'a_zero', 'v_zero'], ['h3']),
        node('Gemm', ['h3', 'embed'], ['logits'], { transB: attr.int(1) }),
      ],
      [
        weight('embed', [VOCAB, HIDDEN]),
        weight('w_q', [HIDDEN, HIDDEN], DataType.INT4),
        weight('w_scale', [HIDDEN]),
        weight('w_zero', [HIDDEN], DataType.INT4),
        weight('v_q', [HIDDEN, HIDDEN], DataType.INT8),
        weight('a_zero', [], DataType.UINT8),
        weight('v_zero', [HIDDEN], DataType.INT8),
      ],
    );
    expect(count(graph)).toBe(table + 2 * HIDDEN * HIDDEN);
  });

  it('leaves out rotary caches, shape constants, scalars and all-ones norm scales, and keeps learned positions', () => {
    const context = 16;
    const graph = decoderGraph(
      [
        node('Gather', ['cos', 'position_ids'], ['cos_rows'], { axis: attr.int(0) }),
        node('Gather', ['positions', 'position_ids'], ['position_rows'], { axis: attr.int(0) }),
        node('Add', ['hidden', 'position_rows'], ['h1']),
        node('Add', ['h1', 'eps'], ['h2']),
        node('Reshape', ['h2', 'shape'], ['h3']),
        node('SimplifiedLayerNormalization', ['h3', 'ones'], ['h4']),
        node('SimplifiedLayerNormalization', ['h4', 'near_ones'], ['h5']),
        ms('GroupQueryAttention', ['h5', '', '', 'pk', 'pv', 'lens', 'total', 'cos2', 'sin2'], ['h6']),
        node('Gemm', ['h6', 'embed'], ['logits'], { transB: attr.int(1) }),
      ],
      [
        weight('embed', [VOCAB, HIDDEN]),
        weight('cos', [context, 4]),
        weight('cos2', [context, 4]),
        weight('sin2', [context, 4]),
        weight('positions', [context, HIDDEN]), // GPT-2's wpe: learned, as wide as the embedding
        inlineFloats('eps', [1e-6]),
        tensor('shape', DataType.INT64, [2], BigInt64Array.from([-1n, 8n])),
        inlineFloats('ones', [1, 1, 1, 1]), // a weight-free norm's placeholder
        inlineFloats('near_ones', [1, 1, 1.01, 1]),
      ],
    );
    expect(count(graph)).toBe(table + context * HIDDEN + 4);
  });
});
