import { float32ToFloat16Bits } from '../profiler/onnx';

/** Float tensor bytes as the quantizer reads and writes them. */

const FLOAT16_MAX = 65504;

/** Tensor bytes as float32 values; copies when the bytes are not 4-byte aligned. */
export function asFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(bytes.slice().buffer);
}

/** fp32 → fp16, clamping finite values to ±65504: a float32-min mask constant must stay finite, not −inf. */
export function toFloat16(values: Float32Array): Uint16Array {
  const clamped = values.map((v) =>
    Number.isFinite(v) ? Math.max(-FLOAT16_MAX, Math.min(FLOAT16_MAX, v)) : v,
  );
  return float32ToFloat16Bits(clamped);
}
