import { describe, expect, it } from 'vitest';
import { READ_STEP_BYTES, streamingReadWasm } from './read-wasm';

describe('streamingReadWasm', () => {
  it('is valid WebAssembly whose read() loads every cache line of the range it is given', () => {
    const bytes = streamingReadWasm();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
    const words = new Int32Array(memory.buffer);
    for (let i = 0; i < words.length; i++) words[i] = (i * 2654435761) | 0;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const read = instance.exports.read as (start: number, end: number) => number;

    // lane 0 of the i32x4 sum = the sum (mod 2^32) of each 64-byte line's first word: one load per line
    const expected = (startByte: number, endByte: number): number => {
      let sum = 0;
      for (let word = startByte / 4; word < endByte / 4; word += 16) sum = (sum + words[word]!) | 0;
      return sum;
    };
    expect(read(0, 2 * 65536)).toBe(expected(0, 2 * 65536));
    expect(read(READ_STEP_BYTES, 3 * READ_STEP_BYTES)).toBe(expected(READ_STEP_BYTES, 3 * READ_STEP_BYTES));
    expect(read(0, 0)).toBe(0);
  });
});
