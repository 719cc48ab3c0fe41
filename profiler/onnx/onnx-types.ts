/**
 * The onnx.proto messages this layer reads and writes, as plain objects with the proto's snake_case field
 * names (protobufjs `keepCase`). Repeated fields the workbench relies on are always arrays (the reader
 * asks protobufjs for empty arrays); optional scalars are absent when the file does not set them.
 *
 * int64 fields are JS numbers: shapes, opset versions and attribute values fit in 2^53. A value past
 * that loses precision, except the ±2^63 sentinels (INT64_MIN/MAX, used by Slice), which round-trip
 * because protobufjs's `long` clamps 2^63 back to INT64_MAX when encoding.
 */

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface OperatorSetIdProto {
  /** '' or absent: the default ONNX domain */
  domain?: string;
  version?: number;
}

export interface TensorProto {
  name?: string;
  dims: number[];
  /** a DataType number (data-type.ts) */
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  uint64_data?: number[];
  string_data?: Uint8Array[];
  external_data?: StringStringEntryProto[];
  /** TensorDataLocation: 0 DEFAULT, 1 EXTERNAL */
  data_location?: number;
  doc_string?: string;
}

export interface TensorShapeDimension {
  dim_value?: number;
  dim_param?: string;
  denotation?: string;
}

export interface TensorShapeProto {
  dim: TensorShapeDimension[];
}

export interface TypeProto {
  tensor_type?: {
    elem_type?: number;
    /** absent: unknown rank; present with no dims: a scalar */
    shape?: TensorShapeProto;
  };
  denotation?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
}

export interface AttributeProto {
  name?: string;
  /** AttributeType (attributes.ts) */
  type?: number;
  f?: number;
  i?: number;
  /** UTF-8 */
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  doc_string?: string;
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  op_type?: string;
  /** '' or absent: the default ONNX domain */
  domain?: string;
  attribute: AttributeProto[];
  doc_string?: string;
}

export interface GraphProto {
  name?: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info?: ValueInfoProto[];
  doc_string?: string;
}

export interface ModelProto {
  ir_version?: number;
  opset_import: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: StringStringEntryProto[];
}
