import { describe, expect, it } from 'vitest';
import { seededFloats } from '../../profiler/onnx/test/fixtures';
import { dequantizeMatMulNBits, quantizeMatMulNBits } from './blockwise-nbits';
import type { NBits, NBitsBlockSize } from './blockwise-nbits';
import { roundHalfAwayFromZero } from './rounding';
import { transpose } from './test/helpers';

/** The 4-bit or 8-bit code at value index `i` of `bytes`. */
function codeAt(bytes: Uint8Array, i: number, bits: NBits): number {
  return bits === 8 ? (bytes[i] as number) : ((bytes[i >> 1] as number) >> ((i & 1) * 4)) & 0xf;
}

const cases: { bits: NBits; blockSize: NBitsBlockSize; symmetric: boolean; K: number }[] = [];
for (const bits of [4, 8] as const) {
  for (const symmetric of [true, false]) {
    for (const [blockSize, K] of [
      [16, 100],
      [32, 100],
      [64, 100],
      [128, 300],
      [32, 96],
    ] as const) {
      cases.push({ bits, blockSize, symmetric, K });
    }
  }
}

describe('quantizeMatMulNBits', () => {
  it.each(cases)(
    'bits $bits, block $blockSize, symmetric $symmetric, K $K: within half a step of the weight',
    ({ bits, blockSize, symmetric, K }) => {
      const N = 7;
      const weight = seededFloats(K * N, K + bits + blockSize);
      // a wider spread in one column, and an all-zero column
      for (let k = 0; k < K; k++) {
        weight[k * N + 1] = (weight[k * N + 1] as number) * 40;
        weight[k * N + 2] = 0;
      }
      const quantized = quantizeMatMulNBits(weight, K, N, { bits, blockSize, symmetric });
      const kBlocks = Math.ceil(K / blockSize);
      expect(quantized.kBlocks).toBe(kBlocks);
      expect(quantized.blobSize).toBe((blockSize * bits) / 8);
      expect(quantized.packed.length).toBe(N * kBlocks * quantized.blobSize);
      expect(quantized.scales.length).toBe(N * kBlocks);
      expect(quantized.zeroPoints?.length).toBe(symmetric ? undefined : N * Math.ceil((kBlocks * bits) / 8));

      const restored = dequantizeMatMulNBits(quantized, K, N, { bits, blockSize });
      const topCode = (1 << bits) - 1;
      const half = 1 << (bits - 1);
      for (let k = 0; k < K; k++) {
        for (let n = 0; n < N; n++) {
          const scale = Math.abs(quantized.scales[n * kBlocks + Math.floor(k / blockSize)] as number);
          const error = Math.abs((restored[k * N + n] as number) - (weight[k * N + n] as number));
          const slack = scale * 1e-5 + 1e-12; // float32 rounding of v * (1/scale)
          const code = codeAt(quantized.packed, n * kBlocks * blockSize + k, bits);
          // symmetric codes reach -half·scale but only (half - 1)·scale: the far end clips by up to one step
          const clipped = symmetric && code === topCode;
          expect(error, `k ${k} n ${n} code ${code}`).toBeLessThanOrEqual(
            clipped ? scale + slack : scale / 2 + slack,
          );
          if (symmetric && (weight[k * N + n] as number) === 0) expect(code).toBe(half);
        }
      }
      // the all-zero column: scale 0, every code the zero point
      for (let block = 0; block < kBlocks; block++) expect(quantized.scales[2 * kBlocks + block]).toBe(0);
    },
  );

  it('packs 4-bit codes low nibble first, column by column, with a signed scale', () => {
    // K = 16, N = 2: column 0 is -4, -3.5, …, 3.5; column 1 its negation
    const K = 16;
    const weight = new Float32Array(K * 2);
    for (let k = 0; k < K; k++) {
      weight[k * 2] = -4 + k / 2;
      weight[k * 2 + 1] = 4 - k / 2;
    }
    const { packed, scales } = quantizeMatMulNBits(weight, K, 2, { bits: 4, blockSize: 16, symmetric: true });
    // column 0: the extreme is -4, so scale = 4/8 and -4 ↦ 0, 3.5 ↦ 15
    expect(Array.from(scales)).toEqual([0.5, -0.5]);
    expect(Array.from(packed.subarray(0, 8))).toEqual([0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe]);
    // column 1: the extreme is +4, so the scale is negative and +4 ↦ 0 again
    expect(Array.from(packed.subarray(8, 16))).toEqual([0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe]);
  });

  it('packs asymmetric zero points across blocks, low nibble first, and pads K with the zero point', () => {
    // one column, K = 40 in blocks of 16: three blocks, the last holding 8 real values
    const K = 40;
    const weight = new Float32Array(K);
    for (let k = 0; k < 16; k++) weight[k] = (k + 1) * 0.1; // all positive: min clamps to 0 → zp 0
    for (let k = 16; k < 32; k++) weight[k] = -(k - 15) * 0.1; // all negative: max clamps to 0 → zp 15
    for (let k = 32; k < 40; k++) weight[k] = -1 + ((k - 32) * 3) / 7; // -1 … 2: scale 0.2, zp 5
    const q = quantizeMatMulNBits(weight, K, 1, { bits: 4, blockSize: 16, symmetric: false });
    expect(Array.from(q.zeroPoints ?? [])).toEqual([0x00 | (15 << 4), 5]);
    expect(q.scales[2]).toBeCloseTo(0.2, 7);
    // the 8 padding values of the last block are the zero point, 5
    for (let i = 40; i < 48; i++) expect(codeAt(q.packed, i, 4)).toBe(5);

    const q8 = quantizeMatMulNBits(weight, K, 1, { bits: 8, blockSize: 16, symmetric: false });
    expect(Array.from(q8.zeroPoints ?? [])).toEqual([0, 255, Math.round(255 / 3)]);
  });

  it('gives the same bytes for [K, N] input and its [N, K] transpose', () => {
    const [K, N] = [100, 9];
    const weight = seededFloats(K * N, 5);
    for (const bits of [4, 8] as const) {
      for (const symmetric of [true, false]) {
        const options = { bits, blockSize: 32, symmetric } as const;
        const direct = quantizeMatMulNBits(weight, K, N, options);
        const fromTransposed = quantizeMatMulNBits(transpose(weight, K, N), K, N, {
          ...options,
          transposed: true,
        });
        expect(fromTransposed).toEqual(direct);
        const restored = dequantizeMatMulNBits(direct, K, N, { bits, blockSize: 32, transposed: true });
        expect(restored).toEqual(transpose(dequantizeMatMulNBits(direct, K, N, options), K, N));
      }
    }
  });

  it('rounds halves away from zero, as MLAS roundf does', () => {
    expect([2.5, -2.5, 0.5, -0.5, 4.5, 1.4999999, -7.5, 0].map(roundHalfAwayFromZero)).toEqual([
      3, -3, 1, -1, 5, 1, -8, 0,
    ]);
    // Math.round would give -2 and -0 here
    expect(roundHalfAwayFromZero(-2.5)).not.toBe(Math.round(-2.5));

    // symmetric 4-bit, extreme +8 ⇒ scale -1, so v/scale = -v and the code is round(8 - v):
    // v = 3.5 → 4.5 → 5 (numpy's half-to-even would give 4); v = -0.5 → 8.5 → 9 (even: 8)
    const block = new Float32Array(16);
    block.set([8, 3.5, -0.5, 2.5, -1.5]);
    const sym = quantizeMatMulNBits(block, 16, 1, { bits: 4, blockSize: 16, symmetric: true });
    expect(sym.scales[0]).toBe(-1);
    expect([0, 1, 2, 3, 4].map((i) => codeAt(sym.packed, i, 4))).toEqual([0, 5, 9, 6, 10]);

    // asymmetric 4-bit over [-5, 10] ⇒ scale 1, zp 5: v = -2.5 → 2.5 → 3, v = -3.5 → 1.5 → 2
    block.set([-5, 10, -2.5, -3.5, 0.5]);
    const asym = quantizeMatMulNBits(block, 16, 1, { bits: 4, blockSize: 16, symmetric: false });
    expect(asym.scales[0]).toBe(1);
    expect(asym.zeroPoints?.[0]).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => codeAt(asym.packed, i, 4))).toEqual([0, 15, 3, 2, 6]);
  });

  it('refuses bad shapes, options and non-finite weights with a message naming the value', () => {
    const weight = new Float32Array(64);
    expect(() => quantizeMatMulNBits(weight, 32, 3, { bits: 4, blockSize: 32, symmetric: true })).toThrow(
      /weight has 64 values but \[K=32, N=3\] needs 96/,
    );
    expect(() =>
      quantizeMatMulNBits(weight, 32, 2, { bits: 3 as NBits, blockSize: 32, symmetric: true }),
    ).toThrow(/bits must be 4 or 8, got 3/);
    expect(() =>
      quantizeMatMulNBits(weight, 32, 2, { bits: 4, blockSize: 48 as NBitsBlockSize, symmetric: true }),
    ).toThrow(/blockSize must be 16, 32, 64 or 128, got 48/);
    weight[37] = Number.NaN;
    expect(() => quantizeMatMulNBits(weight, 32, 2, { bits: 4, blockSize: 32, symmetric: true })).toThrow(
      /weight holds NaN at flat index 37/,
    );
    expect(() =>
      dequantizeMatMulNBits({ packed: new Uint8Array(10), scales: new Float32Array(2) }, 32, 2, {
        bits: 4,
        blockSize: 32,
      }),
    ).toThrow(/packed has 10 values but \[N=2, 1, 16\] needs 32/);
  });
});
