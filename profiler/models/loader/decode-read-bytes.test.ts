import { describe, expect, it } from 'vitest';
import { attr, DataType, node, tensor } from '../../onnx';
import { decodeReadBytes } from './decode-read-bytes';
import { initializerUses } from './initializer-uses';
import { decoderGraph, HIDDEN, inlineFloats, ms, VOCAB, weight } from './test/weight-graph-fixtures';

const readBytes = (graph: ReturnType<typeof decoderGraph>): number => decodeReadBytes(initializerUses(graph));
const FLOAT_BYTES = 4;

describe('weight bytes one decode step reads', () => {
  it('reads one row of an untied embedding and all of the head', () => {
    const graph = decoderGraph(
      [node('MatMul', ['hidden', 'lm_head_t'], ['logits'])],
      [weight('embed', [VOCAB, HIDDEN]), weight('lm_head_t', [HIDDEN, VOCAB])],
    );
    expect(readBytes(graph)).toBe(HIDDEN * FLOAT_BYTES + HIDDEN * VOCAB * FLOAT_BYTES);
  });

  it('reads a tied table once, in full: the head reads it all', () => {
    const graph = decoderGraph(
      [node('Gemm', ['hidden', 'embed'], ['logits'], { transB: attr.int(1) })],
      [weight('embed', [VOCAB, HIDDEN])],
    );
    expect(readBytes(graph)).toBe(VOCAB * HIDDEN * FLOAT_BYTES);
  });

  it('reads one row of rotary caches, whether gathered or fed to GroupQueryAttention', () => {
    const positions = 32;
    const graph = decoderGraph(
      [
        node('Gather', ['cos', 'position_ids'], ['cos_rows'], { axis: attr.int(0) }),
        node('Mul', ['hidden', 'cos_rows'], ['h1']),
        // every layer's attention reads the same caches: still one row each per token
        ms('GroupQueryAttention', ['h1', '', '', 'pk0', 'pv0', 'lens', 'total', 'cos2', 'sin2'], ['h2']),
        ms('GroupQueryAttention', ['h2', '', '', 'pk1', 'pv1', 'lens', 'total', 'cos2', 'sin2'], ['h3']),
        node('Gemm', ['h3', 'embed'], ['logits'], { transB: attr.int(1) }),
      ],
      [
        weight('embed', [VOCAB, HIDDEN]),
        weight('cos', [positions, 4]),
        weight('cos2', [positions, 4], DataType.FLOAT16),
        weight('sin2', [positions, 4], DataType.FLOAT16),
      ],
    );
    expect(readBytes(graph)).toBe(VOCAB * HIDDEN * FLOAT_BYTES + 4 * FLOAT_BYTES + 2 * (4 * 2));
  });

  it('reads one row of a GatherBlockQuantized table with its scales and zero points', () => {
    const kBlocks = 2;
    const blobBytes = 16; // 32 values at 4 bits
    const graph = decoderGraph(
      [
        node('Unsqueeze', ['scales', 'axis_2'], ['scales_3d']),
        ms('GatherBlockQuantized', ['q', 'input_ids', 'scales_3d', 'gather_zero_points'], ['rows'], {
          bits: attr.int(4),
          block_size: attr.int(32),
          quantize_axis: attr.int(2),
        }),
        node('MatMul', ['rows', 'lm_head'], ['logits']),
      ],
      [
        weight('q', [VOCAB, kBlocks, blobBytes], DataType.UINT8),
        weight('scales', [VOCAB, kBlocks]),
        weight('gather_zero_points', [VOCAB, kBlocks, 1], DataType.UINT8),
        tensor('axis_2', DataType.INT64, [1], BigInt64Array.from([2n])),
        weight('lm_head', [HIDDEN, VOCAB]),
      ],
      'q',
    );
    const row = kBlocks * blobBytes + kBlocks * FLOAT_BYTES + kBlocks;
    expect(readBytes(graph)).toBe(row + HIDDEN * VOCAB * FLOAT_BYTES);
  });

  it('counts norm scales in full, and nothing for shape constants, scalars or unread initializers', () => {
    const graph = decoderGraph(
      [
        node('Add', ['hidden', 'eps'], ['h1']),
        node('Reshape', ['h1', 'shape'], ['h2']),
        node('SimplifiedLayerNormalization', ['h2', 'norm'], ['h3']),
        node('Gemm', ['h3', 'embed'], ['logits'], { transB: attr.int(1) }),
      ],
      [
        weight('embed', [VOCAB, HIDDEN]),
        inlineFloats('eps', [1e-6]),
        tensor('shape', DataType.INT64, [2], BigInt64Array.from([-1n, BigInt(HIDDEN)])),
        weight('norm', [HIDDEN]),
        weight('unused', [1000, 1000]),
      ],
    );
    expect(readBytes(graph)).toBe(VOCAB * HIDDEN * FLOAT_BYTES + HIDDEN * FLOAT_BYTES);
  });
});
