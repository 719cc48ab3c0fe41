import { float32ToFloat16Bits } from '../onnx';

/**
 * Seeded values for a KV cache filled without running the model (`fill: 'synthetic'`): attention
 * kernels cost the same whatever the cached values are, and the memory is really held. One block of
 * seeded uniform values in [−1, 1) is generated once and tiled with a per-tensor rotation, so filling
 * 2 GiB takes memcpy time, not a random-number generator's.
 */

/** elements per generated block: 256 KiB of fp32, larger than any head row */
const BLOCK_ELEMENTS = 64 * 1024;

export type KvElements = Float32Array | Uint16Array;

export class SeededKvValues {
  private readonly float32: Float32Array;
  private float16: Uint16Array | null = null;

  constructor(seed: number) {
    this.float32 = new Float32Array(BLOCK_ELEMENTS);
    let x = (seed ^ 0x5bd1e995) >>> 0 || 0x9e3779b9; // xorshift32 needs a non-zero state
    for (let i = 0; i < BLOCK_ELEMENTS; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.float32[i] = (x >>> 0) / 2147483648 - 1;
    }
  }

  private block(target: KvElements): KvElements {
    if (target instanceof Float32Array) return this.float32;
    this.float16 ??= float32ToFloat16Bits(this.float32);
    return this.float16;
  }

  /**
   * Writes seeded values into `target[start, end)`; `stream` (a tensor's index) rotates the block so
   * that two tensors do not hold identical values.
   */
  fill(target: KvElements, start: number, end: number, stream: number): void {
    const block = this.block(target);
    let offset = (stream * 7919) % BLOCK_ELEMENTS; // a prime stride: distinct rotations per tensor
    for (let at = start; at < end;) {
      const count = Math.min(end - at, BLOCK_ELEMENTS - offset);
      target.set(block.subarray(offset, offset + count), at);
      at += count;
      offset = 0;
    }
  }
}
