/**
 * Bytes and bandwidth, written and read the one way every door uses: the CLI, the reports, the
 * analysis and the renderer. Dependency-free.
 */
const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** bytes → the value in the largest binary unit it reaches, and that unit's index in binaryUnits */
function inBinaryUnits(bytes: number): { value: number; unit: number } {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return { value, unit };
}

/** 1536 → "1.5 KiB"; binary units, as memory is sized. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  const { value, unit } = inBinaryUnits(bytes);
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${binaryUnits[unit]}`;
}

/**
 * Bytes to 3 significant digits in binary units ("1.03 GiB", "16.5 MiB", "528 MiB"), whole bytes with
 * separators below 1 KiB. KV sizes differ by a few percent between dtypes and contexts, which the
 * 1-decimal formatBytes would round away.
 */
export function formatBytesPrecise(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  const { value, unit } = inBinaryUnits(bytes);
  if (unit === 0) return `${Math.round(value).toLocaleString('en-US')} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${binaryUnits[unit]}`;
}

/** bytes/s → "61.4 GB/s": 10⁹ bytes per second, as bandwidth is quoted. */
export function formatGBps(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e9).toFixed(1)} GB/s`;
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

/** bytes/s from '12GB/s', '12 GB/s' or '12GB' (the '/s' is optional); same units as parseBytes. */
export function parseBandwidth(text: string): number {
  const withoutPerSecond = text.replace(/\s*\/\s*s\s*$/i, '');
  try {
    return parseBytes(withoutPerSecond);
  } catch (error) {
    throw new RangeError(
      `"${text}" is not a bandwidth. Write bytes per second with a unit: ${BYTE_UNITS_HELP}, optionally followed by /s; e.g. 17GB/s.`,
      { cause: error },
    );
  }
}
