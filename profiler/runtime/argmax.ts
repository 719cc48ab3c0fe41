import { float16BitsToFloat32 } from '../onnx';

/**
 * Greedy sampling: the index of the largest of the last `vocab` values (the last position's logits).
 * float32 logits are scanned in place; float16 ones (raw bits in a Uint16Array, as onnxruntime-node
 * returns them) are widened first — exact, and only the last row is copied.
 */
export function argmaxLastRow(data: ArrayLike<number> | ArrayLike<bigint>, vocab: number): number {
  let row: Float32Array;
  if (data instanceof Float32Array) row = data.subarray(data.length - vocab);
  else if (data instanceof Uint16Array) row = float16BitsToFloat32(data.subarray(data.length - vocab));
  else throw new Error(`logits of type ${Object.prototype.toString.call(data)} are not supported`);
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < vocab; i += 1) {
    const value = row[i]!;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}
