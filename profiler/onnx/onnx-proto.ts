import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { ModelProto } from './onnx-types';

/**
 * The official onnx.proto (proto2, IR 10), loaded at run time by protobufjs with keepCase so field names
 * stay snake_case as in the spec. Resolved beside this module so it works under tsx and vitest alike.
 */
const ONNX_PROTO_URL = new URL('./onnx.proto', import.meta.url);

/**
 * Protobuf's own message limit: 2^31 - 1 bytes. Models over it must keep their weights in external data.
 */
export const PROTOBUF_MAX_BYTES = 2 ** 31 - 1;

/**
 * How decoded messages become plain objects: int64 as numbers (see onnx-types.ts), bytes kept as the
 * Buffer views protobufjs decoded (no copy), empty arrays for absent repeated fields.
 */
const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: Number, arrays: true, defaults: false };

let modelType: protobuf.Type | undefined;

/** The ModelProto type, loading onnx.proto on first use (synchronous, a few ms). */
export function modelProtoType(): protobuf.Type {
  modelType ??= new protobuf.Root()
    .loadSync(fileURLToPath(ONNX_PROTO_URL), { keepCase: true })
    .lookupType('onnx.ModelProto');
  return modelType;
}

/** The encoded size of a model in bytes, without allocating the encoding. */
export interface EncodedModel {
  sizeBytes: number;
  /** allocates and returns the bytes */
  finish(): Uint8Array;
}

/**
 * Prepares a model for encoding. The size is known before any buffer is allocated, so a caller can
 * refuse a model over PROTOBUF_MAX_BYTES without first building a 2 GB array.
 */
export function prepareModelEncoding(model: ModelProto): EncodedModel {
  const type = modelProtoType();
  const writer = type.encode(type.fromObject(model));
  return { sizeBytes: writer.len, finish: () => writer.finish() };
}

/** Encodes a model to protobuf bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  return prepareModelEncoding(model).finish();
}

/** Decodes protobuf bytes into a ModelProto; throws protobufjs's error on malformed input. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const type = modelProtoType();
  // toObject returns an untyped record; onnx-types.ts describes its shape for the options above
  return type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS) as ModelProto;
}
