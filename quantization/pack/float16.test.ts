import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  DataType,
  attr,
  float16BitsToFloat32,
  float32ToFloat16Bit,
  float32ToFloat16Bits,
} from '../../profiler/onnx';
import { seededFloats, useTempDir } from '../../profiler/onnx/test/fixtures';
import { runSingleNode } from './test/helpers';

const dir = useTempDir('float16-');

const isNaNBits = (bits: number) => (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;

/** The next binary32 value above `value` (toward +Infinity). */
function nextUp(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer);
  bits[0] = (bits[0] as number) + (value >= 0 ? 1 : -1);
  return f[0] as number;
}

// [value, expected binary16 bits]
const edgeCases: [number, number][] = [
  [0, 0x0000],
  [-0, 0x8000],
  [1, 0x3c00],
  [-2, 0xc000],
  [65504, 0x7bff], // largest finite
  [65519.99, 0x7bff], // below the halfway point to 2^16
  [65520, 0x7c00], // halfway: ties to even, and the even neighbour is Infinity
  [-65520, 0xfc00],
  [1e6, 0x7c00],
  [Infinity, 0x7c00],
  [-Infinity, 0xfc00],
  [2 ** -14, 0x0400], // smallest normal
  [2 ** -24, 0x0001], // smallest subnormal
  [2 ** -25, 0x0000], // half of it: ties to even (0)
  [nextUp(2 ** -25), 0x0001], // just above half rounds up
  [3 * 2 ** -25, 0x0002], // 1.5 subnormal steps: ties to even (2)
  [2 ** -14 - 2 ** -25, 0x0400], // the largest subnormal + half a step carries into the smallest normal
  [1e-8, 0x0000],
  [-1e-8, 0x8000],
  [0.1, 0x2e66], // 0.0999755859375
  [1 / 3, 0x3555],
  [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1 + 2^-10: even mantissa 0
  [1 + 3 * 2 ** -11, 0x3c02], // halfway between mantissas 1 and 2: even 2
  [nextUp(1 + 2 ** -11), 0x3c01],
];

describe('float32ToFloat16Bits', () => {
  const named = edgeCases.map(([value, bits]) => ({
    value,
    bits,
    hex: `0x${bits.toString(16).padStart(4, '0')}`,
  }));
  it.each(named)('$value → $hex', ({ value, bits }) => {
    expect(float32ToFloat16Bits(Float32Array.of(value))[0]).toBe(bits);
    expect(float32ToFloat16Bit(value)).toBe(bits);
  });

  it('keeps NaN a NaN, and its sign', () => {
    expect(isNaNBits(float32ToFloat16Bit(Number.NaN))).toBe(true);
    // a NaN whose payload sits only in the low 13 bits must not turn into Infinity
    const lowPayloadNaN = new Float32Array(new Uint32Array([0xff800001]).buffer);
    const [bits] = float32ToFloat16Bits(lowPayloadNaN);
    expect(isNaNBits(bits as number) && (bits as number) >= 0x8000).toBe(true);
  });

  it('round-trips every binary16 value exactly, and decodes the edge cases', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i);
    const decoded = float16BitsToFloat32(all);
    const encoded = float32ToFloat16Bits(decoded);
    for (let i = 0; i < 0x10000; i++) {
      if (isNaNBits(i)) expect(Number.isNaN(decoded[i])).toBe(true);
      else expect(encoded[i], `bits ${i.toString(16)}`).toBe(i);
    }
    expect(Array.from(float16BitsToFloat32(Uint16Array.of(0x0001, 0x03ff, 0x7bff, 0x7c00, 0xfc00)))).toEqual([
      2 ** -24,
      2 ** -14 - 2 ** -24,
      65504,
      Infinity,
      -Infinity,
    ]);
    expect(Object.is(float16BitsToFloat32(Uint16Array.of(0x8000))[0], -0)).toBe(true);
  });

  it("matches onnxruntime's Cast to float16 bit for bit", async () => {
    const values = new Float32Array(4096 + edgeCases.length);
    values.set(seededFloats(2048, 51).map((v) => v * 70000)); // some overflow
    values.set(
      seededFloats(2048, 52).map((v) => v * 2 ** -13),
      2048,
    ); // subnormals and small normals
    values.set(
      edgeCases.map(([value]) => value),
      4096,
    );
    const y = await runSingleNode(dir.path, {
      opType: 'Cast',
      domain: '',
      attributes: { to: attr.int(DataType.FLOAT16) },
      nodeInputs: ['X'],
      initializers: [],
      feeds: { X: new ort.Tensor('float32', values, [values.length]) },
      outputType: DataType.FLOAT16,
    });
    // onnxruntime-node hands float16 back as raw bits where Node has no Float16Array
    expect(y.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(float32ToFloat16Bits(values))).toEqual(Array.from(y.data as Uint16Array));
  });
});
