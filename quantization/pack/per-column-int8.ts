/**
 * Symmetric per-column int8 weights for `com.microsoft.DynamicQuantizeMatMul` (B int8 [K, N],
 * b_scale float [N], zero point 0): the op ORT fuses `quantize_dynamic`'s MatMulInteger pattern into,
 * emitted directly.
 */
import { checkDimension, checkFinite, checkLength } from './pack-checks';
import { roundHalfAwayFromZero } from './rounding';

export interface PerColumnInt8Options {
  /** true: the input is [N, K] row-major (e.g. an embedding table used as lm_head); the output is still [K, N] */
  transposed?: boolean;
}

export interface QuantizedPerColumnInt8 {
  /** B, [K, N] row-major, in [-127, 127] (-128 unused, so the range is symmetric) */
  data: Int8Array;
  /** b_scale, [N]: each column's max |w| / 127 in float32; 0 for an all-zero column */
  scales: Float32Array;
}

const INT8_MAX = 127;

/**
 * q = clamp(roundHalfAwayFromZero(w / scale), -127, 127), with scale and quotient in float32 (a double
 * division then Math.fround is the correctly rounded float32 quotient), as numpy's float32 arithmetic
 * in ORT's Python quantizer. Rounding is half away from zero like MLAS's `roundf`; that quantizer uses
 * `np.round` (half to even), so a weight sitting exactly on a .5 may get the neighbouring code there.
 */
export function quantizePerColumnInt8(
  weight: Float32Array,
  K: number,
  N: number,
  { transposed = false }: PerColumnInt8Options = {},
): QuantizedPerColumnInt8 {
  checkDimension('K', K);
  checkDimension('N', N);
  checkLength('weight', weight.length, K * N, transposed ? `[N=${N}, K=${K}]` : `[K=${K}, N=${N}]`);
  checkFinite('weight', weight);

  // walk the input in memory order (rows of [K, N], or of [N, K] when transposed)
  const inputRows = transposed ? N : K;
  const inputCols = transposed ? K : N;

  const maxAbs = new Float32Array(N);
  for (let row = 0; row < inputRows; row++) {
    for (let col = 0; col < inputCols; col++) {
      const n = transposed ? row : col;
      const magnitude = Math.abs(weight[row * inputCols + col] as number);
      if (magnitude > (maxAbs[n] as number)) maxAbs[n] = magnitude;
    }
  }
  const scales = new Float32Array(N);
  for (let n = 0; n < N; n++) scales[n] = Math.fround((maxAbs[n] as number) / INT8_MAX);

  const data = new Int8Array(K * N);
  for (let row = 0; row < inputRows; row++) {
    for (let col = 0; col < inputCols; col++) {
      const n = transposed ? row : col;
      const scale = scales[n] as number;
      if (scale === 0) continue; // an all-zero column stays 0
      const q = roundHalfAwayFromZero(Math.fround((weight[row * inputCols + col] as number) / scale));
      data[transposed ? col * N + row : row * N + col] =
        q < -INT8_MAX ? -INT8_MAX : q > INT8_MAX ? INT8_MAX : q;
    }
  }
  return { data, scales };
}

/** w ≈ q * scale, back to [K, N] float32: the weight DynamicQuantizeMatMul effectively multiplies by. */
export function dequantizePerColumnInt8(
  quantized: QuantizedPerColumnInt8,
  K: number,
  N: number,
): Float32Array {
  checkDimension('K', K);
  checkDimension('N', N);
  checkLength('data', quantized.data.length, K * N, `[K=${K}, N=${N}]`);
  checkLength('scales', quantized.scales.length, N, `[N=${N}]`);
  const out = new Float32Array(K * N);
  for (let i = 0; i < out.length; i++) {
    out[i] = (quantized.data[i] as number) * (quantized.scales[i % N] as number);
  }
  return out;
}
