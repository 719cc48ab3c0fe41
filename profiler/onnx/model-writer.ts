import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  DataLocation,
  EXTERNAL_DATA_ALIGNMENT_BYTES,
  alignUp,
  checkLocation,
  externalDataEntries,
} from './external-data';
import { DEFAULT_IR_VERSION, asBytes, checkTensorBytes, defaultOpsetImports } from './graph-builder';
import { tensorByteSize } from './data-type';
import { OnnxFileError } from './onnx-file-error';
import { PROTOBUF_MAX_BYTES, prepareModelEncoding } from './onnx-proto';
import type { ModelProto, NodeProto, OperatorSetIdProto, TensorProto, ValueInfoProto } from './onnx-types';

export const PRODUCER_NAME = 'edge-llm-workbench';

export interface ModelWriterOptions {
  /** folder to write into; the caller owns temp-folder + rename of the whole folder */
  dir: string;
  /** default 'model.onnx' */
  modelFileName?: string;
  /** default `<modelFileName>_data` */
  dataFileName?: string;
  /** tensors smaller than this stay inline as raw_data, bytes (default 1024; 0 puts everything outside) */
  inlineThresholdBytes?: number;
  /** external data offsets are multiples of this, bytes (default 4096: the page size mmap needs) */
  alignmentBytes?: number;
  /** refuse to write a .onnx larger than this, bytes (default protobuf's limit, 2^31 - 1) */
  maxModelBytes?: number;
}

/** Everything in the model except the initializers, which were streamed with addInitializer. */
export interface ModelFields {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  /** default: ONNX opset 21, plus com.microsoft 1 when a node uses that domain */
  opsetImports?: OperatorSetIdProto[];
  /** default 10 */
  irVersion?: number;
  /** default 'main' */
  graphName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
}

export interface WrittenModel {
  modelPath: string;
  /** undefined when every tensor was small enough to stay inline (no data file is written then) */
  dataPath: string | undefined;
  /** size of the .onnx, bytes */
  modelBytes: number;
  /** size of the external data file including alignment padding, bytes */
  externalDataBytes: number;
  initializerCount: number;
}

export interface ModelWriter {
  readonly modelPath: string;
  readonly dataPath: string;
  /** external data written so far (progress for multi-GB models), bytes */
  readonly externalDataBytes: number;
  /**
   * Streams one initializer to the data file (or keeps it inline when small). Calls run in order even
   * when not awaited one by one; the caller must not change `data` until the returned promise settles.
   */
  addInitializer(
    name: string,
    dataType: number,
    dims: readonly number[],
    data: ArrayBufferView,
  ): Promise<TensorProto>;
  /**
   * Streams one initializer given as consecutive pieces of its bytes (e.g. rows generated on the fly),
   * so even a tensor larger than free memory is never whole in memory. The pieces must add up to
   * dims × type exactly; `onChunk` reports each piece's size once written (progress).
   */
  addInitializerChunks(
    name: string,
    dataType: number,
    dims: readonly number[],
    chunks: TensorChunks,
    onChunk?: (chunkBytes: number) => void,
  ): Promise<TensorProto>;
  /** Writes model.onnx (temp name + rename) after the queued adds, and closes the data file. */
  finish(fields: ModelFields): Promise<WrittenModel>;
  /** Closes and deletes the files this writer created; a no-op after finish. */
  abort(): Promise<void>;
}

/** A tensor's bytes in order, in pieces of any size; read lazily, when the writer gets to the tensor. */
export type TensorChunks = Iterable<ArrayBufferView> | AsyncIterable<ArrayBufferView>;

/** Largest single write call, bytes: keeps each fs.write under Node's 2 GiB per-call limit. */
const MAX_WRITE_CHUNK_BYTES = 256 * 1024 * 1024;

/**
 * A writer that never holds more than the tensor being added: initializers go straight to
 * `<model>_data` at aligned offsets, and only their external references are kept for the final
 * ModelProto. This is how a 3.8 GB fp32 model is written on a machine with less free memory than that.
 */
export function createModelWriter(options: ModelWriterOptions): ModelWriter {
  return new StreamingModelWriter(options);
}

class StreamingModelWriter implements ModelWriter {
  readonly modelPath: string;
  readonly dataPath: string;
  private readonly dataFileName: string;
  private readonly inlineThresholdBytes: number;
  private readonly alignmentBytes: number;
  private readonly maxModelBytes: number;
  private readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private state: 'open' | 'finishing' | 'finished' | 'aborted' = 'open';
  private failure: unknown;
  private dataHandle: FileHandle | undefined;
  private dataEndBytes = 0;
  private tempModelPath: string | undefined;
  /** serializes file operations so offsets are assigned in call order */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ModelWriterOptions) {
    const modelFileName = options.modelFileName ?? 'model.onnx';
    this.dataFileName = options.dataFileName ?? `${modelFileName}_data`;
    this.modelPath = path.join(options.dir, modelFileName);
    this.dataPath = path.join(options.dir, this.dataFileName);
    checkLocation(this.modelPath, '(every external tensor)', this.dataFileName);
    this.inlineThresholdBytes = options.inlineThresholdBytes ?? 1024;
    this.alignmentBytes = options.alignmentBytes ?? EXTERNAL_DATA_ALIGNMENT_BYTES;
    this.maxModelBytes = options.maxModelBytes ?? PROTOBUF_MAX_BYTES;
  }

  get externalDataBytes(): number {
    return this.dataEndBytes;
  }

  addInitializer(
    name: string,
    dataType: number,
    dims: readonly number[],
    data: ArrayBufferView,
  ): Promise<TensorProto> {
    try {
      checkTensorBytes(name, dataType, dims, data.byteLength);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.addInitializerChunks(name, dataType, dims, [data]);
  }

  addInitializerChunks(
    name: string,
    dataType: number,
    dims: readonly number[],
    chunks: TensorChunks,
    onChunk?: (chunkBytes: number) => void,
  ): Promise<TensorProto> {
    let expectedBytes: number;
    try {
      this.assertOpen();
      if (!name) throw new RangeError('an initializer needs a name');
      if (this.names.has(name)) throw new RangeError(`initializer "${name}" was already added`);
      expectedBytes = tensorByteSize(dataType, dims);
      this.names.add(name);
    } catch (error) {
      return Promise.reject(error);
    }
    const base = { name, data_type: dataType, dims: [...dims] };
    // through the queue even when inline, so the model lists initializers in call order
    return this.enqueue(async () => {
      let tensor: TensorProto;
      if (expectedBytes < this.inlineThresholdBytes) {
        // a copy: small, and the caller may reuse its buffers once the promise settles
        const rawData = new Uint8Array(expectedBytes);
        await forEachChunk(name, dims, expectedBytes, chunks, (bytes, startByte) => {
          rawData.set(bytes, startByte);
          onChunk?.(bytes.byteLength);
          return Promise.resolve();
        });
        tensor = { ...base, raw_data: rawData };
      } else {
        const handle = await this.openDataFile();
        const offsetBytes = alignUp(this.dataEndBytes, this.alignmentBytes);
        // zero padding up to the aligned offset
        await this.writeAt(
          handle,
          this.dataPath,
          new Uint8Array(offsetBytes - this.dataEndBytes),
          this.dataEndBytes,
        );
        await forEachChunk(name, dims, expectedBytes, chunks, async (bytes, startByte) => {
          await this.writeAt(handle, this.dataPath, bytes, offsetBytes + startByte);
          onChunk?.(bytes.byteLength);
        });
        this.dataEndBytes = offsetBytes + expectedBytes;
        tensor = {
          ...base,
          data_location: DataLocation.EXTERNAL,
          external_data: externalDataEntries(this.dataFileName, offsetBytes, expectedBytes),
        };
      }
      this.initializers.push(tensor);
      return tensor;
    });
  }

  finish(fields: ModelFields): Promise<WrittenModel> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    // later adds are refused at once; adds queued before this call still run first
    this.state = 'finishing';
    return this.enqueue(async () => {
      try {
        const written = await this.writeModel(fields);
        this.state = 'finished';
        return written;
      } catch (error) {
        await this.removeFiles();
        this.state = 'aborted';
        throw error;
      }
    });
  }

  async abort(): Promise<void> {
    if (this.state === 'finishing') await this.tail;
    if (this.state === 'finished' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.tail;
    await this.removeFiles();
  }

  /** Checked when a call is made. */
  private assertOpen(): void {
    if (this.state !== 'open') throw new Error(`the writer for ${this.modelPath} is already ${this.state}`);
    this.assertHealthy();
  }

  /** Checked again when a queued task starts: abort() or an earlier failure cancels the rest. */
  private assertHealthy(): void {
    if (this.state === 'aborted') throw new Error(`the writer for ${this.modelPath} was aborted`);
    if (this.failure !== undefined) {
      throw new Error(`the writer for ${this.modelPath} failed earlier; call abort()`, {
        cause: this.failure,
      });
    }
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      this.assertHealthy();
      return task().catch((error: unknown) => {
        this.failure ??= error;
        throw error;
      });
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async openDataFile(): Promise<FileHandle> {
    if (!this.dataHandle) {
      await mkdir(this.options.dir, { recursive: true });
      this.dataHandle = await this.fsStep(this.dataPath, () => open(this.dataPath, 'w'));
    }
    return this.dataHandle;
  }

  private async writeAt(
    handle: FileHandle,
    file: string,
    bytes: Uint8Array,
    positionBytes: number,
  ): Promise<void> {
    let writtenBytes = 0;
    while (writtenBytes < bytes.byteLength) {
      const chunkBytes = Math.min(bytes.byteLength - writtenBytes, MAX_WRITE_CHUNK_BYTES);
      const { bytesWritten } = await this.fsStep(file, () =>
        handle.write(bytes, writtenBytes, chunkBytes, positionBytes + writtenBytes),
      );
      writtenBytes += bytesWritten;
    }
  }

  /** Runs one file-system call, turning its error into one that names the file (disk full, no permission). */
  private async fsStep<T>(file: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new OnnxFileError(`could not write ${file}: ${detail}`, file, 'write-failed', { cause: error });
    }
  }

  private async writeModel(fields: ModelFields): Promise<WrittenModel> {
    const dataHandle = this.dataHandle;
    if (dataHandle) {
      await this.fsStep(this.dataPath, () => dataHandle.sync());
      await dataHandle.close();
      this.dataHandle = undefined;
    }
    const encoding = prepareModelEncoding(this.modelProto(fields));
    if (encoding.sizeBytes > this.maxModelBytes) {
      throw new OnnxFileError(
        `${this.modelPath} would be ${encoding.sizeBytes} bytes, over the ${this.maxModelBytes}-byte limit ` +
          '(protobuf cannot hold 2 GB). Keep large tensors in external data: add them with addInitializer ' +
          'and a lower inlineThresholdBytes, not as inline Constant nodes.',
        this.modelPath,
        'too-large',
      );
    }
    const bytes = encoding.finish();
    await mkdir(this.options.dir, { recursive: true });
    const tempPath = `${this.modelPath}.${randomUUID().slice(0, 8)}.tmp`;
    this.tempModelPath = tempPath;
    const handle = await this.fsStep(tempPath, () => open(tempPath, 'w'));
    try {
      await this.writeAt(handle, tempPath, bytes, 0);
      await this.fsStep(tempPath, () => handle.sync());
    } finally {
      await handle.close();
    }
    await this.fsStep(this.modelPath, () => rename(tempPath, this.modelPath));
    this.tempModelPath = undefined;
    return {
      modelPath: this.modelPath,
      dataPath: this.dataEndBytes > 0 ? this.dataPath : undefined,
      modelBytes: bytes.byteLength,
      externalDataBytes: this.dataEndBytes,
      initializerCount: this.initializers.length,
    };
  }

  private modelProto(fields: ModelFields): ModelProto {
    return {
      ir_version: fields.irVersion ?? DEFAULT_IR_VERSION,
      opset_import: fields.opsetImports ?? defaultOpsetImports(fields.nodes),
      producer_name: PRODUCER_NAME,
      ...(fields.producerVersion ? { producer_version: fields.producerVersion } : {}),
      ...(fields.docString ? { doc_string: fields.docString } : {}),
      metadata_props: Object.entries(fields.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: fields.graphName ?? 'main',
        node: fields.nodes,
        initializer: this.initializers,
        input: fields.inputs,
        output: fields.outputs,
        value_info: fields.valueInfo ?? [],
      },
    };
  }

  /** Deletes the data file (when this writer created it) and any temp model file; never the final name. */
  private async removeFiles(): Promise<void> {
    const handle = this.dataHandle;
    this.dataHandle = undefined;
    // cleanup after abort or a failure already reported: a failing close must not hide that error
    if (handle) await handle.close().catch(() => undefined);
    if (handle || this.dataEndBytes > 0) await rm(this.dataPath, { force: true });
    if (this.tempModelPath) await rm(this.tempModelPath, { force: true });
  }
}

/**
 * Feeds each chunk with its start byte to `use`, checking that the chunks add up to the tensor's size;
 * stops before a chunk that would run past the tensor, so nothing is written over the next one.
 */
async function forEachChunk(
  name: string,
  dims: readonly number[],
  expectedBytes: number,
  chunks: TensorChunks,
  use: (bytes: Uint8Array, startByte: number) => Promise<void>,
): Promise<void> {
  let seenBytes = 0;
  for await (const chunk of chunks) {
    const bytes = asBytes(chunk);
    if (seenBytes + bytes.byteLength > expectedBytes) {
      throw new RangeError(
        `tensor "${name}" got more than the ${expectedBytes} bytes its dims [${dims.join(', ')}] need`,
      );
    }
    await use(bytes, seenBytes);
    seenBytes += bytes.byteLength;
  }
  if (seenBytes !== expectedBytes) {
    throw new RangeError(
      `tensor "${name}" got ${seenBytes} bytes but its dims [${dims.join(', ')}] need ${expectedBytes}`,
    );
  }
}
