import { readFile } from 'node:fs/promises';
import { bitsPerElement } from './data-type';
import { checkExternalData, listExternalFiles } from './external-data';
import { decodeModel } from './onnx-proto';
import { OnnxFileError } from './onnx-file-error';
import type { GraphProto, ModelProto, TensorProto } from './onnx-types';
import { initializerByteSize, tensorBytes } from './tensor-data';

/** A decoded .onnx file; external weights stay on disk until `tensorBytes` asks for them. */
export interface ModelFile {
  /** the .onnx file as given */
  path: string;
  /** size of the .onnx file itself, bytes */
  sizeBytes: number;
  model: ModelProto;
  graph: GraphProto;
  initializers: ReadonlyMap<string, TensorProto>;
  /** external data files, relative to the model's folder */
  externalFiles: string[];
  /** sum of initializer data sizes from dims × type (string tensors count 0), bytes */
  weightBytes: number;
  /** one initializer's bytes, read lazily; by name or by TensorProto */
  tensorBytes(tensor: string | TensorProto): Promise<Uint8Array>;
}

export interface ReadModelOptions {
  /** stat the external data files and check every tensor's range fits (default true; reads no weights) */
  checkExternalData?: boolean;
}

/**
 * Reads and decodes an .onnx file without touching its external data, so opening a model folder costs
 * the size of the protobuf (small for external-data models) plus one stat per data file.
 */
export async function readModel(file: string, options: ReadModelOptions = {}): Promise<ModelFile> {
  const bytes = await readModelBytes(file);
  const model = decodeOrExplain(file, bytes);
  const graph = model.graph;
  if (!graph) throw invalidModel(file, 'it has no graph');
  if (options.checkExternalData ?? true) await checkExternalData(file, model);
  const initializers = new Map(graph.initializer.map((t) => [t.name ?? '', t]));
  return {
    path: file,
    sizeBytes: bytes.byteLength,
    model,
    graph,
    initializers,
    externalFiles: listExternalFiles(model),
    weightBytes: graph.initializer
      .filter((t) => bitsPerElement(t.data_type ?? 0) !== undefined)
      .reduce((sum, t) => sum + initializerByteSize(t), 0),
    tensorBytes: (tensor) => {
      const found = typeof tensor === 'string' ? initializers.get(tensor) : tensor;
      if (!found) throw new RangeError(`${file} has no initializer named "${String(tensor)}"`);
      return tensorBytes(file, found);
    },
  };
}

async function readModelBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OnnxFileError(`${file} does not exist.`, file, 'missing-model', { cause: error });
    }
    throw error;
  }
}

function invalidModel(file: string, reason: string, cause?: unknown): OnnxFileError {
  return new OnnxFileError(`${file} is not a valid ONNX model: ${reason}.`, file, 'invalid-model', { cause });
}

/** Hugging Face clones without git-lfs leave these ~130-byte text files where the weights should be. */
const LFS_POINTER_PREFIX = 'version https://git-lfs';
/** Exporters write fields in number order, so a ModelProto starts with ir_version: field 1, varint. */
const IR_VERSION_TAG_BYTE = 0x08;

function decodeOrExplain(file: string, bytes: Uint8Array): ModelProto {
  if (bytes.byteLength === 0) throw invalidModel(file, 'the file is empty');
  const head = new TextDecoder().decode(bytes.subarray(0, LFS_POINTER_PREFIX.length));
  if (head === LFS_POINTER_PREFIX) {
    throw invalidModel(file, 'it is a Git LFS pointer, not the model; fetch the real file (git lfs pull)');
  }
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // protobufjs reports reading past the end as "index out of range"
    const reason =
      bytes[0] !== IR_VERSION_TAG_BYTE
        ? `it does not start like an ONNX protobuf (${detail})`
        : /index out of range/.test(detail)
          ? `it ends in the middle of a message, so it is probably truncated (${detail})`
          : `protobuf decoding failed (${detail})`;
    throw invalidModel(file, reason, error);
  }
  if (!model.ir_version) throw invalidModel(file, 'it has no ir_version, so it is not an ONNX ModelProto');
  return model;
}
