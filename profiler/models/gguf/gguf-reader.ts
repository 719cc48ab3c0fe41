import { open, stat, type FileHandle } from 'node:fs/promises';
import {
  alignTo,
  GGML_TYPES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgufValueType,
  GGUF_SCALAR_BYTES,
  type GgufValueTypeCode,
} from './gguf-format';

/**
 * Reads a GGUF file's header, metadata and tensor infos — never its tensors — so a user's 4 GB file
 * opens in milliseconds. Large arrays (a 128K-token vocabulary) are walked over and kept as their
 * length and a few first items.
 */

export class GgufFileError extends Error {
  override name = 'GgufFileError';
}

/** A metadata value as read: arrays longer than ARRAY_KEEP items keep only their head. */
export type GgufReadValue =
  | number
  | bigint
  | boolean
  | string
  | { itemType: string; length: number; head: (number | bigint | boolean | string)[] };

export interface GgufTensorInfo {
  name: string;
  /** ne[0] first (the fastest-varying dimension) */
  dims: number[];
  /** ggml type name, e.g. "Q4_0" */
  type: string;
  typeCode: number;
  /** from the start of the data section, bytes */
  offset: number;
  /** bytes the tensor's data takes */
  bytes: number;
  elements: number;
}

export interface GgufHeader {
  file: string;
  version: number;
  /** bytes */
  fileBytes: number;
  alignment: number;
  /** bytes; where the data section starts */
  dataOffset: number;
  metadata: Map<string, GgufReadValue>;
  tensors: GgufTensorInfo[];
}

const ARRAY_KEEP = 16; // items kept of a long array
const VALUE_TYPE_NAMES = Object.fromEntries(
  Object.entries(GgufValueType).map(([name, code]) => [code, name.toLowerCase()]),
) as Record<number, string>;

/** Sequential reads through a window of the file. */
class FileCursor {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly fileBytes: number,
    private readonly file: string,
  ) {}

  private async need(bytes: number): Promise<Buffer> {
    const end = this.position + bytes;
    if (end > this.fileBytes) {
      throw new GgufFileError(
        `${this.file} ends at byte ${this.fileBytes} inside its header (a value needs bytes up to ${end}): ` +
          'the file is cut short or is not a GGUF file. Download or write it again.',
      );
    }
    if (this.position < this.bufferStart || end > this.bufferStart + this.buffer.length) {
      const size = Math.max(bytes, 1 << 20);
      const buffer = Buffer.alloc(Math.min(size, this.fileBytes - this.position));
      await this.handle.read(buffer, 0, buffer.length, this.position);
      this.buffer = buffer;
      this.bufferStart = this.position;
    }
    const at = this.position - this.bufferStart;
    this.position = end;
    return this.buffer.subarray(at, at + bytes);
  }

  async u32(): Promise<number> {
    return (await this.need(4)).readUInt32LE(0);
  }

  /** a u64 that must fit a JavaScript number (counts, sizes, offsets) */
  async count(what: string): Promise<number> {
    const value = (await this.need(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GgufFileError(
        `${this.file}: ${what} is ${value}, beyond what any real file holds: the header is corrupt.`,
      );
    }
    return Number(value);
  }

  async string(what: string): Promise<string> {
    const length = await this.count(`the length of ${what}`);
    return (await this.need(length)).toString('utf8');
  }

  async scalar(type: number, what: string): Promise<number | bigint | boolean | string> {
    if (type === GgufValueType.STRING) return this.string(what);
    const size = GGUF_SCALAR_BYTES[type as GgufValueTypeCode];
    if (size === undefined) {
      throw new GgufFileError(`${this.file}: ${what} has value type ${type}, which GGUF does not define.`);
    }
    const b = await this.need(size);
    switch (type) {
      case GgufValueType.UINT8:
        return b.readUInt8(0);
      case GgufValueType.INT8:
        return b.readInt8(0);
      case GgufValueType.UINT16:
        return b.readUInt16LE(0);
      case GgufValueType.INT16:
        return b.readInt16LE(0);
      case GgufValueType.UINT32:
        return b.readUInt32LE(0);
      case GgufValueType.INT32:
        return b.readInt32LE(0);
      case GgufValueType.FLOAT32:
        return b.readFloatLE(0);
      case GgufValueType.BOOL:
        return b.readUInt8(0) !== 0;
      case GgufValueType.UINT64:
        return b.readBigUInt64LE(0);
      case GgufValueType.INT64:
        return b.readBigInt64LE(0);
      default:
        return b.readDoubleLE(0);
    }
  }

  async value(what: string): Promise<GgufReadValue> {
    const type = await this.u32();
    if (type !== GgufValueType.ARRAY) return this.scalar(type, what);
    const itemType = await this.u32();
    const length = await this.count(`the length of ${what}`);
    const head: (number | bigint | boolean | string)[] = [];
    const fixed = GGUF_SCALAR_BYTES[itemType as GgufValueTypeCode];
    if (fixed !== undefined && length > ARRAY_KEEP) {
      for (let i = 0; i < ARRAY_KEEP; i += 1) head.push(await this.scalar(itemType, what));
      this.position += (length - ARRAY_KEEP) * fixed; // skipped, never read
      if (this.position > this.fileBytes) await this.need(0);
    } else {
      for (let i = 0; i < length; i += 1) {
        const item = await this.scalar(itemType, `${what}[${i}]`);
        if (i < ARRAY_KEEP) head.push(item);
      }
    }
    return { itemType: VALUE_TYPE_NAMES[itemType] ?? String(itemType), length, head };
  }
}

export async function readGgufHeader(file: string): Promise<GgufHeader> {
  let fileBytes: number;
  try {
    fileBytes = (await stat(file)).size;
  } catch (error) {
    throw new GgufFileError(`Cannot open ${file}: ${(error as Error).message}`);
  }
  const handle = await open(file, 'r');
  try {
    const cursor = new FileCursor(handle, fileBytes, file);
    if (fileBytes < 24 || (await cursor.u32()) !== GGUF_MAGIC) {
      throw new GgufFileError(`${file} is not a GGUF file (it does not start with "GGUF").`);
    }
    const version = await cursor.u32();
    if (version !== 2 && version !== 3) {
      throw new GgufFileError(
        `${file} is GGUF version ${version}; the workbench reads versions 2 and 3. Convert it with a current llama.cpp.`,
      );
    }
    const tensorCount = await cursor.count('the tensor count');
    const metadataCount = await cursor.count('the metadata count');
    const metadata = new Map<string, GgufReadValue>();
    for (let i = 0; i < metadataCount; i += 1) {
      const key = await cursor.string(`metadata key ${i}`);
      metadata.set(key, await cursor.value(key));
    }
    const alignmentValue = metadata.get('general.alignment');
    const alignment = typeof alignmentValue === 'number' ? alignmentValue : GGUF_DEFAULT_ALIGNMENT;
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i += 1) {
      const name = await cursor.string(`tensor name ${i}`);
      const nDims = await cursor.u32();
      if (nDims < 1 || nDims > 4)
        throw new GgufFileError(`${file}: tensor ${name} has ${nDims} dimensions (ggml allows 1 to 4).`);
      const dims: number[] = [];
      for (let d = 0; d < nDims; d += 1) dims.push(await cursor.count(`a dimension of ${name}`));
      const typeCode = await cursor.u32();
      const offset = await cursor.count(`the offset of ${name}`);
      const info = GGML_TYPES[typeCode];
      if (!info)
        throw new GgufFileError(
          `${file}: tensor ${name} has ggml type ${typeCode}, which this workbench does not know.`,
        );
      const elements = dims.reduce((a, b) => a * b, 1);
      const bytes = (elements / info.blockElements) * info.blockBytes;
      tensors.push({ name, dims, type: info.name, typeCode, offset, bytes, elements });
    }
    const dataOffset = alignTo(cursor.position, alignment);
    for (const tensor of tensors) {
      if (dataOffset + tensor.offset + tensor.bytes > fileBytes) {
        throw new GgufFileError(
          `${file}: tensor ${tensor.name} (${tensor.bytes} bytes at ${dataOffset + tensor.offset}) runs past the end of the ` +
            `file (${fileBytes} bytes): the file is cut short. Download or write it again.`,
        );
      }
    }
    return { file, version, fileBytes, alignment, dataOffset, metadata, tensors };
  } finally {
    await handle.close();
  }
}
