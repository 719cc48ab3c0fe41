/**
 * Quantized embedding tables for `com.microsoft.GatherBlockQuantized` with uint8 data (bits 4 or 8,
 * gather_axis 0, quantize_axis = the last axis). Its byte layout is exactly MatMulNBits' B for
 * K = cols, N = rows on an [N, K] input: each row cut into blocks along the hidden axis, 4-bit low
 * nibble first, scales [rows, kBlocks], zero points packed across blocks, default zero point
 * 2^(bits-1). That is why onnxruntime-genai feeds the lm_head's MatMulNBits weight to the embedding's
 * GatherBlockQuantized (tied embeddings), and why this is a thin wrapper over the same packer.
 */
import { quantizeMatMulNBits, zeroPointBytesPerRow } from './blockwise-nbits';
import type { NBits, NBitsBlockSize, QuantizedNBits } from './blockwise-nbits';

export interface GatherBlockOptions {
  bits: NBits;
  blockSize: NBitsBlockSize;
  /** true: no zero-point tensor (the op's default 2^(bits-1) applies); false: packed uint8 zero points */
  symmetric: boolean;
}

export interface QuantizedGatherBlock extends QuantizedNBits {
  /** GatherBlockQuantized `data` dims for `packed`: [rows, kBlocks * blobSize] bytes */
  dataDims: [number, number];
  /** `scales` dims, same rank as data as the op requires: [rows, kBlocks] */
  scalesDims: [number, number];
  /** `zeroPoints` dims when present: [rows, ceil(kBlocks * bits / 8)] bytes */
  zeroPointsDims: [number, number];
  /**
   * Values per gathered row: cols rounded up to a whole block (the op unpacks every stored byte), so
   * when cols is not a multiple of blockSize the caller slices each gathered row back to cols.
   */
  gatheredCols: number;
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
    dataDims: [rows, quantized.kBlocks * quantized.blobSize],
    scalesDims: [rows, quantized.kBlocks],
    zeroPointsDims: [rows, zeroPointBytesPerRow(quantized.kBlocks, bits)],
    gatheredCols: quantized.kBlocks * blockSize,
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
