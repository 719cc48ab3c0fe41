import { open, stat } from 'node:fs/promises';
import { float16BitsToFloat32 } from '../../onnx';
import { CheckpointError } from './checkpoint-error';

/**
 * A small, strict safetensors reader (format: an unsigned 64-bit little-endian header length N, N bytes
 * of JSON naming each tensor's dtype, shape and byte range, then the data). It reads the header once and
 * streams each tensor in chunks, converting F16 and BF16 to F32 on the way: a checkpoint is never whole
 * in memory. Every range is checked against the file before a byte of data is read.
 */

/** dtypes whose values convert to fp32, with their size in bytes */
const ELEMENT_BYTES = { F32: 4, F16: 2, BF16: 2 } as const;
export type FloatDtype = keyof typeof ELEMENT_BYTES;

/** safetensors' own limit on the header (100 MB): a larger N is a corrupt or foreign file */
const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsTensor {
  name: string;
  /** as the header states it (F32, F16, BF16, or another type this reader refuses on read) */
  dtype: string;
  /** row-major, PyTorch order */
  shape: number[];
  elements: number;
  /** absolute byte offset of the first byte in the file */
  fileOffset: number;
  byteLength: number;
}

export interface SafetensorsHeader {
  file: string;
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function elementBytes(dtype: string): number | null {
  if (dtype in ELEMENT_BYTES) return ELEMENT_BYTES[dtype as FloatDtype];
  // sizes of the other safetensors dtypes, so their ranges are still checked
  const sizes: Record<string, number> = { F64: 8, I64: 8, U64: 8, I32: 4, U32: 4, I16: 2, U16: 2 };
  return sizes[dtype] ?? (['I8', 'U8', 'BOOL', 'F8_E4M3', 'F8_E5M2'].includes(dtype) ? 1 : null);
}

function parseEntry(file: string, name: string, raw: unknown, dataStart: number): SafetensorsTensor {
  const bad = (what: string): CheckpointError =>
    new CheckpointError(`${file}: tensor ${name} ${what}. The file is damaged: download it again.`);
  if (typeof raw !== 'object' || raw === null) throw bad('has no dtype/shape/data_offsets entry');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') throw bad('has no dtype');
  if (!Array.isArray(shape) || !shape.every(isWholeNumber))
    throw bad('has a shape that is not whole numbers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isWholeNumber))
    throw bad('has data_offsets that are not two whole numbers');
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw bad(`ends (${end}) before it begins (${begin})`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const size = elementBytes(dtype);
  if (size !== null && end - begin !== elements * size) {
    throw bad(`holds ${end - begin} bytes, but ${dtype} [${shape.join(', ')}] needs ${elements * size}`);
  }
  return {
    name,
    dtype,
    shape: shape as number[],
    elements,
    fileOffset: dataStart + begin,
    byteLength: end - begin,
  };
}

/** Reads and checks the header: JSON, every tensor's range inside the file, no two ranges overlapping. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const fileBytes = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    if (fileBytes < 8)
      throw new CheckpointError(`${file} is ${fileBytes} bytes: too short to be safetensors.`);
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const headerBytes = prefix.readBigUInt64LE(0);
    if (headerBytes > BigInt(Math.min(MAX_HEADER_BYTES, fileBytes - 8))) {
      throw new CheckpointError(
        `${file}: its header claims ${headerBytes} bytes, more than the file (${fileBytes} bytes) or ` +
          'safetensors allows: it is not a safetensors file, or it was cut short. Download it again.',
      );
    }
    const headerText = Buffer.alloc(Number(headerBytes));
    await handle.read(headerText, 0, headerText.length, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(headerText.toString('utf8'));
    } catch (error) {
      throw new CheckpointError(`${file}: the safetensors header is not valid JSON. Download it again.`, {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CheckpointError(`${file}: the safetensors header is not a JSON object.`);
    }
    const dataStart = 8 + headerText.length;
    const tensors = new Map<string, SafetensorsTensor>();
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(parsed)) {
      if (name === '__metadata__') {
        metadata = (raw ?? {}) as Record<string, string>;
        continue;
      }
      const tensor = parseEntry(file, name, raw, dataStart);
      if (tensor.fileOffset + tensor.byteLength > fileBytes) {
        throw new CheckpointError(
          `${file}: tensor ${name} ends at byte ${tensor.fileOffset + tensor.byteLength}, past the end of ` +
            `the file (${fileBytes} bytes): the download was cut short. Download it again.`,
        );
      }
      tensors.set(name, tensor);
    }
    const ordered = [...tensors.values()].sort((a, b) => a.fileOffset - b.fileOffset);
    for (let i = 1; i < ordered.length; i += 1) {
      const before = ordered[i - 1]!;
      const after = ordered[i]!;
      if (before.fileOffset + before.byteLength > after.fileOffset) {
        throw new CheckpointError(
          `${file}: tensors ${before.name} and ${after.name} overlap. The file is damaged: download it again.`,
        );
      }
    }
    return { file, tensors, metadata };
  } finally {
    await handle.close();
  }
}

/** Raw little-endian bytes of one dtype → fp32 values (the host is little-endian, as x86 and ARM are). */
function toFloat32(dtype: FloatDtype, bytes: Uint8Array): Float32Array {
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const bits = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  if (dtype === 'F16') return float16BitsToFloat32(bits);
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i += 1) out[i] = bits[i]! << 16; // BF16 is fp32's upper half
  return new Float32Array(out.buffer);
}

export function checkFloatDtype(tensor: SafetensorsTensor, file: string): FloatDtype {
  if (tensor.dtype in ELEMENT_BYTES) return tensor.dtype as FloatDtype;
  throw new CheckpointError(
    `${file}: tensor ${tensor.name} is ${tensor.dtype}; only F32, F16 and BF16 weights can be imported ` +
      '(a quantized checkpoint is not a source: import the unquantized one).',
  );
}

/**
 * One tensor's values as fp32, in row-major order, in chunks of at most `chunkElements`. Each chunk is a
 * fresh array (the writer may still hold the previous one).
 */
export async function* readTensorChunks(
  file: string,
  tensor: SafetensorsTensor,
  chunkElements = 4 * 1024 * 1024,
): AsyncGenerator<Float32Array> {
  const dtype = checkFloatDtype(tensor, file);
  const size = ELEMENT_BYTES[dtype];
  const handle = await open(file, 'r');
  try {
    for (let done = 0; done < tensor.elements; done += chunkElements) {
      const count = Math.min(chunkElements, tensor.elements - done);
      const bytes = new Uint8Array(new ArrayBuffer(count * size)); // own buffer: aligned for the views
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, tensor.fileOffset + done * size);
      if (bytesRead !== bytes.length) {
        throw new CheckpointError(
          `${file}: tensor ${tensor.name} could not be read whole: the file changed.`,
        );
      }
      yield toFloat32(dtype, bytes);
    }
  } finally {
    await handle.close();
  }
}

/** One tensor's values whole, fp32. */
export async function readTensorValues(file: string, tensor: SafetensorsTensor): Promise<Float32Array> {
  const values = new Float32Array(tensor.elements);
  let offset = 0;
  for await (const chunk of readTensorChunks(file, tensor)) {
    values.set(chunk, offset);
    offset += chunk.length;
  }
  return values;
}
