import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, attr } from '../../profiler/onnx';
import { seededFloats, useTempDir } from '../../profiler/onnx/test/fixtures';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from './blockwise-nbits';
import type { NBits, NBitsBlockSize } from './blockwise-nbits';
import { matMul, maxAbsDifference, runSingleNode } from './test/helpers';
import type { TestInitializer } from './test/helpers';

const dir = useTempDir('matmul-nbits-');

const sumOfSquares = (values: Float64Array) => values.reduce((sum, v) => sum + v * v, 0);

/**
 * A as accuracy_level 4 computes with it: each row's blocks of `blockSize` along K quantized to int8
 * (scale = absmax / 127), then dequantized; a short last block is its own block.
 */
function int8BlocksOfA(a: Float32Array, M: number, K: number, blockSize: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let row = 0; row < M; row++) {
    for (let k0 = 0; k0 < K; k0 += blockSize) {
      const block = a.subarray(row * K + k0, row * K + Math.min(K, k0 + blockSize));
      const scale = block.reduce((max, v) => Math.max(max, Math.abs(v)), 0) / 127;
      block.forEach((v, i) => (out[row * K + k0 + i] = scale === 0 ? 0 : Math.round(v / scale) * scale));
    }
  }
  return out;
}

const cases: {
  bits: NBits;
  symmetric: boolean;
  blockSize: NBitsBlockSize;
  K: number;
  /** MatMulNBits accuracy_level; 4 quantizes A to int8 per block, which the reference then does too */
  accuracyLevel?: number;
}[] = [
  { bits: 4, symmetric: true, blockSize: 32, K: 100 },
  { bits: 4, symmetric: false, blockSize: 32, K: 100 },
  { bits: 8, symmetric: true, blockSize: 32, K: 100 },
  { bits: 8, symmetric: false, blockSize: 32, K: 100 },
  // an odd number of blocks: the last zero-point byte holds one nibble
  { bits: 4, symmetric: false, blockSize: 16, K: 70 },
  { bits: 4, symmetric: true, blockSize: 128, K: 200 },
  // MobileLLM-R1's hidden size, 4.5 blocks of 128: the int4-b128-asym preset's lm_head and projections
  { bits: 4, symmetric: false, blockSize: 128, K: 576 },
  { bits: 4, symmetric: false, blockSize: 128, K: 576, accuracyLevel: 4 },
  { bits: 8, symmetric: true, blockSize: 128, K: 576, accuracyLevel: 4 },
];

describe('MatMulNBits in onnxruntime-node reads our bytes', () => {
  it.each(cases)(
    'bits $bits, symmetric $symmetric, block $blockSize, K $K, accuracy level $accuracyLevel: Y = A · dequantize(B)',
    async ({ bits, symmetric, blockSize, K, accuracyLevel = 0 }) => {
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
        attributes: {
          K: attr.int(K),
          N: attr.int(N),
          bits: attr.int(bits),
          block_size: attr.int(blockSize),
          ...(accuracyLevel > 0 ? { accuracy_level: attr.int(accuracyLevel) } : {}),
        },
        nodeInputs: ['A', 'B', 'scales', ...(q.zeroPoints ? ['zp'] : [])],
        initializers,
        feeds: { A: new ort.Tensor('float32', a, [M, K]) },
      });
      expect(y.dims).toEqual([M, N]);

      const computedA = accuracyLevel === 4 ? int8BlocksOfA(a, M, K, blockSize) : a;
      const expected = matMul(computedA, dequantizeMatMulNBits(q, K, N, { bits, blockSize }), M, K, N);
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
