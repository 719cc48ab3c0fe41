/**
 * ONNX TensorProto.DataType numbers (onnx.proto) and what each costs in bytes. The numbers are the
 * wire values: `data_type` is an int32 field, so types newer than our onnx.proto (FLOAT4E2M1) still fit.
 */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
} as const;

export type DataTypeName = keyof typeof DataType;
export type DataTypeValue = (typeof DataType)[DataTypeName];

/** Bits per element in raw_data / external data; STRING and UNDEFINED have no fixed width. */
const BITS_PER_ELEMENT: Readonly<Partial<Record<number, number>>> = {
  [DataType.FLOAT]: 32,
  [DataType.UINT8]: 8,
  [DataType.INT8]: 8,
  [DataType.UINT16]: 16,
  [DataType.INT16]: 16,
  [DataType.INT32]: 32,
  [DataType.INT64]: 64,
  [DataType.BOOL]: 8,
  [DataType.FLOAT16]: 16,
  [DataType.DOUBLE]: 64,
  [DataType.UINT32]: 32,
  [DataType.UINT64]: 64,
  [DataType.COMPLEX64]: 64,
  [DataType.COMPLEX128]: 128,
  [DataType.BFLOAT16]: 16,
  [DataType.FLOAT8E4M3FN]: 8,
  [DataType.FLOAT8E4M3FNUZ]: 8,
  [DataType.FLOAT8E5M2]: 8,
  [DataType.FLOAT8E5M2FNUZ]: 8,
  // packed two per byte, first element in the low nibble
  [DataType.UINT4]: 4,
  [DataType.INT4]: 4,
  [DataType.FLOAT4E2M1]: 4,
};

/**
 * The tensor type strings of onnxruntime's JavaScript API (`Tensor.Type` in onnxruntime-common), spelled
 * out here because this layer may not import onnxruntime.
 */
export type OrtTensorType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'int4'
  | 'uint4';

/** BFLOAT16, FLOAT8 and FLOAT4 have no onnxruntime-node tensor type: they can live inside a graph only. */
const ORT_TENSOR_TYPE: Readonly<Partial<Record<number, OrtTensorType>>> = {
  [DataType.FLOAT]: 'float32',
  [DataType.DOUBLE]: 'float64',
  [DataType.FLOAT16]: 'float16',
  [DataType.INT8]: 'int8',
  [DataType.UINT8]: 'uint8',
  [DataType.INT16]: 'int16',
  [DataType.UINT16]: 'uint16',
  [DataType.INT32]: 'int32',
  [DataType.UINT32]: 'uint32',
  [DataType.INT64]: 'int64',
  [DataType.UINT64]: 'uint64',
  [DataType.BOOL]: 'bool',
  [DataType.STRING]: 'string',
  [DataType.INT4]: 'int4',
  [DataType.UINT4]: 'uint4',
};

/** "FLOAT16", or "data type 99" for a number this table does not know. */
export function dataTypeName(dataType: number): string {
  const entry = Object.entries(DataType).find(([, value]) => value === dataType);
  return entry ? entry[0] : `data type ${dataType}`;
}

/** Bits per element, or undefined for STRING / UNDEFINED / unknown numbers. */
export function bitsPerElement(dataType: number): number | undefined {
  return BITS_PER_ELEMENT[dataType];
}

/** Bytes per element (0.5 for the 4-bit types), or undefined where there is no fixed width. */
export function bytesPerElement(dataType: number): number | undefined {
  const bits = bitsPerElement(dataType);
  return bits === undefined ? undefined : bits / 8;
}

/** The onnxruntime-node tensor type for an ONNX data type, or undefined when ORT JS has none. */
export function ortTensorType(dataType: number): OrtTensorType | undefined {
  return ORT_TENSOR_TYPE[dataType];
}

/** The ONNX data type for an onnxruntime-node tensor type string. */
export function dataTypeFromOrtType(type: OrtTensorType): DataTypeValue {
  const entry = Object.entries(ORT_TENSOR_TYPE).find(([, ortType]) => ortType === type);
  if (!entry) throw new RangeError(`onnxruntime tensor type "${type}" has no ONNX data type`);
  return Number(entry[0]) as DataTypeValue;
}

/** Number of elements in a tensor of these dims (1 for a scalar, []). */
export function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const dim of dims) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new RangeError(`tensor dims must be non-negative integers, got [${dims.join(', ')}]`);
    }
    count *= dim;
  }
  return count;
}

/**
 * Bytes a tensor of this type and shape takes in raw_data or external data: sub-byte types are packed
 * and the last byte padded (5 int4 values take 3 bytes).
 */
export function tensorByteSize(dataType: number, dims: readonly number[]): number {
  const bits = bitsPerElement(dataType);
  if (bits === undefined) {
    throw new RangeError(`${dataTypeName(dataType)} tensors have no fixed byte size`);
  }
  return Math.ceil((elementCount(dims) * bits) / 8);
}
