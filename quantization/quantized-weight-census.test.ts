import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parameterCount, resolveModel, type ModelSpec } from '../common/catalog';
import { inspectModel } from '../profiler/models/loader';
import { buildSyntheticModel } from '../profiler/models/synthetic/synthetic-builder';
import { QuantPresetNameSchema, resolvePreset, type QuantOptions } from './presets';
import { quantizeVariant } from './quantize-variant';

/**
 * What `models inspect` says a quantized variant holds and reads, per preset, against numbers worked out
 * here from the spec's shapes and the preset's storage format, not from the counting code.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-weight-census-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * MobileLLM-R1-140M's attention (9 heads, 3 KV heads, head_dim 64: a 576-wide query) on a 256-wide
 * residual: o_proj's K = 576 does not fill whole 128-blocks (5 blocks, zero padded), the rest do.
 */
const SMALL = {
  num_hidden_layers: 2,
  hidden_size: 256,
  intermediate_size: 512,
  vocab_size: 512,
  max_context_tokens: 128,
};

type Style = 'fused' | 'standard';
const styles: Style[] = ['fused', 'standard'];
const ties = [true, false];
const sourceName = (style: Style, tied: boolean): string => `${style}-${tied ? 'tied' : 'untied'}`;
const specOf = (tied: boolean): ModelSpec =>
  resolveModel('mobilellm-r1-140m', { ...SMALL, tie_word_embeddings: tied }).spec;

beforeAll(async () => {
  for (const style of styles) {
    for (const tied of ties) {
      await buildSyntheticModel({
        model: resolveModel('mobilellm-r1-140m', { ...SMALL, tie_word_embeddings: tied }),
        style,
        seed: 5,
        outDir: path.join(dir, sourceName(style, tied)),
      });
    }
  }
});

/** [K, N] of every matmul weight in one block; the fused style packs q, k and v into one. */
function blockMatmuls(spec: ModelSpec, style: Style): [number, number][] {
  const { hiddenSize: h, intermediateSize: i, headDim: d } = spec;
  const q = spec.numAttentionHeads * d;
  const kv = spec.numKeyValueHeads * d;
  const qkv: [number, number][] =
    style === 'fused'
      ? [[h, q + 2 * kv]]
      : [
          [h, q],
          [h, kv],
          [h, kv],
        ];
  return [...qkv, [q, h], [h, i], [h, i], [i, h]];
}

/** The preset's storage: float bytes of weights / scales / norms, and the quantized layout. */
function storage(options: QuantOptions) {
  const floatBytes = options.activations === 'float16' || options.weights === 'float16' ? 2 : 4;
  const blocks = (k: number): number => Math.ceil(k / options.blockSize);
  const blobBytes = (options.blockSize * options.bits) / 8;
  /**
   * bytes of one quantized row of K values: packed values (K zero padded to whole blocks, except in an
   * untied embedding's table), one scale per block, packed zero points if asymmetric
   */
  const nbitsRow = (k: number, padded = true): number =>
    (padded ? blocks(k) * blobBytes : Math.ceil((k * options.bits) / 8)) +
    blocks(k) * floatBytes +
    (options.symmetric ? 0 : Math.ceil((blocks(k) * options.bits) / 8));
  /** a [K, N] matmul weight as the preset stores it, bytes */
  const matmul = ([k, n]: [number, number]): number => {
    switch (options.weights) {
      case 'float32':
      case 'float16':
        return k * n * floatBytes;
      case 'nbits':
        return n * nbitsRow(k);
      case 'dynamic-int8':
        return k * n + n * 4; // int8 weight, fp32 per-column scale
    }
  };
  return { floatBytes, matmul, nbitsRow };
}

/**
 * Weight bytes a decode step reads: every matmul weight with its scales, the norms, one row of each
 * table only gathered (the input embedding when untied or kept in float beside an int8 head, the
 * rotary caches, which stay float), a tied table in full once.
 */
function expectedReadBytes(spec: ModelSpec, style: Style, options: QuantOptions) {
  const { floatBytes, matmul, nbitsRow } = storage(options);
  const { hiddenSize: h, vocabSize: v, headDim: d, numHiddenLayers: layers } = spec;
  const blocks = blockMatmuls(spec, style).reduce((sum, kn) => sum + matmul(kn), 0) * layers;
  const head = matmul([h, v]);
  let embedding: number; // beyond what the head reads
  if (options.weights === 'nbits') {
    // tied, the head's MatMulNBits reads the table and its scales in full and the Gather alone reads
    // its own unpacked zero points (asymmetric): one byte per block of one row; untied, one row of
    // the table without block padding, its scales and packed zero points
    const blockCount = Math.ceil(h / options.blockSize);
    embedding = spec.tieWordEmbeddings ? (options.symmetric ? 0 : blockCount) : nbitsRow(h, false);
  } else if (options.weights === 'dynamic-int8') {
    embedding = h * 4; // the fp32 table kept for the Gather beside the int8 head, tied or not
  } else {
    embedding = spec.tieWordEmbeddings ? 0 : h * floatBytes;
  }
  const norms = (2 * layers + 1) * h * floatBytes;
  const onesHead = style === 'fused' && spec.qkNorm === 'weightless-after-rope' ? d * floatBytes : 0;
  const rotaryRow = (d / 2) * floatBytes;
  return blocks + head + embedding + norms + onesHead + 2 * rotaryRow;
}

const presets = QuantPresetNameSchema.options;
const cases = styles.flatMap((style) =>
  ties.flatMap((tied) => presets.map((preset) => [preset, style, tied ? 'tied' : 'untied'] as const)),
);

describe('learned parameters and decode-read bytes of quantized variants', () => {
  it.each(cases)('%s, %s style, %s', async (preset, style, tie) => {
    const tied = tie === 'tied';
    const spec = specOf(tied);
    const source = path.join(dir, sourceName(style, tied));
    const options = resolvePreset(preset);
    const variant =
      preset === 'fp32'
        ? null
        : await quantizeVariant(source, {
            preset,
            options,
            dataDir: dir,
            outDir: path.join(dir, `${sourceName(style, tied)}-${preset}`),
          });
    const inspection = await inspectModel(variant?.dir ?? source);
    // the same network, whatever its storage
    expect(inspection.parameters.learned).toBe(parameterCount(spec));
    expect(inspection.bytes.readPerDecodeToken).toBe(expectedReadBytes(spec, style, options));
  });
});
