/**
 * IEEE 754 binary16 conversion on raw bits, for fp16 initializers and scales: onnxruntime-node takes
 * float16 tensors as Uint16Array bits, and Node 20 has no Float16Array.
 */

const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);

/** binary32 → binary16 bits with round-to-nearest-even, the rounding numpy's astype(float16) uses. */
export function float32ToFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const bitsIn = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32BitsToFloat16Bits(bitsIn[i] as number);
  return out;
}

/** One binary32 value (as a number) → binary16 bits. */
export function float32ToFloat16Bit(value: number): number {
  float32[0] = value;
  return float32BitsToFloat16Bits(float32Bits[0] as number);
}

function float32BitsToFloat16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff; // biased by 127
  const mantissa = x & 0x7fffff; // 23 bits
  if (exponent === 0xff) {
    // Infinity stays Infinity; NaN keeps its top payload bits and is made quiet so it stays a NaN
    return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  }
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // ≥ 2^16: past 65504 even before rounding
  if (halfExponent <= 0) {
    // binary16 subnormal (or zero): value / 2^-24, rounded to an integer count of 2^-24
    if (halfExponent < -10) return sign; // below 2^-25, half the smallest subnormal: rounds to ±0
    const significand = mantissa | 0x800000; // implicit leading 1
    const shift = 14 - halfExponent; // 14..24
    return sign | roundShiftEven(significand, shift); // a carry to 0x400 is the smallest normal, correctly
  }
  // normal: drop 13 mantissa bits; a carry out of the mantissa bumps the exponent, and out of the
  // largest exponent gives 0x7c00 = Infinity (65520 and up), both correct by construction
  return sign | roundShiftEven((halfExponent << 23) | mantissa, 13);
}

/** value >> shift, rounded to nearest with ties to even. */
function roundShiftEven(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** binary16 bits → binary32; exact, since every binary16 value is a binary32 value. */
export function float16BitsToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) outBits[i] = float16BitsToFloat32Bits(bits[i] as number);
  return out;
}

function float16BitsToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0; // Infinity, NaN
  if (exponent !== 0) return (sign | ((exponent - 15 + 127) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0; // ±0
  // subnormal: normalize, moving the leading 1 into the implicit bit
  let shift = 0;
  let m = mantissa;
  while ((m & 0x400) === 0) {
    m <<= 1;
    shift++;
  }
  return (sign | ((1 - 15 + 127 - shift) << 23) | ((m & 0x3ff) << 13)) >>> 0;
}
