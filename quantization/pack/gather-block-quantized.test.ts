import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, attr } from '../../profiler/onnx';
import { seededFloats, useTempDir } from '../../profiler/onnx/test-fixtures';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from './blockwise-nbits';
import type { NBits, NBitsBlockSize } from './blockwise-nbits';
import { quantizeGatherBlock4, quantizeGatherBlockQuantized } from './gather-block-quantized';
import type { QuantizedGatherBlock } from './gather-block-quantized';
import { maxAbsDifference, runSingleNode } from './test-helpers';
import type { TestInitializer } from './test-helpers';

const dir = useTempDir('gather-block-');

const ROWS = 10; // vocab
const GATHERED = [3, 0, 9, 3]; // token ids, one repeated

/** Rows GATHERED of a [ROWS, cols] table, each zero-padded to `width` as the op returns them. */
function gatheredRows(table: Float32Array, cols: number, width: number): Float32Array {
  const out = new Float32Array(GATHERED.length * width);
  GATHERED.forEach((row, i) => out.set(table.subarray(row * cols, (row + 1) * cols), i * width));
  return out;
}

/** What GatherBlockQuantized should return for `q`: the dequantized rows. */
function expectedRows(q: QuantizedGatherBlock, cols: number, bits: NBits, blockSize: NBitsBlockSize) {
  const table = dequantizeMatMulNBits(q, cols, ROWS, { bits, blockSize, transposed: true });
  return gatheredRows(table, cols, q.gatheredCols);
}

/** Runs GatherBlockQuantized on `q` with data and scales given the dims and quantize_axis to try. */
function gather(
  q: QuantizedGatherBlock,
  bits: NBits,
  blockSize: NBitsBlockSize,
  layout: { dataDims: number[]; scalesDims: number[]; zeroPointsDims?: number[]; quantizeAxis: number },
): Promise<ort.Tensor> {
  const initializers: TestInitializer[] = [
    { name: 'data', dataType: DataType.UINT8, dims: layout.dataDims, data: q.packed },
    { name: 'scales', dataType: DataType.FLOAT, dims: layout.scalesDims, data: q.scales },
  ];
  if (q.zeroPoints) {
    const dims = layout.zeroPointsDims ?? q.zeroPointsDims;
    initializers.push({ name: 'zp', dataType: DataType.UINT8, dims, data: q.zeroPoints });
  }
  return runSingleNode(dir.path, {
    opType: 'GatherBlockQuantized',
    attributes: {
      bits: attr.int(bits),
      block_size: attr.int(blockSize),
      gather_axis: attr.int(0),
      quantize_axis: attr.int(layout.quantizeAxis),
    },
    nodeInputs: ['data', 'ids', 'scales', ...(q.zeroPoints ? ['zp'] : [])],
    initializers,
    feeds: { ids: new ort.Tensor('int64', BigInt64Array.from(GATHERED, BigInt), [GATHERED.length]) },
  });
}

const cases: { bits: NBits; symmetric: boolean; blockSize: NBitsBlockSize; cols: number }[] = [
  { bits: 4, symmetric: true, blockSize: 32, cols: 64 },
  { bits: 4, symmetric: false, blockSize: 16, cols: 48 }, // odd block count: half-filled zero-point byte
  { bits: 8, symmetric: true, blockSize: 32, cols: 64 },
  { bits: 8, symmetric: false, blockSize: 16, cols: 48 },
  { bits: 4, symmetric: true, blockSize: 16, cols: 40 }, // cols not a whole number of blocks
];

describe('quantizeGatherBlockQuantized', () => {
  it.each(cases)(
    'bits $bits, symmetric $symmetric: the same bytes as MatMulNBits of the [N, K] table',
    ({ bits, symmetric, blockSize, cols }) => {
      const table = seededFloats(ROWS * cols, cols + bits);
      const q = quantizeGatherBlockQuantized(table, ROWS, cols, { bits, blockSize, symmetric });
      const asLmHead = quantizeMatMulNBits(table, cols, ROWS, {
        bits,
        blockSize,
        symmetric,
        transposed: true,
      });
      expect(q.packed).toEqual(asLmHead.packed);
      expect(q.scales).toEqual(asLmHead.scales);
      expect(q.zeroPoints).toEqual(asLmHead.zeroPoints);
      expect(q.dataDims).toEqual([ROWS, q.kBlocks * q.blobSize]);
      expect(q.gatheredCols).toBe(Math.ceil(cols / blockSize) * blockSize);
      if (bits === 4) expect(quantizeGatherBlock4(table, ROWS, cols, blockSize, symmetric)).toEqual(q);
    },
  );

  it.each(cases)(
    'bits $bits, symmetric $symmetric, cols $cols: onnxruntime gathers the dequantized rows from [rows, bytes] data',
    async ({ bits, symmetric, blockSize, cols }) => {
      const table = seededFloats(ROWS * cols, cols + bits);
      const q = quantizeGatherBlockQuantized(table, ROWS, cols, { bits, blockSize, symmetric });
      const y = await gather(q, bits, blockSize, {
        dataDims: q.dataDims,
        scalesDims: q.scalesDims,
        quantizeAxis: 1,
      });
      expect(y.dims).toEqual([GATHERED.length, q.gatheredCols]);
      expect(maxAbsDifference(y.data as Float32Array, expectedRows(q, cols, bits, blockSize))).toBe(0);
      // and near the float table (padding columns are 0): a wrong nibble order or zero point would not be
      const floatRows = gatheredRows(table, cols, q.gatheredCols);
      expect(maxAbsDifference(y.data as Float32Array, floatRows)).toBeLessThan(bits === 4 ? 0.15 : 0.01);
    },
  );

  it("accepts MatMulNBits' 3-D B [rows, kBlocks, blob] as data with quantize_axis 2 and scales [rows, kBlocks, 1]", async () => {
    const cols = 64;
    const blockSize = 32 as const;
    const table = seededFloats(ROWS * cols, 77);
    const q = quantizeGatherBlock4(table, ROWS, cols, blockSize, true);
    const layout3d = { dataDims: [ROWS, q.kBlocks, q.blobSize], scalesDims: [ROWS, q.kBlocks, 1] };
    for (const quantizeAxis of [2, -1]) {
      const y = await gather(q, 4, blockSize, { ...layout3d, quantizeAxis });
      // each gathered row comes back as [kBlocks, blockSize]: a Reshape of the small output, not the table
      expect(y.dims).toEqual([GATHERED.length, q.kBlocks, blockSize]);
      expect(maxAbsDifference(y.data as Float32Array, expectedRows(q, cols, 4, blockSize))).toBe(0);
    }
    // but the scales must have data's rank, so MatMulNBits' 2-D scales cannot be shared as they are
    await expect(
      gather(q, 4, blockSize, { ...layout3d, scalesDims: [ROWS, q.kBlocks], quantizeAxis: 2 }),
    ).rejects.toThrow(/scales must have the same rank as data/);
  });

  it('takes 3-D asymmetric data only with one zero point per byte, unlike MatMulNBits packing', async () => {
    const cols = 64;
    const blockSize = 16 as const;
    const table = seededFloats(ROWS * cols, 78);
    const q = quantizeGatherBlock4(table, ROWS, cols, blockSize, false);
    const layout3d = {
      dataDims: [ROWS, q.kBlocks, q.blobSize],
      scalesDims: [ROWS, q.kBlocks, 1],
      quantizeAxis: 2,
    };
    // MatMulNBits' packed zero points [rows, kBlocks/2] do not fit [rows, kBlocks, 1]
    await expect(
      gather(q, 4, blockSize, { ...layout3d, zeroPointsDims: [ROWS, q.kBlocks / 2, 1] }),
    ).rejects.toThrow(/zero points shape and scales shape do not match/);
    // one zero point per byte (low nibble) does
    const unpacked = new Uint8Array(ROWS * q.kBlocks); // kBlocks is even, so byte i >> 1 holds zp i

    unpacked.forEach((_, i) => (unpacked[i] = ((q.zeroPoints?.[i >> 1] ?? 0) >> ((i & 1) * 4)) & 0xf));
    const y = await gather({ ...q, zeroPoints: unpacked }, 4, blockSize, {
      ...layout3d,
      zeroPointsDims: [ROWS, q.kBlocks, 1],
    });
    expect(maxAbsDifference(y.data as Float32Array, expectedRows(q, cols, 4, blockSize))).toBe(0);
  });
});
