/**
 * Quantized embedding tables for `com.microsoft.GatherBlockQuantized` with uint8 data (bits 4 or 8,
 * gather_axis 0, quantize_axis = the last axis). Its byte layout is MatMulNBits' B for K = cols,
 * N = rows on an [N, K] input, less B's zero padding of K to whole blocks: each row cut into blocks
 * along the hidden axis, 4-bit low nibble first, scales [rows, kBlocks], zero points packed across
 * blocks, default zero point 2^(bits-1). That is why onnxruntime-genai feeds the lm_head's MatMulNBits
 * weight to the embedding's GatherBlockQuantized (tied embeddings), and why this is a thin wrapper over
 * the same packer.
 */
import { quantizeMatMulNBits, zeroPointBytesPerRow } from './blockwise-nbits';
import type { NBits, NBitsBlockSize, QuantizedNBits } from './blockwise-nbits';

export interface GatherBlockOptions {
  bits: NBits;
  blockSize: NBitsBlockSize;
  /** true: no zero-point tensor (the op's default 2^(bits-1) applies); false: packed uint8 zero points */
  symmetric: boolean;
}

/** GatherBlockQuantized `data` for a table: each row's values back to back, no block padding. */
export interface GatherBlockRows {
  /** [rows, ceil(cols * bits / 8)] bytes */
  packed: Uint8Array;
  dataDims: [number, number];
  /**
   * Values per gathered row: the op unpacks every stored byte, so cols, or cols + 1 for 4-bit with an
   * odd cols (half a byte of padding): the caller slices each gathered row back to cols then.
   */
  gatheredCols: number;
}

export interface QuantizedGatherBlock extends QuantizedNBits, GatherBlockRows {
  /** `scales` dims, same rank as data as the op requires: [rows, kBlocks] */
  scalesDims: [number, number];
  /** `zeroPoints` dims when present: [rows, ceil(kBlocks * bits / 8)] bytes */
  zeroPointsDims: [number, number];
}

/**
 * MatMulNBits' B [rows, kBlocks, blobSize] of an [N = rows, K = cols] table → GatherBlockQuantized data
 * [rows, ceil(cols·bits/8)]: each row keeps the bytes of its first `cols` values. The op reads a short
 * last block as such (the scales keep kBlocks per row), so gathered rows come back `cols` wide and the
 * padding of K to whole blocks is neither stored nor read as weights. Scales and zero points are B's.
 */
export function withoutBlockPadding(
  quantized: Pick<QuantizedNBits, 'packed' | 'kBlocks' | 'blobSize'>,
  rows: number,
  cols: number,
  bits: NBits,
): GatherBlockRows {
  const paddedRowBytes = quantized.kBlocks * quantized.blobSize;
  const rowBytes = Math.ceil((cols * bits) / 8);
  const packed = new Uint8Array(rows * rowBytes);
  for (let row = 0; row < rows; row++) {
    const start = row * paddedRowBytes;
    packed.set(quantized.packed.subarray(start, start + rowBytes), row * rowBytes);
  }
  return { packed, dataDims: [rows, rowBytes], gatheredCols: (rowBytes * 8) / bits };
}

/**
 * MatMulNBits' packed zero points [rows, ceil(kBlocks·bits/8)] → one byte per [row, block]. Gathering
 * from B itself ([rows, kBlocks, blob], quantize_axis 2) needs zero points shaped like its scales
 * [rows, kBlocks, 1], whose packed axis is too short to hold two 4-bit values.
 */
export function unpackZeroPoints(packed: Uint8Array, rows: number, kBlocks: number, bits: NBits): Uint8Array {
  if (bits === 8) return packed;
  const perRow = zeroPointBytesPerRow(kBlocks, bits);
  const out = new Uint8Array(rows * kBlocks);
  for (let row = 0; row < rows; row++) {
    for (let block = 0; block < kBlocks; block++) {
      out[row * kBlocks + block] =
        ((packed[row * perRow + (block >> 1)] as number) >> ((block & 1) * 4)) & 0x0f;
    }
  }
  return out;
}

/** Quantizes `table` ([rows, cols] row-major, e.g. [vocab, hidden]) along cols for GatherBlockQuantized. */
export function quantizeGatherBlockQuantized(
  table: Float32Array,
  rows: number,
  cols: number,
  { bits, blockSize, symmetric }: GatherBlockOptions,
): QuantizedGatherBlock {
  const quantized = quantizeMatMulNBits(table, cols, rows, { bits, blockSize, symmetric, transposed: true });
  return {
    ...quantized,
    ...withoutBlockPadding(quantized, rows, cols, bits),
    scalesDims: [rows, quantized.kBlocks],
    zeroPointsDims: [rows, zeroPointBytesPerRow(quantized.kBlocks, bits)],
  };
}

/** The 4-bit case (two values per byte), the usual quantized embedding. */
export function quantizeGatherBlock4(
  table: Float32Array,
  rows: number,
  cols: number,
  blockSize: NBitsBlockSize,
  symmetric: boolean,
): QuantizedGatherBlock {
  return quantizeGatherBlockQuantized(table, rows, cols, { bits: 4, blockSize, symmetric });
}
