import { float32ToFloat16Bit } from '../../onnx';
import { GGML_TYPE_CODE, ggmlTensorBytes, type GgufWriteType } from './gguf-format';

/**
 * Encoding fp32 values into ggml's tensor types, as ggml's reference quantizers do
 * (ggml-quants.c, quantize_row_q8_0_ref / quantize_row_q4_0_ref), so a file written here holds the
 * bytes llama.cpp's own `llama-quantize` would write for the same values:
 * - Q8_0: blocks of 32 values in 34 bytes: fp16 d = max|x| / 127, then 32 int8 q = round(x / d).
 * - Q4_0: blocks of 32 values in 18 bytes: d = m / −8 where m is the value of largest magnitude (its
 *   sign kept), fp16 d, then 16 bytes, byte j holding value j in its low nibble and value j + 16 in its
 *   high nibble, each q = min(15, trunc(x / d + 8.5)); a value reads back as (q − 8) · d.
 * Blocks run along ne[0] (a row), so a row must hold whole blocks.
 */

const BLOCK = 32; // elements per Q8_0 / Q4_0 block

/** C's roundf: halves away from zero (Math.round sends −2.5 to −2). */
function roundAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** fp32 → fp32 single precision, as the C code computes in float. */
const f32 = Math.fround;

function encodeQ8_0(values: Float32Array, out: DataView, offset: number): void {
  for (let block = 0; block < values.length; block += BLOCK) {
    let amax = 0;
    for (let j = 0; j < BLOCK; j += 1) amax = Math.max(amax, Math.abs(values[block + j]!));
    const d = f32(amax / 127);
    const id = d !== 0 ? f32(1 / d) : 0;
    out.setUint16(offset, float32ToFloat16Bit(d), true);
    for (let j = 0; j < BLOCK; j += 1) {
      out.setInt8(offset + 2 + j, roundAwayFromZero(f32(values[block + j]! * id)));
    }
    offset += 34;
  }
}

function encodeQ4_0(values: Float32Array, out: DataView, offset: number): void {
  const half = BLOCK / 2;
  for (let block = 0; block < values.length; block += BLOCK) {
    let amax = 0;
    let max = 0;
    for (let j = 0; j < BLOCK; j += 1) {
      const v = values[block + j]!;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = f32(max / -8);
    const id = d !== 0 ? f32(1 / d) : 0;
    out.setUint16(offset, float32ToFloat16Bit(d), true);
    for (let j = 0; j < half; j += 1) {
      const x0 = f32(values[block + j]! * id);
      const x1 = f32(values[block + half + j]! * id);
      const q0 = Math.min(15, Math.trunc(f32(x0 + 8.5)));
      const q1 = Math.min(15, Math.trunc(f32(x1 + 8.5)));
      out.setUint8(offset + 2 + j, q0 | (q1 << 4));
    }
    offset += 18;
  }
}

/**
 * `values` (whole rows of `rowElements`) in `type`, as the bytes the data section holds. A new buffer
 * per call: callers stream a tensor chunk by chunk.
 */
export function encodeRows(type: GgufWriteType, values: Float32Array, rowElements: number): Uint8Array {
  if (values.length % rowElements !== 0) {
    throw new Error(`a chunk of ${values.length} values is not whole rows of ${rowElements}`);
  }
  const bytes = new Uint8Array(ggmlTensorBytes(GGML_TYPE_CODE[type], rowElements, values.length));
  const view = new DataView(bytes.buffer);
  switch (type) {
    case 'F32':
      bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      break;
    case 'F16':
      for (let i = 0; i < values.length; i += 1) view.setUint16(2 * i, float32ToFloat16Bit(values[i]!), true);
      break;
    case 'Q8_0':
      encodeQ8_0(values, view, 0);
      break;
    case 'Q4_0':
      encodeQ4_0(values, view, 0);
      break;
  }
  return bytes;
}
