import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { encodeRows } from './gguf-blocks';
import {
  alignTo,
  GGML_TYPE_CODE,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  ggmlTensorBytes,
  type GgufWriteType,
} from './gguf-format';
import { ByteSink, type GgufValue } from './gguf-metadata';

/** One tensor to stream into the file. */
export interface GgufTensorPlan {
  /** llama.cpp's name, e.g. "blk.3.attn_q.weight" */
  name: string;
  /** row-major shape (PyTorch order, [out, in]); the file stores it reversed: ne[0] is the last dim */
  shape: readonly number[];
  type: GgufWriteType;
  /**
   * fp32 values in row-major order, whole rows per chunk, made (or read from a checkpoint) only when the
   * writer pulls them
   */
  chunks(): Iterable<Float32Array> | AsyncIterable<Float32Array>;
}

export interface GgufWriteOptions {
  metadata: readonly (readonly [string, GgufValue])[];
  tensors: readonly GgufTensorPlan[];
  /** bytes; default 32 (written as `general.alignment` only when it differs) */
  alignment?: number;
  onProgress?: (progress: { writtenBytes: number; totalBytes: number; tensor: string }) => void;
  /** stops between chunks; the partial file is removed */
  signal?: AbortSignal;
}

export interface WrittenTensor {
  name: string;
  type: GgufWriteType;
  /** ne[0] first */
  dims: number[];
  /** from the start of the data section, bytes */
  offset: number;
  bytes: number;
}

export interface WrittenGguf {
  file: string;
  /** bytes, the whole file */
  fileBytes: number;
  /** where the data section starts, bytes */
  dataOffset: number;
  tensors: WrittenTensor[];
}

/** Where each tensor goes: offsets are known before a byte of data exists, so the header comes first. */
function layout(tensors: readonly GgufTensorPlan[], alignment: number): WrittenTensor[] {
  let offset = 0;
  return tensors.map((tensor) => {
    const dims = [...tensor.shape].reverse();
    const elements = dims.reduce((a, b) => a * b, 1);
    const bytes = ggmlTensorBytes(GGML_TYPE_CODE[tensor.type], dims[0] ?? 1, elements);
    const placed = { name: tensor.name, type: tensor.type, dims, offset, bytes };
    offset = alignTo(offset + bytes, alignment);
    return placed;
  });
}

function header(options: GgufWriteOptions, placed: readonly WrittenTensor[], alignment: number): Uint8Array {
  const metadata = [...options.metadata];
  if (alignment !== GGUF_DEFAULT_ALIGNMENT)
    metadata.push(['general.alignment', { type: 'u32', value: alignment }]);
  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(placed.length);
  sink.u64(metadata.length);
  for (const [key, value] of metadata) {
    sink.string(key);
    sink.value(value);
  }
  for (const tensor of placed) {
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(GGML_TYPE_CODE[tensor.type]);
    sink.u64(tensor.offset);
  }
  sink.zeros(alignTo(sink.length, alignment) - sink.length);
  return sink.result();
}

/**
 * Writes a GGUF file tensor by tensor, chunk by chunk: a 950M model's embedding never sits in memory
 * whole. The file is written under a temporary name beside `file` and renamed into place at the end,
 * so an interrupted write leaves nothing that looks like a model.
 */
export async function writeGguf(file: string, options: GgufWriteOptions): Promise<WrittenGguf> {
  const alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const placed = layout(options.tensors, alignment);
  const head = header(options, placed, alignment);
  const totalBytes = placed.reduce((sum, tensor) => sum + tensor.bytes, 0);
  const tempFile = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`,
  );
  const handle = await open(tempFile, 'wx');
  try {
    await handle.write(head, 0, head.length, 0);
    let writtenBytes = 0;
    for (const [index, tensor] of options.tensors.entries()) {
      const where = placed[index]!;
      let position = head.length + where.offset;
      const rowElements = where.dims[0] ?? 1;
      for await (const chunk of tensor.chunks()) {
        options.signal?.throwIfAborted();
        const bytes = encodeRows(tensor.type, chunk, rowElements);
        await handle.write(bytes, 0, bytes.length, position);
        position += bytes.length;
        writtenBytes += bytes.length;
        options.onProgress?.({ writtenBytes, totalBytes, tensor: tensor.name });
      }
      if (position !== head.length + where.offset + where.bytes) {
        throw new Error(
          `${tensor.name}: its chunks held ${position - head.length - where.offset} bytes, its shape needs ${where.bytes}`,
        );
      }
    }
    // the last tensor's padding: a file ends at an aligned size, as gguf's own writer leaves it
    const last = placed.at(-1);
    const fileBytes = head.length + (last ? alignTo(last.offset + last.bytes, alignment) : 0);
    await handle.truncate(fileBytes);
    await handle.sync();
    await handle.close();
    await rename(tempFile, file);
    return { file, fileBytes, dataOffset: head.length, tensors: placed };
  } catch (error) {
    await handle.close().catch(() => undefined); // already closed when rename failed
    await rm(tempFile, { force: true });
    throw error;
  }
}
