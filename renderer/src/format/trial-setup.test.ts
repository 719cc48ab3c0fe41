import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, contextRun } from '../charts/context-run.fixtures';
import { depthRun, KEYS } from '../charts/test-fixtures';
import {
  bandwidthText,
  depthText,
  fillText,
  kvBufferText,
  logitsCostText,
  peakRssSourceText,
  resultNotes,
} from './trial-setup';

const resultOf = (doc: ReturnType<typeof contextRun>, key: string) =>
  doc.trials.find((trial) => trial.key === key)!.result;

describe('what a trial ran, in words', () => {
  const context = contextRun();
  const int4 = resultOf(context, CONTEXT_KEYS.int4c4096);

  it('says the depth and that it is the end of the window by default', () => {
    expect(depthText(int4.spec, int4)).toBe('3904 (end of window)');
    const old = resultOf(depthRun(), KEYS.fp32d2048);
    expect(depthText(old.spec, old)).toBe('2048');
  });

  it('says how the cache was filled and held, schema 1 included', () => {
    expect(fillText(int4.spec, int4)).toBe('synthetic (seeded values)');
    expect(kvBufferText(int4.spec, int4)).toBe('shared (4096 tokens)');
    const old = resultOf(depthRun(), KEYS.fp32d2048);
    expect(fillText(old.spec, old)).toBe('model (seeded ids)');
    expect(kvBufferText(old.spec, old)).toBe('grow');
    // not run yet: what was asked for
    expect(fillText(int4.spec)).toBe('synthetic');
    expect(kvBufferText(int4.spec)).toBe('auto');
  });

  it('names the peak RSS source and its agreement with the timeline', () => {
    expect(peakRssSourceText(int4)).toBe('VmHWM, agrees with the timeline (20 ms samples)');
    expect(peakRssSourceText(resultOf(depthRun(), KEYS.fp32d0))).toContain('schema 1');
  });

  it('puts the GEMV beside the bound, and the reason where there is no roofline', () => {
    expect(bandwidthText(int4)).toBe('61.4 GB/s streaming read; onnxruntime GEMV 24.8 GB/s');
    const folder = resultOf(context, CONTEXT_KEYS.folder);
    expect(bandwidthText(folder)).toMatch(/^not measured for this provider: /);
    expect(bandwidthText(resultOf(depthRun(), KEYS.fp32d0))).toBe(
      '61.4 GB/s (schema 1: Float64Array copy, 256 MiB, best of 5)',
    );
  });

  it('costs an all-positions logits export only where it ran', () => {
    expect(logitsCostText(int4)).toBeNull();
    const folder = resultOf(context, CONTEXT_KEYS.folder);
    expect(logitsCostText(folder)).toBe(
      "every position's logits: 74.2 MiB per prefill where the last position needs 594 KiB",
    );
    expect(resultNotes(folder)).toHaveLength(2);
    expect(resultNotes(int4)).toEqual([]);
  });
});
