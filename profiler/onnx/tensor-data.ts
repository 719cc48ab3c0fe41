import { open } from 'node:fs/promises';
import { bitsPerElement, DataType, dataTypeName, tensorByteSize } from './data-type';
import {
  checkRange,
  externalDataPath,
  externalDataRef,
  missingDataFileError,
  type ExternalDataRef,
} from './external-data';
import { OnnxFileError } from './onnx-file-error';
import type { TensorProto } from './onnx-types';

/** Bytes of a tensor's data computed from dims × data type (int4/uint4 packed two per byte). */
export function initializerByteSize(tensor: TensorProto): number {
  return tensorByteSize(tensor.data_type ?? DataType.UNDEFINED, tensor.dims);
}

/**
 * One tensor's bytes in raw_data layout (little-endian, fixed width, 4-bit packed), read only when asked:
 * inline raw_data as is, an external range with one positioned read, or converted from the typed
 * fields (float_data, int32_data, int64_data, double_data, uint64_data).
 */
export async function tensorBytes(modelFile: string, tensor: TensorProto): Promise<Uint8Array> {
  const ref = externalDataRef(modelFile, tensor);
  const bytes = ref ? await readExternalRange(modelFile, tensor, ref) : inlineBytes(modelFile, tensor);
  const dataType = tensor.data_type ?? DataType.UNDEFINED;
  if (bitsPerElement(dataType) !== undefined) {
    const expectedBytes = tensorByteSize(dataType, tensor.dims);
    if (bytes.byteLength !== expectedBytes) {
      throw new OnnxFileError(
        `${modelFile}: tensor "${tensor.name ?? ''}" holds ${bytes.byteLength} bytes but its dims ` +
          `[${tensor.dims.join(', ')}] and type ${dataTypeName(dataType)} need ${expectedBytes}.`,
        modelFile,
        'bad-tensor',
      );
    }
  }
  return bytes;
}

async function readExternalRange(
  modelFile: string,
  tensor: TensorProto,
  ref: ExternalDataRef,
): Promise<Uint8Array> {
  const tensorName = tensor.name ?? '';
  const dataFile = externalDataPath(modelFile, ref.location);
  if (ref.lengthBytes === undefined) {
    throw new OnnxFileError(
      `${modelFile}: external tensor "${tensorName}" of type ${dataTypeName(tensor.data_type ?? 0)} has ` +
        'no length and no fixed element size, so its bytes cannot be located.',
      modelFile,
      'bad-tensor',
    );
  }
  let handle;
  try {
    handle = await open(dataFile, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw missingDataFileError(dataFile, modelFile, tensorName);
    }
    throw error;
  }
  try {
    const endByte = ref.offsetBytes + ref.lengthBytes;
    checkRange(dataFile, (await handle.stat()).size, tensorName, ref.offsetBytes, endByte);
    const bytes = new Uint8Array(ref.lengthBytes);
    let readBytes = 0;
    while (readBytes < bytes.byteLength) {
      const { bytesRead } = await handle.read(
        bytes,
        readBytes,
        bytes.byteLength - readBytes,
        ref.offsetBytes + readBytes,
      );
      // the file shrank after the size check
      if (bytesRead === 0)
        checkRange(dataFile, ref.offsetBytes + readBytes, tensorName, ref.offsetBytes, endByte);
      readBytes += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

function inlineBytes(modelFile: string, tensor: TensorProto): Uint8Array {
  // a plain Uint8Array view: decoded raw_data is a Node Buffer slice of the whole .onnx
  const raw = tensor.raw_data;
  if (raw) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const dataType = tensor.data_type ?? DataType.UNDEFINED;
  const bits = bitsPerElement(dataType);
  if (tensor.float_data?.length)
    return packNumbers(tensor.float_data, 4, (view, i, v) => view.setFloat32(i, v, true));
  if (tensor.double_data?.length) {
    return packNumbers(tensor.double_data, 8, (view, i, v) => view.setFloat64(i, v, true));
  }
  if (tensor.int64_data?.length) {
    return packNumbers(tensor.int64_data, 8, (view, i, v) => view.setBigInt64(i, toInt64(v), true));
  }
  if (tensor.uint64_data?.length) {
    return packNumbers(tensor.uint64_data, 8, (view, i, v) => view.setBigUint64(i, BigInt(v), true));
  }
  if (tensor.int32_data?.length && bits !== undefined) return int32DataBytes(tensor.int32_data, bits);
  if (bits !== undefined && tensorByteSize(dataType, tensor.dims) === 0) return new Uint8Array();
  throw new OnnxFileError(
    `${modelFile}: tensor "${tensor.name ?? ''}" (${dataTypeName(dataType)}) has no data this reader can use.`,
    modelFile,
    'bad-tensor',
  );
}

/**
 * int32_data holds one element per entry for 8/16/32-bit types (float16 as its bit pattern) and one
 * packed byte (two elements) per entry for the 4-bit types, as onnx.proto specifies.
 */
function int32DataBytes(values: readonly number[], bits: number): Uint8Array {
  if (bits === 32) return packNumbers(values, 4, (view, i, v) => view.setInt32(i, v, true));
  if (bits === 16) return packNumbers(values, 2, (view, i, v) => view.setUint16(i, v & 0xffff, true));
  return packNumbers(values, 1, (view, i, v) => view.setUint8(i, v & 0xff));
}

function packNumbers(
  values: readonly number[],
  widthBytes: number,
  set: (view: DataView, byteOffset: number, value: number) => void,
): Uint8Array {
  const bytes = new Uint8Array(values.length * widthBytes);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => set(view, index * widthBytes, value));
  return bytes;
}

const INT64_MAX = 2n ** 63n - 1n;

/** int64 values arrive as numbers (onnx-types.ts); 2^63 is what INT64_MAX became, so clamp it back. */
function toInt64(value: number): bigint {
  const big = BigInt(value);
  return big > INT64_MAX ? INT64_MAX : big;
}
