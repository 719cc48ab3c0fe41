import { describe, expect, it } from 'vitest';
import {
  formatContext,
  formatCount,
  formatFixed,
  formatMeanSd,
  formatPercent,
  wholeNumber,
} from './number-format';

describe('numbers as people read them', () => {
  it('counts parameters as model cards print them', () => {
    expect(formatCount(140_248_512)).toBe('140.2M');
    expect(formatCount(1_711_376_384)).toBe('1.71B');
    expect(formatCount(12_345)).toBe('12.3K');
    expect(formatCount(512)).toBe('512');
  });

  it('writes contexts in K tokens where they are whole, with separators otherwise', () => {
    expect([512, 4096, 32768].map(formatContext)).toEqual(['512', '4K', '32K']);
    expect(formatContext(3000)).toBe('3,000');
    expect(wholeNumber(33_792)).toBe('33,792');
  });

  it('writes shares as percentages and fixed decimals, "—" where there is no number', () => {
    expect(formatPercent(0.4213)).toBe('42.1%');
    expect(formatPercent(0.4213, 0)).toBe('42%');
    expect(formatFixed(1.23456, 2)).toBe('1.23');
    expect(formatFixed(undefined, 2)).toBe('—');
    expect(formatFixed(Number.NaN, 2)).toBe('—');
  });

  it('gives a mean its spread, and one repetition none', () => {
    const fixed1 = (value: number) => value.toFixed(1);
    expect(formatMeanSd({ n: 5, mean: 12.34, std: 0.41 }, fixed1)).toBe('12.3 ± 0.4');
    expect(formatMeanSd({ n: 1, mean: 12.34, std: 0 }, fixed1)).toBe('12.3 (n = 1)');
  });
});
