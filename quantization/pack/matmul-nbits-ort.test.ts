import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, attr } from '../../profiler/onnx';
import { seededFloats, useTempDir } from '../../profiler/onnx/test-fixtures';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from './blockwise-nbits';
import type { NBits, NBitsBlockSize } from './blockwise-nbits';
import { matMul, maxAbsDifference, runSingleNode } from './test-helpers';
import type { TestInitializer } from './test-helpers';

const dir = useTempDir('matmul-nbits-');

const sumOfSquares = (values: Float64Array) => values.reduce((sum, v) => sum + v * v, 0);

const cases: { bits: NBits; symmetric: boolean; blockSize: NBitsBlockSize; K: number }[] = [
  { bits: 4, symmetric: true, blockSize: 32, K: 100 },
  { bits: 4, symmetric: false, blockSize: 32, K: 100 },
  { bits: 8, symmetric: true, blockSize: 32, K: 100 },
  { bits: 8, symmetric: false, blockSize: 32, K: 100 },
  // an odd number of blocks: the last zero-point byte holds one nibble
  { bits: 4, symmetric: false, blockSize: 16, K: 70 },
  { bits: 4, symmetric: true, blockSize: 128, K: 200 },
];

describe('MatMulNBits in onnxruntime-node reads our bytes', () => {
  it.each(cases)(
    'bits $bits, symmetric $symmetric, block $blockSize, K $K: Y = A · dequantize(B)',
    async ({ bits, symmetric, blockSize, K }) => {
      const [M, N] = [3, 12];
      const weight = seededFloats(K * N, 31 + K + bits);
      const a = seededFloats(M * K, 32);
      const q = quantizeMatMulNBits(weight, K, N, { bits, blockSize, symmetric });

      const initializers: TestInitializer[] = [
        { name: 'B', dataType: DataType.UINT8, dims: [N, q.kBlocks, q.blobSize], data: q.packed },
        { name: 'scales', dataType: DataType.FLOAT, dims: [N, q.kBlocks], data: q.scales },
      ];
      if (q.zeroPoints) {
        const zpBytesPerRow = q.zeroPoints.length / N;
        initializers.push({
          name: 'zp',
          dataType: DataType.UINT8,
          dims: [N, zpBytesPerRow],
          data: q.zeroPoints,
        });
      }
      const y = await runSingleNode(dir.path, {
        opType: 'MatMulNBits',
        attributes: { K: attr.int(K), N: attr.int(N), bits: attr.int(bits), block_size: attr.int(blockSize) },
        nodeInputs: ['A', 'B', 'scales', ...(q.zeroPoints ? ['zp'] : [])],
        initializers,
        feeds: { A: new ort.Tensor('float32', a, [M, K]) },
      });
      expect(y.dims).toEqual([M, N]);

      const expected = matMul(a, dequantizeMatMulNBits(q, K, N, { bits, blockSize }), M, K, N);
      const actual = y.data as Float32Array;
      expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-4);
      // and still near the float product: a few percent RMS for 4-bit, where a layout error is ~100%
      const exact = matMul(a, weight, M, K, N);
      const relativeRms = Math.sqrt(
        sumOfSquares(exact.map((v, i) => v - (actual[i] as number))) / sumOfSquares(exact),
      );
      expect(relativeRms).toBeLessThan(bits === 4 ? 0.15 : 0.01);
    },
  );
});
