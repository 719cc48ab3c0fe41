import { describe, expect, it } from 'vitest';
import {
  DataType,
  bytesPerElement,
  dataTypeFromOrtType,
  dataTypeName,
  ortTensorType,
  tensorByteSize,
} from './data-type';
import { initializerByteSize } from './tensor-data';

describe('data types', () => {
  it('uses the onnx.proto numbers', () => {
    expect([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.UINT4, DataType.INT4]).toEqual([
      1, 10, 16, 21, 22,
    ]);
    expect(dataTypeName(10)).toBe('FLOAT16');
    expect(dataTypeName(99)).toBe('data type 99');
  });

  it('sizes float16 and bfloat16 at two bytes per element', () => {
    expect(bytesPerElement(DataType.FLOAT16)).toBe(2);
    expect(tensorByteSize(DataType.FLOAT16, [3, 5])).toBe(30);
    expect(tensorByteSize(DataType.BFLOAT16, [1024, 576])).toBe(1024 * 576 * 2);
  });

  it('packs int4 and uint4 two per byte, rounding the last byte up', () => {
    expect(bytesPerElement(DataType.INT4)).toBe(0.5);
    expect(tensorByteSize(DataType.INT4, [5])).toBe(3);
    expect(tensorByteSize(DataType.UINT4, [4, 3])).toBe(6);
    expect(initializerByteSize({ name: 'w', data_type: DataType.INT4, dims: [7, 3] })).toBe(11);
  });

  it('sizes scalars and empty tensors', () => {
    expect(tensorByteSize(DataType.INT64, [])).toBe(8);
    expect(tensorByteSize(DataType.FLOAT, [0, 128])).toBe(0);
  });

  it('refuses strings and negative dims', () => {
    expect(() => tensorByteSize(DataType.STRING, [2])).toThrow(/STRING tensors have no fixed byte size/);
    expect(() => tensorByteSize(DataType.FLOAT, [-1, 4])).toThrow(/non-negative integers/);
  });

  it('maps to onnxruntime-node tensor types and back', () => {
    expect(ortTensorType(DataType.FLOAT)).toBe('float32');
    expect(ortTensorType(DataType.FLOAT16)).toBe('float16');
    expect(ortTensorType(DataType.INT4)).toBe('int4');
    expect(ortTensorType(DataType.UINT4)).toBe('uint4');
    expect(ortTensorType(DataType.INT64)).toBe('int64');
    expect(ortTensorType(DataType.BFLOAT16)).toBeUndefined();
    expect(dataTypeFromOrtType('float16')).toBe(DataType.FLOAT16);
    expect(dataTypeFromOrtType('bool')).toBe(DataType.BOOL);
  });
});
