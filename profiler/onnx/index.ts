/**
 * profiler/onnx: read and write ONNX ModelProto files (official onnx.proto via protobufjs), with
 * external data streamed to disk. The bottom layer: it imports only protobufjs and Node built-ins.
 */
export * from './attributes';
export * from './data-type';
export * from './external-data';
export * from './float16';
export * from './graph-builder';
export * from './model-reader';
export * from './model-writer';
export * from './onnx-file-error';
export { PROTOBUF_MAX_BYTES, decodeModel, encodeModel, prepareModelEncoding } from './onnx-proto';
export type * from './onnx-types';
export * from './tensor-data';
