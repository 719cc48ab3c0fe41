/**
 * Unit formatting shared by the CLI and the renderer. Dependency-free on purpose: it is the one value
 * module of profiler/api the renderer may import.
 */
const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 1536 → "1.5 KiB"; binary units, as memory is sized. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${binaryUnits[unit]}`;
}

/** Units parseBytes accepts: decimal (SI) and binary (IEC) multiples of a byte. */
const byteUnits: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};
export const BYTE_UNITS_HELP = 'B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)';

/**
 * Bytes from text people write: '8GB', '7.5 GiB', '512MB', '1e9', '4096'. GB means 10^9 bytes and GiB
 * 2^30 bytes (as disks and RAM modules are sold vs as operating systems count); units are
 * case-insensitive ('gb' is GB). A bare number is bytes. The result is rounded to whole bytes.
 */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? byteUnits[(match[3] ?? '').toLowerCase() || 'b'] : undefined;
  if (!match || factor === undefined) {
    throw new RangeError(
      `"${text}" is not a byte size. Write a number with an optional unit: ${BYTE_UNITS_HELP}; e.g. 8GB, 7.5GiB, 512MB, 1e9.`,
    );
  }
  const value = Number(`${match[1]}e${match[2] ?? '0'}`) * factor;
  if (!Number.isFinite(value)) throw new RangeError(`"${text}" is too large to be a byte size.`);
  return Math.round(value);
}

/**
 * A mean and its spread over repetitions: "12.3 ± 0.4"; with one repetition there is no spread, so
 * "12.3 (n = 1)" rather than a "± 0.0" that would read as perfectly quiet.
 */
export function formatMeanSd(
  stats: { n: number; mean: number; std: number },
  format: (value: number) => string,
): string {
  return stats.n > 1
    ? `${format(stats.mean)} ± ${format(stats.std)}`
    : `${format(stats.mean)} (n = ${stats.n})`;
}
