import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType } from '../../profiler/onnx';
import { seededFloats, useTempDir } from '../../profiler/onnx/test/fixtures';
import { dequantizePerColumnInt8, quantizePerColumnInt8 } from './per-column-int8';
import type { QuantizedPerColumnInt8 } from './per-column-int8';
import { matMul, maxAbsDifference, runSingleNode, transpose } from './test/helpers';

const dir = useTempDir('int8-');

/** ONNX rounding (QuantizeLinear, DynamicQuantizeLinear): halves to even. */
const roundHalfToEven = (x: number) => {
  const rounded = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
};

/**
 * DynamicQuantizeMatMul as its schema defines it: A → uint8 by DynamicQuantizeLinear (range widened to
 * include 0, scale = range / 255), an exact integer product with B, then both scales.
 */
function dynamicQuantizeMatMulReference(
  a: Float32Array,
  M: number,
  K: number,
  b: QuantizedPerColumnInt8,
  N: number,
): Float64Array {
  const min = Math.min(0, ...a);
  const max = Math.max(0, ...a);
  const aScale = Math.fround((max - min) / 255);
  const aZeroPoint = Math.min(255, Math.max(0, roundHalfToEven(-min / aScale)));
  const aQuantized = a.map((v) => Math.min(255, Math.max(0, roundHalfToEven(v / aScale) + aZeroPoint)));
  const out = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0; // exact: an int32 accumulation in the kernel
      for (let k = 0; k < K; k++)
        sum += ((aQuantized[m * K + k] as number) - aZeroPoint) * (b.data[k * N + n] as number);
      out[m * N + n] = sum * aScale * (b.scales[n] as number);
    }
  }
  return out;
}

describe('quantizePerColumnInt8', () => {
  it('scales each column by its max |w| / 127 and rounds halves away from zero', () => {
    // K = 5, N = 3: column 0 has max |w| 127 (scale 1) with ties; column 1 is all zero; column 2 negative
    const weight = Float32Array.from([127, 0, -2, -2.5, 0, 1, 2.5, 0, -254, -0.5, 0, 0.5, 0.4, 0, 3]);
    const { data, scales } = quantizePerColumnInt8(weight, 5, 3);
    expect(Array.from(scales)).toEqual([1, 0, 2]);
    expect(Array.from(data)).toEqual([127, 0, -1, -3, 0, 1, 3, 0, -127, -1, 0, 0, 0, 0, 2]);
    // Math.round would have sent -2.5 to -2 and -0.5 to 0; with scale 2, 3 / 2 = 1.5 ↦ 2 and 1 / 2 ↦ 1
  });

  it('takes [N, K] input with transposed: true and still returns [K, N]', () => {
    const [K, N] = [37, 11];
    const weight = seededFloats(K * N, 41);
    const direct = quantizePerColumnInt8(weight, K, N);
    expect(quantizePerColumnInt8(transpose(weight, K, N), K, N, { transposed: true })).toEqual(direct);
    // within half a step of the weight everywhere
    const restored = dequantizePerColumnInt8(direct, K, N);
    for (let i = 0; i < weight.length; i++) {
      const step = direct.scales[i % N] as number;
      expect(Math.abs((restored[i] as number) - (weight[i] as number))).toBeLessThanOrEqual(step / 2 + 1e-7);
    }
  });

  it('refuses a weight of the wrong size or with Infinity', () => {
    expect(() => quantizePerColumnInt8(new Float32Array(10), 3, 4)).toThrow(
      /10 values but \[K=3, N=4\] needs 12/,
    );
    const weight = new Float32Array(12);
    weight[5] = -Infinity;
    expect(() => quantizePerColumnInt8(weight, 3, 4)).toThrow(/-Infinity at flat index 5/);
  });

  it('is the B / b_scale layout com.microsoft.DynamicQuantizeMatMul reads', async () => {
    const [M, K, N] = [4, 96, 24];
    const weight = seededFloats(K * N, 43);
    const a = seededFloats(M * K, 44);
    const { data, scales } = quantizePerColumnInt8(weight, K, N);
    const y = await runSingleNode(dir.path, {
      opType: 'DynamicQuantizeMatMul',
      attributes: {},
      nodeInputs: ['A', 'B', 'b_scale'],
      initializers: [
        { name: 'B', dataType: DataType.INT8, dims: [K, N], data },
        { name: 'b_scale', dataType: DataType.FLOAT, dims: [N], data: scales },
      ],
      feeds: { A: new ort.Tensor('float32', a, [M, K]) },
    });
    expect(y.dims).toEqual([M, N]);
    const actual = y.data as Float32Array;
    // exact up to float rounding once A's own uint8 quantization is emulated: the bytes are read as we mean
    expect(
      maxAbsDifference(actual, dynamicQuantizeMatMulReference(a, M, K, { data, scales }, N)),
    ).toBeLessThan(1e-4);
    // A is quantized with a step of 2/255: over K = 96 terms that is about 0.04 at worst (measured 0.042),
    // while |Y| is about sqrt(96)/3 ≈ 3, so a wrong layout would be off by ~3
    expect(maxAbsDifference(actual, matMul(a, weight, M, K, N))).toBeLessThan(0.1);
  });
});
