/**
 * Blockwise 4/8-bit weight quantization in the layout `com.microsoft.MatMulNBits` reads, with the math
 * of onnxruntime's own quantizer (MLAS `BlockwiseQuantizer::quantizeAndTranspose`, core/mlas/lib/
 * q4_dq.cpp), so a model we quantize carries the bytes ORT's Python `MatMulNBitsQuantizer` would write.
 *
 * Layout: B is the MatMul weight [K, N] transposed to [N][K], cut along K into blocks of `blockSize`
 * values (K zero-padded to a whole block), each block packed into `blobSize` bytes; 4-bit puts the
 * first value of a pair in the low nibble. Scales are [N, kBlocks]; zero points (asymmetric only) are
 * packed the same way across blocks: [N, ceil(kBlocks * bits / 8)].
 */
import { checkDimension, checkFinite, checkLength } from './pack-checks';
import { roundHalfAwayFromZero } from './rounding';

export type NBits = 4 | 8;
/** values per block along K; MatMulNBits takes any power of two ≥ 16, these are the ones we ship */
export type NBitsBlockSize = 16 | 32 | 64 | 128;

export interface NBitsLayout {
  bits: NBits;
  blockSize: NBitsBlockSize;
  /**
   * true: the input (or dequantized output) is [N, K] row-major, e.g. an embedding table
   * [vocab, hidden] that doubles as lm_head (Gemm transB), which is already B's row order.
   * Default false: the ONNX MatMul weight [K, N] row-major.
   */
  transposed?: boolean;
}

export interface NBitsOptions extends NBitsLayout {
  /**
   * true: signed per-block scales and the kernel's default zero point 2^(bits-1), so no zero-point
   * tensor (ORT's quantizer omits the input). false: min/max scales with a packed uint8 zero point.
   */
  symmetric: boolean;
}

export interface QuantizedNBits {
  /** B, [N, kBlocks, blobSize] bytes */
  packed: Uint8Array;
  /** [N, kBlocks]; negative for symmetric blocks whose largest-magnitude value is positive */
  scales: Float32Array;
  /** asymmetric only: [N, ceil(kBlocks * bits / 8)] bytes, packed like B (4-bit: low nibble first) */
  zeroPoints?: Uint8Array;
  /** ceil(K / blockSize) */
  kBlocks: number;
  /** bytes per block: blockSize * bits / 8 */
  blobSize: number;
}

const SUPPORTED_BITS: readonly number[] = [4, 8];
const SUPPORTED_BLOCK_SIZES: readonly number[] = [16, 32, 64, 128];

function checkLayout(K: number, N: number, { bits, blockSize }: NBitsLayout): void {
  checkDimension('K', K);
  checkDimension('N', N);
  if (!SUPPORTED_BITS.includes(bits)) throw new RangeError(`bits must be 4 or 8, got ${bits}`);
  if (!SUPPORTED_BLOCK_SIZES.includes(blockSize)) {
    throw new RangeError(`blockSize must be 16, 32, 64 or 128, got ${blockSize}`);
  }
}

/** Bytes per row of packed zero points: kBlocks values of `bits` each, rounded up to whole bytes. */
export function zeroPointBytesPerRow(kBlocks: number, bits: NBits): number {
  return Math.ceil((kBlocks * bits) / 8);
}

/**
 * Quantizes one block of `blockSize` values at `src[offset …]`, of which the first `count` are real
 * and the rest are K's zero padding. Writes the packed bytes at `packed[packedOffset …]` and the
 * scale at `scales[metaIndex]`; returns the zero point (2^(bits-1) when symmetric).
 *
 * Float32 throughout, as MLAS: each step is rounded with Math.fround, and q is computed as MLAS does,
 * `roundf(v * (1.0f / scale) + zp)` (a float32 reciprocal, then a float32 multiply and add), not
 * `v / scale`: the two differ in the last bit now and then, which can move a value sitting on a .5
 * to the other integer. This matches an x86-64 build; an ARM build may fuse the multiply-add (FMA)
 * and then differs from ORT's bytes at such ties only.
 */
function quantizeBlock(
  src: Float32Array,
  offset: number,
  count: number,
  blockSize: number,
  bits: NBits,
  symmetric: boolean,
  packed: Uint8Array,
  packedOffset: number,
  scales: Float32Array,
  metaIndex: number,
): number {
  const maxQ = (1 << bits) - 1;
  let min = count < blockSize ? 0 : Infinity; // padding zeros are part of the block (ORT pads first)
  let max = -min;
  for (let i = 0; i < count; i++) {
    const v = src[offset + i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }

  let scale: number;
  let zeroPoint: number;
  if (symmetric) {
    // MLAS range2scale: the larger-magnitude end keeps its sign (a tie picks min) and maps to q = 0
    const extreme = Math.abs(max) > Math.abs(min) ? max : min;
    const half = 1 << (bits - 1);
    scale = Math.fround(-extreme / half) || 0; // `|| 0`: an all-zero block gets +0, not -0
    zeroPoint = half;
  } else {
    // MLAS range2scalezp: the range always includes 0, so 0 is exactly representable
    min = Math.min(min, 0);
    max = Math.max(max, 0);
    scale = Math.fround(Math.fround(max - min) / maxQ);
    const zeroPointFloat = scale !== 0 ? Math.fround(0 - Math.fround(min / scale)) : min;
    zeroPoint = zeroPointFloat < 0 ? 0 : zeroPointFloat > maxQ ? maxQ : roundHalfAwayFromZero(zeroPointFloat);
  }
  scales[metaIndex] = scale;

  const reciprocal = scale !== 0 ? Math.fround(1 / scale) : 0;
  let lowNibble = 0;
  for (let i = 0; i < blockSize; i++) {
    let q = zeroPoint; // padding quantizes to exactly the zero point
    if (i < count) {
      const x = Math.fround(Math.fround((src[offset + i] as number) * reciprocal) + zeroPoint);
      q = roundHalfAwayFromZero(x);
      q = q < 0 ? 0 : q > maxQ ? maxQ : q;
    }
    if (bits === 8) packed[packedOffset + i] = q;
    else if ((i & 1) === 0) lowNibble = q;
    else packed[packedOffset + (i >> 1)] = lowNibble | (q << 4);
  }
  return zeroPoint;
}

/**
 * Quantizes a weight for MatMulNBits. `weight` is [K, N] row-major (the ONNX MatMul weight), or
 * [N, K] with `transposed: true`. A [6144, 1536] weight takes about 0.2 s on one core (Node 20): no
 * allocation per block or value, and the [K, N] path transposes one K-block stripe at a time into a
 * scratch buffer of blockSize × N floats, so reads stay sequential.
 */
export function quantizeMatMulNBits(
  weight: Float32Array,
  K: number,
  N: number,
  options: NBitsOptions,
): QuantizedNBits {
  checkLayout(K, N, options);
  const { bits, blockSize, symmetric, transposed = false } = options;
  checkLength('weight', weight.length, K * N, transposed ? `[N=${N}, K=${K}]` : `[K=${K}, N=${N}]`);
  checkFinite('weight', weight);

  const kBlocks = Math.ceil(K / blockSize);
  const blobSize = (blockSize * bits) / 8;
  const packed = new Uint8Array(N * kBlocks * blobSize);
  const scales = new Float32Array(N * kBlocks);
  const zpBytesPerRow = zeroPointBytesPerRow(kBlocks, bits);
  const zeroPoints = symmetric ? undefined : new Uint8Array(N * zpBytesPerRow);
  const stripe = transposed ? undefined : new Float32Array(N * blockSize); // [N, blockSize]

  for (let block = 0; block < kBlocks; block++) {
    const k0 = block * blockSize;
    const count = Math.min(blockSize, K - k0);
    if (stripe) {
      for (let r = 0; r < count; r++) {
        const rowOffset = (k0 + r) * N;
        for (let n = 0; n < N; n++) stripe[n * blockSize + r] = weight[rowOffset + n] as number;
      }
    }
    const source = stripe ?? weight;
    for (let n = 0; n < N; n++) {
      const metaIndex = n * kBlocks + block;
      const sourceOffset = stripe ? n * blockSize : n * K + k0;
      const zeroPoint = quantizeBlock(
        source,
        sourceOffset,
        count,
        blockSize,
        bits,
        symmetric,
        packed,
        metaIndex * blobSize,
        scales,
        metaIndex,
      );
      if (zeroPoints) {
        const zpIndex = n * zpBytesPerRow + (bits === 8 ? block : block >> 1);
        // an odd last block leaves the high nibble 0, as MLAS does
        if (bits === 8 || (block & 1) === 0) zeroPoints[zpIndex] = zeroPoint;
        else zeroPoints[zpIndex] = (zeroPoints[zpIndex] as number) | (zeroPoint << 4);
      }
    }
  }
  return { packed, scales, ...(zeroPoints ? { zeroPoints } : {}), kBlocks, blobSize };
}

/**
 * The float weight MatMulNBits computes with: (q - zp) * scale, in float32, back in the input's
 * layout ([K, N], or [N, K] with `transposed: true`) with K's padding dropped. For tests and as the
 * quality reference of a quantized model.
 */
export function dequantizeMatMulNBits(
  quantized: Pick<QuantizedNBits, 'packed' | 'scales' | 'zeroPoints'>,
  K: number,
  N: number,
  layout: NBitsLayout,
): Float32Array {
  checkLayout(K, N, layout);
  const { bits, blockSize, transposed = false } = layout;
  const kBlocks = Math.ceil(K / blockSize);
  const blobSize = (blockSize * bits) / 8;
  const zpBytesPerRow = zeroPointBytesPerRow(kBlocks, bits);
  const { packed, scales, zeroPoints } = quantized;
  checkLength('packed', packed.length, N * kBlocks * blobSize, `[N=${N}, ${kBlocks}, ${blobSize}]`);
  checkLength('scales', scales.length, N * kBlocks, `[N=${N}, ${kBlocks}]`);
  if (zeroPoints) {
    checkLength('zeroPoints', zeroPoints.length, N * zpBytesPerRow, `[N=${N}, ${zpBytesPerRow}]`);
  }

  const defaultZeroPoint = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  const out = new Float32Array(K * N);
  for (let n = 0; n < N; n++) {
    for (let block = 0; block < kBlocks; block++) {
      const metaIndex = n * kBlocks + block;
      const scale = scales[metaIndex] as number;
      let zeroPoint = defaultZeroPoint;
      if (zeroPoints) {
        const zpByte = zeroPoints[n * zpBytesPerRow + (bits === 8 ? block : block >> 1)] as number;
        zeroPoint = bits === 8 ? zpByte : (zpByte >> ((block & 1) * 4)) & mask;
      }
      const k0 = block * blockSize;
      const count = Math.min(blockSize, K - k0);
      const blobOffset = metaIndex * blobSize;
      for (let i = 0; i < count; i++) {
        const q =
          bits === 8
            ? (packed[blobOffset + i] as number)
            : ((packed[blobOffset + (i >> 1)] as number) >> ((i & 1) * 4)) & mask;
        const k = k0 + i;
        out[transposed ? n * K + k : k * N + n] = (q - zeroPoint) * scale;
      }
    }
  }
  return out;
}
