import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, attr } from '../../profiler/onnx';
import { seededFloats, useTempDir } from '../../profiler/onnx/test/fixtures';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from './blockwise-nbits';
import type { NBits, NBitsBlockSize, QuantizedNBits } from './blockwise-nbits';
import {
  quantizeGatherBlock4,
  quantizeGatherBlockQuantized,
  unpackZeroPoints,
} from './gather-block-quantized';
import { maxAbsDifference, runSingleNode } from './test/helpers';
import type { TestInitializer } from './test/helpers';

const dir = useTempDir('gather-block-');

const ROWS = 10; // vocab
const GATHERED = [3, 0, 9, 3]; // token ids, one repeated

interface Layout {
  bits: NBits;
  blockSize: NBitsBlockSize;
  symmetric: boolean;
}

/** The table as MatMulNBits' B of [N = ROWS, K = cols]: each row zero padded to whole blocks. */
function asMatMulNBits(table: Float32Array, cols: number, layout: Layout): QuantizedNBits {
  return quantizeMatMulNBits(table, cols, ROWS, { ...layout, transposed: true });
}

/** Rows GATHERED of a [ROWS, cols] table, each zero-padded to `width` as the op returns them. */
function gatheredRows(table: Float32Array, cols: number, width: number): Float32Array {
  const out = new Float32Array(GATHERED.length * width);
  GATHERED.forEach((row, i) => out.set(table.subarray(row * cols, (row + 1) * cols), i * width));
  return out;
}

/** What GatherBlockQuantized should return: the rows of B dequantized, `width` values each. */
function expectedRows(b: QuantizedNBits, cols: number, { bits, blockSize }: Layout, width: number) {
  const table = dequantizeMatMulNBits(b, cols, ROWS, { bits, blockSize, transposed: true });
  return gatheredRows(table, cols, width);
}

/** Runs GatherBlockQuantized with data, scales and zero points given the dims and quantize_axis to try. */
function gather(
  tensors: { data: Uint8Array; scales: Float32Array; zeroPoints?: Uint8Array | undefined },
  { bits, blockSize }: Layout,
  layout: { dataDims: number[]; scalesDims: number[]; zeroPointsDims?: number[]; quantizeAxis: number },
): Promise<ort.Tensor> {
  const initializers: TestInitializer[] = [
    { name: 'data', dataType: DataType.UINT8, dims: layout.dataDims, data: tensors.data },
    { name: 'scales', dataType: DataType.FLOAT, dims: layout.scalesDims, data: tensors.scales },
  ];
  if (tensors.zeroPoints) {
    const dims = layout.zeroPointsDims ?? [ROWS, tensors.zeroPoints.length / ROWS];
    initializers.push({ name: 'zp', dataType: DataType.UINT8, dims, data: tensors.zeroPoints });
  }
  return runSingleNode(dir.path, {
    opType: 'GatherBlockQuantized',
    attributes: {
      bits: attr.int(bits),
      block_size: attr.int(blockSize),
      gather_axis: attr.int(0),
      quantize_axis: attr.int(layout.quantizeAxis),
    },
    nodeInputs: ['data', 'ids', 'scales', ...(tensors.zeroPoints ? ['zp'] : [])],
    initializers,
    feeds: { ids: new ort.Tensor('int64', BigInt64Array.from(GATHERED, BigInt), [GATHERED.length]) },
  });
}

const cases: (Layout & { cols: number })[] = [
  { bits: 4, symmetric: true, blockSize: 32, cols: 64 },
  { bits: 4, symmetric: false, blockSize: 16, cols: 48 }, // odd block count: half-filled zero-point byte
  { bits: 8, symmetric: true, blockSize: 32, cols: 64 },
  { bits: 8, symmetric: false, blockSize: 16, cols: 48 },
  { bits: 4, symmetric: true, blockSize: 16, cols: 40 }, // cols not a whole number of blocks
  { bits: 4, symmetric: false, blockSize: 128, cols: 576 }, // MobileLLM-R1's hidden: 4.5 blocks of 128
  { bits: 8, symmetric: false, blockSize: 128, cols: 576 },
  { bits: 4, symmetric: false, blockSize: 16, cols: 41 }, // odd cols: the last byte holds one value
];

describe('quantizeGatherBlockQuantized', () => {
  it.each(cases)(
    'bits $bits, symmetric $symmetric, cols $cols: MatMulNBits bytes of the [N, K] table without block padding',
    ({ cols, ...layout }) => {
      const table = seededFloats(ROWS * cols, cols + layout.bits);
      const q = quantizeGatherBlockQuantized(table, ROWS, cols, layout);
      const asLmHead = asMatMulNBits(table, cols, layout);
      const rowBytes = Math.ceil((cols * layout.bits) / 8);
      expect(q.dataDims).toEqual([ROWS, rowBytes]);
      expect(q.gatheredCols).toBe(cols % 2 === 1 && layout.bits === 4 ? cols + 1 : cols);
      const paddedRowBytes = q.kBlocks * q.blobSize;
      for (let row = 0; row < ROWS; row++) {
        expect(q.packed.subarray(row * rowBytes, (row + 1) * rowBytes)).toEqual(
          asLmHead.packed.subarray(row * paddedRowBytes, row * paddedRowBytes + rowBytes),
        );
      }
      if (cols % layout.blockSize === 0) expect(q.packed).toEqual(asLmHead.packed);
      expect(q.scales).toEqual(asLmHead.scales);
      expect(q.zeroPoints).toEqual(asLmHead.zeroPoints);
      if (layout.bits === 4) {
        expect(quantizeGatherBlock4(table, ROWS, cols, layout.blockSize, layout.symmetric)).toEqual(q);
      }
    },
  );

  it.each(cases)(
    'bits $bits, symmetric $symmetric, cols $cols: onnxruntime gathers the dequantized rows, cols wide',
    async ({ cols, ...layout }) => {
      const table = seededFloats(ROWS * cols, cols + layout.bits);
      const q = quantizeGatherBlockQuantized(table, ROWS, cols, layout);
      const y = await gather({ data: q.packed, scales: q.scales, zeroPoints: q.zeroPoints }, layout, {
        dataDims: q.dataDims,
        scalesDims: q.scalesDims,
        quantizeAxis: 1,
      });
      // a short last block is read as such: no padding comes back (but half a byte of an odd cols)
      expect(y.dims).toEqual([GATHERED.length, q.gatheredCols]);
      const expected = expectedRows(asMatMulNBits(table, cols, layout), cols, layout, q.gatheredCols);
      expect(maxAbsDifference(y.data as Float32Array, expected)).toBe(0);
      // and near the float table: a wrong nibble order or zero point would not be
      const floatRows = gatheredRows(table, cols, q.gatheredCols);
      expect(maxAbsDifference(y.data as Float32Array, floatRows)).toBeLessThan(
        layout.bits === 4 ? 0.15 : 0.01,
      );
    },
  );

  it("accepts MatMulNBits' 3-D B [rows, kBlocks, blob] as data with quantize_axis 2 and scales [rows, kBlocks, 1]", async () => {
    const cols = 64;
    const layout: Layout = { bits: 4, blockSize: 32, symmetric: true };
    const table = seededFloats(ROWS * cols, 77);
    const b = asMatMulNBits(table, cols, layout);
    const tensors = { data: b.packed, scales: b.scales };
    const layout3d = { dataDims: [ROWS, b.kBlocks, b.blobSize], scalesDims: [ROWS, b.kBlocks, 1] };
    for (const quantizeAxis of [2, -1]) {
      const y = await gather(tensors, layout, { ...layout3d, quantizeAxis });
      // each gathered row comes back as [kBlocks, blockSize]: a Reshape of the small output, not the table
      expect(y.dims).toEqual([GATHERED.length, b.kBlocks, layout.blockSize]);
      expect(maxAbsDifference(y.data as Float32Array, expectedRows(b, cols, layout, cols))).toBe(0);
    }
    // but the scales must have data's rank, so MatMulNBits' 2-D scales cannot be shared as they are
    await expect(
      gather(tensors, layout, { ...layout3d, scalesDims: [ROWS, b.kBlocks], quantizeAxis: 2 }),
    ).rejects.toThrow(/scales must have the same rank as data/);
  });

  it('gathers from 3-D B with K not a whole number of blocks: rows come back padded to whole blocks', async () => {
    const cols = 40;
    const layout: Layout = { bits: 4, blockSize: 16, symmetric: false };
    const table = seededFloats(ROWS * cols, 79);
    const b = asMatMulNBits(table, cols, layout);
    const zeroPoints = unpackZeroPoints(b.zeroPoints!, ROWS, b.kBlocks, layout.bits);
    const y = await gather({ data: b.packed, scales: b.scales, zeroPoints }, layout, {
      dataDims: [ROWS, b.kBlocks, b.blobSize],
      scalesDims: [ROWS, b.kBlocks, 1],
      zeroPointsDims: [ROWS, b.kBlocks, 1],
      quantizeAxis: 2,
    });
    const width = b.kBlocks * layout.blockSize; // 48: the caller slices each row back to 40
    expect(y.dims).toEqual([GATHERED.length, b.kBlocks, layout.blockSize]);
    expect(maxAbsDifference(y.data as Float32Array, expectedRows(b, cols, layout, width))).toBe(0);
  });

  it('takes 3-D asymmetric data only with one zero point per byte, unlike MatMulNBits packing', async () => {
    const cols = 64;
    const layout: Layout = { bits: 4, blockSize: 16, symmetric: false };
    const table = seededFloats(ROWS * cols, 78);
    const b = asMatMulNBits(table, cols, layout);
    const layout3d = {
      dataDims: [ROWS, b.kBlocks, b.blobSize],
      scalesDims: [ROWS, b.kBlocks, 1],
      quantizeAxis: 2,
    };
    // MatMulNBits' packed zero points [rows, kBlocks/2] do not fit [rows, kBlocks, 1]
    await expect(
      gather({ data: b.packed, scales: b.scales, zeroPoints: b.zeroPoints }, layout, {
        ...layout3d,
        zeroPointsDims: [ROWS, b.kBlocks / 2, 1],
      }),
    ).rejects.toThrow(/zero points shape and scales shape do not match/);
    // one zero point per byte (low nibble) does
    const zeroPoints = unpackZeroPoints(b.zeroPoints!, ROWS, b.kBlocks, layout.bits);
    const y = await gather({ data: b.packed, scales: b.scales, zeroPoints }, layout, {
      ...layout3d,
      zeroPointsDims: [ROWS, b.kBlocks, 1],
    });
    expect(maxAbsDifference(y.data as Float32Array, expectedRows(b, cols, layout, cols))).toBe(0);
  });
});
