import { describe, expect, it } from 'vitest';
import { accumulating, parseNumberList } from './number-lists';

describe('parseNumberList', () => {
  const contexts = parseNumberList('--context', 1);
  it('reads lists and llama-bench style ranges', () => {
    expect(contexts('512,2048')).toEqual([512, 2048]);
    expect(contexts('512-8192*2')).toEqual([512, 1024, 2048, 4096, 8192]);
    expect(parseNumberList('--depth')('0-2048+1024,4096')).toEqual([0, 1024, 2048, 4096]);
    expect(contexts('512,512')).toEqual([512]);
  });
  it('names the bad part', () => {
    expect(() => contexts('512,lots')).toThrow('--context: "lots" is not a whole number');
    expect(() => contexts('4096-512*2')).toThrow('"4096-512*2" is not a range that ends');
    expect(() => contexts('0')).toThrow('--context: 0 is below the minimum of 1');
  });
});

describe('a list flag given twice', () => {
  it('adds its values, replacing the default once', () => {
    const defaults = [128];
    const add = accumulating(parseNumberList('--prompt', 1), defaults);
    const once = add('512', defaults);
    expect(once).toEqual([512]);
    expect(add('128,512-1024*2', once)).toEqual([512, 128, 1024]);
  });
});
