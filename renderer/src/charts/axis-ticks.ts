/**
 * Ticks at powers of two between `min` and `max` (bytes: 16 MiB, 32 MiB, …), thinned to at most `most`:
 * a logarithmic byte axis reads in round binary sizes instead of Chart.js's decimal 1-2-5 steps.
 */
export function powerOfTwoTicks(min: number, max: number, most = 7): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const low = Math.ceil(Math.log2(min));
  const high = Math.floor(Math.log2(max));
  const exponents = Array.from({ length: Math.max(0, high - low + 1) }, (_, index) => low + index);
  const step = Math.max(1, Math.ceil(exponents.length / most));
  return exponents.filter((_, index) => index % step === 0).map((exponent) => 2 ** exponent);
}
