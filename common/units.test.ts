import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesPrecise, formatGBps, parseBandwidth, parseBytes } from './units';

const GiB = 2 ** 30;

describe('parseBytes', () => {
  it('reads decimal (GB = 1e9) and binary (GiB = 2^30) units, and bare numbers as bytes', () => {
    expect(parseBytes('8GB')).toBe(8e9);
    expect(parseBytes('7.5 GiB')).toBe(8_053_063_680);
    expect(parseBytes('512MB')).toBe(512e6);
    expect(parseBytes('1e9')).toBe(1e9);
    expect(parseBytes('4096')).toBe(4096);
    expect(parseBytes('1.5kB')).toBe(1500);
    expect(parseBytes(' 2 gib ')).toBe(2 * GiB);
    expect(parseBytes('.5MiB')).toBe(2 ** 19);
  });

  it('names the value and the accepted units when it cannot read it', () => {
    expect(() => parseBytes('8XB')).toThrow(/"8XB".*GB.*GiB/);
    for (const bad of ['', 'GB', '-1GB', '8 G B', '1e', 'eight']) {
      expect(() => parseBytes(bad)).toThrow(RangeError);
    }
  });

  it('reads bandwidth with or without /s', () => {
    expect(parseBandwidth('12GB/s')).toBe(12e9);
    expect(parseBandwidth('17 GB / s')).toBe(17e9);
    expect(parseBandwidth('68e9')).toBe(68e9);
    expect(() => parseBandwidth('12 Gbit/s')).toThrow(/"12 Gbit\/s" is not a bandwidth/);
  });
});

describe('writing bytes and bandwidth', () => {
  it('sizes memory in binary units, 1 decimal under 100', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(706 * 2 ** 20)).toBe('706 MiB');
    expect(formatBytes(-1)).toBe('unknown');
  });

  it('keeps 3 significant digits where a few percent matter, whole bytes under 1 KiB', () => {
    expect(formatBytesPrecise(23_040 * 32_768)).toBe('720 MiB');
    expect(formatBytesPrecise(1.03 * GiB)).toBe('1.03 GiB');
    expect(formatBytesPrecise(23_040)).toBe('22.5 KiB');
    expect(formatBytesPrecise(1000)).toBe('1,000 B');
  });

  it('quotes bandwidth in GB/s (10⁹ bytes per second)', () => {
    expect(formatGBps(61.4e9)).toBe('61.4 GB/s');
  });
});
