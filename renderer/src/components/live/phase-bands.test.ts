import { describe, expect, it } from 'vitest';
import { bandLegend, phaseBands } from './phase-bands';

describe('phaseBands', () => {
  it('shades load, warmup, prefill and decode from each phase change to the next, the last to the end', () => {
    const bands = phaseBands(
      [
        { tMs: 0, phase: 'prepare' },
        { tMs: 100, phase: 'load' },
        { tMs: 900, phase: 'warmup' },
        { tMs: 1000, phase: 'prefill' },
        { tMs: 1200, phase: 'decode' },
      ],
      2000,
    );
    expect(bands).toEqual([
      { phase: 'load', startMs: 100, endMs: 900 },
      { phase: 'warmup', startMs: 900, endMs: 1000 },
      { phase: 'prefill', startMs: 1000, endMs: 1200 },
      { phase: 'decode', startMs: 1200, endMs: 2000 },
    ]);
    expect(bandLegend(bands)).toEqual(['load', 'warmup', 'prefill', 'decode']);
  });

  it('leaves unshaded phases blank, repeats a phase per repetition, and drops bands past the end', () => {
    const bands = phaseBands(
      [
        { tMs: 0, phase: 'load' },
        { tMs: 50, phase: 'depth' },
        { tMs: 80, phase: 'prefill' },
        { tMs: 100, phase: 'decode' },
        { tMs: 300, phase: 'prefill' },
        { tMs: 320, phase: 'decode' },
        { tMs: 600, phase: 'profile' },
        { tMs: 700, phase: 'decode' }, // not sampled yet: nothing to shade
      ],
      650,
    );
    expect(bands).toEqual([
      { phase: 'load', startMs: 0, endMs: 50 },
      { phase: 'prefill', startMs: 80, endMs: 100 },
      { phase: 'decode', startMs: 100, endMs: 300 },
      { phase: 'prefill', startMs: 300, endMs: 320 },
      { phase: 'decode', startMs: 320, endMs: 600 },
    ]);
    expect(bandLegend(bands)).toEqual(['load', 'prefill', 'decode']);
  });

  it('has nothing to shade without phase changes', () => {
    expect(phaseBands([], 1000)).toEqual([]);
  });
});
