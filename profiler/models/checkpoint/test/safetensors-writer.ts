import { writeFile } from 'node:fs/promises';
import { float32ToFloat16Bits } from '../../../onnx';
import type { FloatDtype } from '../safetensors-file';

/**
 * Writes a safetensors file from fp32 values, stored as F32, F16 or BF16 (BF16 rounds to nearest even):
 * how tests make checkpoints in a family's real tensor layout, and how a hub stand-in serves them.
 */
export interface TensorToWrite {
  name: string;
  /** PyTorch order */
  shape: readonly number[];
  values: Float32Array;
  dtype: FloatDtype;
}

export function float32ToBfloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i += 1) {
    const x = bits[i]!;
    out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16; // round to nearest, ties to even
  }
  return out;
}

function tensorBytes(tensor: TensorToWrite): Uint8Array {
  const copy = Float32Array.from(tensor.values);
  const data =
    tensor.dtype === 'F32'
      ? copy
      : tensor.dtype === 'F16'
        ? float32ToFloat16Bits(copy)
        : float32ToBfloat16Bits(copy);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function safetensorsBytes(
  tensors: readonly TensorToWrite[],
  metadata: Record<string, string> = {},
): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const bytes = tensorBytes(tensor);
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + bytes.length],
    };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // data 8-byte aligned, as the reference writer pads
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([prefix, Buffer.from(json), ...parts]);
}

export async function writeSafetensors(
  file: string,
  tensors: readonly TensorToWrite[],
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFile(file, safetensorsBytes(tensors, metadata));
}
