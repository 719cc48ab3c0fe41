/** Argument checks shared by the packers, with messages that name the value that was wrong. */

export function checkDimension(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

export function checkLength(what: string, actual: number, expected: number, shape: string): void {
  if (actual !== expected) {
    throw new RangeError(`${what} has ${actual} values but ${shape} needs ${expected}`);
  }
}

/**
 * Throws at the first NaN or ±Infinity: one would poison a whole block's (or column's) scale without
 * any error from onnxruntime later. One pass, no allocation.
 */
export function checkFinite(what: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    // v - v is 0 for every finite v and NaN for NaN and ±Infinity
    if (value - value !== 0) {
      throw new RangeError(
        `${what} holds ${value} at flat index ${i}: quantization needs finite weights (check the source checkpoint)`,
      );
    }
  }
}
