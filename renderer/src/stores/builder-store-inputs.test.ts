import { describe, expect, it } from 'vitest';
import {
  parseByteSize,
  parseDepths,
  parseThreads,
  parseTokenCount,
  parseWholeNumber,
  parseWholeNumbers,
} from './builder-store-inputs';

describe('builder inputs', () => {
  it('reads memory budgets in decimal and binary units, empty as none', () => {
    expect(parseByteSize('')).toEqual({ ok: true, value: undefined });
    expect(parseByteSize('8GB')).toEqual({ ok: true, value: 8e9 });
    expect(parseByteSize('7.5 GiB')).toEqual({ ok: true, value: 7.5 * 2 ** 30 });
    expect(parseByteSize('512mb')).toEqual({ ok: true, value: 512e6 });
    expect(parseByteSize('8 gigs')).toMatchObject({ ok: false, error: expect.stringContaining('e.g. 8GB') });
    expect(parseByteSize('0GB')).toMatchObject({ ok: false });
  });

  it('reads token counts with K = 1024', () => {
    expect(parseTokenCount('3000')).toEqual({ ok: true, value: 3000 });
    expect(parseTokenCount('4K')).toEqual({ ok: true, value: 4096 });
    expect(parseTokenCount('4.5K')).toMatchObject({ ok: false });
    expect(parseTokenCount('0')).toMatchObject({ ok: false });
  });

  it('reads comma lists, dropping repeats, and names the field and value that are wrong', () => {
    expect(parseWholeNumbers('128, 512,128', 'Prompt tokens', 1)).toEqual({ ok: true, value: [128, 512] });
    expect(parseWholeNumbers('0', 'Depth', 0)).toEqual({ ok: true, value: [0] });
    expect(parseWholeNumbers('0', 'Prompt tokens', 1)).toEqual({
      ok: false,
      error: 'Prompt tokens: 0 is below the minimum of 1.',
    });
    expect(parseWholeNumbers('12x', 'Prompt tokens', 1)).toMatchObject({
      ok: false,
      error: expect.stringContaining('"12x" is not a whole number'),
    });
    expect(parseWholeNumbers(' ', 'Depth', 0)).toMatchObject({ ok: false });
  });

  it("reads depths: 'end' (the end of each window) and token counts", () => {
    expect(parseDepths('end')).toEqual({ ok: true, value: ['end'] });
    expect(parseDepths('End, 0, 4096, end')).toEqual({ ok: true, value: ['end', 0, 4096] });
    expect(parseDepths('0')).toEqual({ ok: true, value: [0] });
    expect(parseDepths('end, -1')).toEqual({
      ok: false,
      error: 'Depth: "-1" is neither "end" (the end of each context window) nor a whole number of tokens.',
    });
    expect(parseDepths(' ')).toMatchObject({
      ok: false,
      error: expect.stringContaining('e.g. end, 0, 4096'),
    });
  });

  it("reads threads, empty or 'default' as onnxruntime's choice", () => {
    expect(parseThreads('')).toEqual({ ok: true, value: [null] });
    expect(parseThreads('default, 4, 8')).toEqual({ ok: true, value: [null, 4, 8] });
    expect(parseThreads('0')).toMatchObject({ ok: false });
  });

  it('reads a single bounded number', () => {
    expect(parseWholeNumber('5', 'Repetitions', 1, 1000)).toEqual({ ok: true, value: 5 });
    expect(parseWholeNumber('0', 'Repetitions', 1, 1000)).toEqual({
      ok: false,
      error: 'Repetitions: "0" is not a whole number from 1 to 1000.',
    });
  });
});
