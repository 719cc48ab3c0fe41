import { stat } from 'node:fs/promises';
import path from 'node:path';
import { bytesPerElement, tensorByteSize } from './data-type';
import { OnnxFileError } from './onnx-file-error';
import type { GraphProto, ModelProto, StringStringEntryProto, TensorProto } from './onnx-types';

/**
 * Offsets in external data files are multiples of this (bytes): onnx.proto says they SHOULD be page
 * multiples so onnxruntime can mmap the weights instead of copying them.
 */
export const EXTERNAL_DATA_ALIGNMENT_BYTES = 4096;

/** TensorProto.DataLocation */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** Where one tensor's bytes live, parsed from its external_data entries. */
export interface ExternalDataRef {
  /** relative to the model's folder, as written in the model */
  location: string;
  offsetBytes: number;
  /** absent in the model means "to the end of the tensor"; filled from dims × type here when possible */
  lengthBytes: number | undefined;
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.data_location === DataLocation.EXTERNAL;
}

/** The external_data entries the writer records; numbers are decimal strings, as onnx.proto asks. */
export function externalDataEntries(
  location: string,
  offsetBytes: number,
  lengthBytes: number,
): StringStringEntryProto[] {
  return [
    { key: 'location', value: location },
    { key: 'offset', value: String(offsetBytes) },
    { key: 'length', value: String(lengthBytes) },
  ];
}

/**
 * ONNX forbids locations that leave the model's folder ("..", absolute paths): a model must not make
 * the loader read arbitrary files. Backslashes count as separators so Windows paths are caught too.
 */
export function checkLocation(modelFile: string, tensorName: string, location: string): void {
  const segments = location.split(/[\\/]/);
  const unsafe =
    location === '' ||
    path.posix.isAbsolute(location) ||
    path.win32.isAbsolute(location) ||
    /^[a-zA-Z]:/.test(location) || // drive-relative, e.g. "C:weights.bin"
    segments.includes('..');
  if (unsafe) {
    throw new OnnxFileError(
      `${modelFile}: tensor "${tensorName}" has external data location "${location}"; ONNX requires a ` +
        'path relative to the model folder without ".." or a drive/root, so this model was refused.',
      modelFile,
      'unsafe-location',
    );
  }
}

function parseByteCount(modelFile: string, tensorName: string, key: string, value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new OnnxFileError(
      `${modelFile} is not a valid ONNX model: tensor "${tensorName}" has external data ${key} "${value}", ` +
        'which is not a byte count.',
      modelFile,
      'invalid-model',
    );
  }
  return parsed;
}

/** Parses and checks a tensor's external_data entries; undefined when the tensor is not external. */
export function externalDataRef(modelFile: string, tensor: TensorProto): ExternalDataRef | undefined {
  if (!isExternal(tensor)) return undefined;
  const tensorName = tensor.name ?? '';
  const entries = new Map((tensor.external_data ?? []).map((entry) => [entry.key ?? '', entry.value ?? '']));
  const location = entries.get('location');
  if (location === undefined) {
    throw new OnnxFileError(
      `${modelFile} is not a valid ONNX model: tensor "${tensorName}" is marked external but has no location.`,
      modelFile,
      'invalid-model',
    );
  }
  checkLocation(modelFile, tensorName, location);
  const offset = entries.get('offset');
  const length = entries.get('length');
  const dataType = tensor.data_type ?? 0;
  return {
    location,
    offsetBytes: offset === undefined ? 0 : parseByteCount(modelFile, tensorName, 'offset', offset),
    lengthBytes:
      length !== undefined
        ? parseByteCount(modelFile, tensorName, 'length', length)
        : bytesPerElement(dataType) === undefined
          ? undefined
          : tensorByteSize(dataType, tensor.dims),
  };
}

/** The absolute path of an external data file: locations are relative to the model's folder. */
export function externalDataPath(modelFile: string, location: string): string {
  return path.join(path.dirname(modelFile), location);
}

/** Every tensor a graph holds: initializers and attribute tensors, subgraphs (If/Loop bodies) included. */
export function* graphTensors(graph: GraphProto): Generator<TensorProto> {
  yield* graph.initializer;
  for (const n of graph.node) {
    for (const attribute of n.attribute) {
      if (attribute.t) yield attribute.t;
      yield* attribute.tensors ?? [];
      if (attribute.g) yield* graphTensors(attribute.g);
      for (const subgraph of attribute.graphs ?? []) yield* graphTensors(subgraph);
    }
  }
}

/** The distinct external data files a model refers to, as written (relative to its folder). */
export function listExternalFiles(model: ModelProto): string[] {
  if (!model.graph) return [];
  const locations = new Set<string>();
  for (const tensor of graphTensors(model.graph)) {
    const location = tensor.external_data?.find((entry) => entry.key === 'location')?.value;
    if (isExternal(tensor) && location !== undefined) locations.add(location);
  }
  return [...locations];
}

/** Throws the "is truncated" error when [start, end) does not fit in a data file of this size. */
export function checkRange(
  dataFile: string,
  fileSizeBytes: number,
  tensorName: string,
  startByte: number,
  endByte: number,
): void {
  if (endByte > fileSizeBytes) {
    throw new OnnxFileError(
      `${dataFile} is truncated: tensor "${tensorName}" needs bytes ${startByte}..${endByte} but the file ` +
        `has ${fileSizeBytes} bytes. Copy or download the model folder again.`,
      dataFile,
      'truncated-external-data',
    );
  }
}

export function missingDataFileError(dataFile: string, modelFile: string, tensorName: string): OnnxFileError {
  return new OnnxFileError(
    `${dataFile} is missing: ${modelFile} keeps tensor "${tensorName}" there. Copy the whole model ` +
      'folder, including its external data files.',
    dataFile,
    'missing-external-data',
  );
}

/**
 * Checks, without reading any weights, that every external tensor's file exists and is long enough:
 * one stat per file, so a broken download is reported when the model is opened, not mid-trial.
 */
export async function checkExternalData(modelFile: string, model: ModelProto): Promise<void> {
  if (!model.graph) return;
  const fileSizes = new Map<string, number | undefined>();
  for (const tensor of graphTensors(model.graph)) {
    const ref = externalDataRef(modelFile, tensor);
    if (!ref) continue;
    const dataFile = externalDataPath(modelFile, ref.location);
    if (!fileSizes.has(dataFile)) fileSizes.set(dataFile, await fileSize(dataFile));
    const sizeBytes = fileSizes.get(dataFile);
    if (sizeBytes === undefined) throw missingDataFileError(dataFile, modelFile, tensor.name ?? '');
    const endByte = ref.offsetBytes + (ref.lengthBytes ?? 0);
    checkRange(dataFile, sizeBytes, tensor.name ?? '', ref.offsetBytes, endByte);
  }
}

/** Size in bytes, or undefined when the file does not exist. */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
