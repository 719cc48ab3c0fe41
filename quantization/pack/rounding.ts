/**
 * C's `roundf`: halves go away from zero (2.5 → 3, -2.5 → -3). MLAS and our int8 quantizer round this
 * way; `Math.round` does not (it sends -2.5 to -2), and numpy's `np.round` goes to even (2.5 → 2).
 * Exact for every double: `x - trunc(x)` needs no rounding.
 */
export function roundHalfAwayFromZero(x: number): number {
  const whole = Math.trunc(x);
  const fraction = x - whole;
  if (fraction >= 0.5) return whole + 1;
  if (fraction <= -0.5) return whole - 1;
  return whole;
}
