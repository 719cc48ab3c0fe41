import { describe, expect, it } from 'vitest';
import { trialFixture } from './analysis/test/analysis-fixtures';
import { TrialResultSchema, type TrialResult } from './schemas';
import {
  bandwidthText,
  depthText,
  fillText,
  kvBufferText,
  logitsCostText,
  peakRssSourceText,
  resultNotes,
} from './trial-setup';

const MiB = 2 ** 20;
const model = { kind: 'catalog' as const, id: 'mobilellm-r1-140m' };

/** a trial result with `fields` over trialFixture's, validated again */
const withFields = (result: TrialResult, fields: Record<string, unknown>): TrialResult =>
  TrialResultSchema.parse({ ...result, ...fields });

/** int4 at the end of a 4096-token window, in a shared buffer, read by VmHWM, with a roofline */
const int4 = withFields(trialFixture({ spec: { model, quant: 'int4', contextTokens: 4096 } }), {
  kvSetup: {
    depthTokens: 3904,
    fill: 'synthetic',
    fillSource: 'seeded values',
    buffer: 'shared',
    bufferTokens: 4096,
  },
  peakRss: { source: 'VmHWM', timelineMaxBytes: 200 * MiB, sampleIntervalMs: 20, consistent: true },
  roofline: {
    bandwidthBytesPerSecond: 61.4e9,
    bandwidthMethod: 'streaming read',
    kernelBandwidthBytesPerSecond: 24.8e9,
    bytesPerDecodeToken: 200e6,
    boundTokensPerSecond: 307,
    efficiency: 0.4,
  },
});

/** a folder on WebGPU: every position's logits, the cache back on the host, no bandwidth for the provider */
const folder = withFields(
  trialFixture({ spec: { model: { kind: 'folder', path: '/models/qwen3' }, ep: 'webgpu' } }),
  {
    rooflineUnavailable: 'not measured for this provider: no webgpu bandwidth was measured',
    logits: { positions: 'all', prefillBytes: 74.2 * MiB, lastPositionBytes: 594 * 1024 },
    presentOnHost: true,
  },
);

/** schema 1, at a depth given explicitly: the model filled it, the cache grew, maxRSS was read */
const schema1 = (depthTokens: number): TrialResult =>
  withFields(trialFixture({ spec: { model, depthTokens } }), {
    schemaVersion: 1,
    roofline: {
      bandwidthBytesPerSecond: 61.4e9,
      bandwidthMethod: 'Float64Array copy, 256 MiB, best of 5',
      bytesPerDecodeToken: 400e6,
      boundTokensPerSecond: 153,
      efficiency: 0.1,
    },
  });

describe('what a trial ran, in words', () => {
  it('says the depth and that it is the end of the window by default', () => {
    expect(depthText(int4.spec, int4)).toBe('3904 (end of window)');
    const old = schema1(2048);
    expect(depthText(old.spec, old)).toBe('2048');
  });

  it('says how the cache was filled and held, schema 1 included', () => {
    expect(fillText(int4.spec, int4)).toBe('synthetic (seeded values)');
    expect(kvBufferText(int4.spec, int4)).toBe('shared (4096 tokens)');
    const old = schema1(2048);
    expect(fillText(old.spec, old)).toBe('model (seeded ids)');
    expect(kvBufferText(old.spec, old)).toBe('grow');
    // not run yet: what was asked for
    expect(fillText(int4.spec)).toBe('synthetic');
    expect(kvBufferText(int4.spec)).toBe('auto');
  });

  it('names the peak RSS source and its agreement with the timeline', () => {
    expect(peakRssSourceText(int4)).toBe('VmHWM, agrees with the timeline (20 ms samples)');
    expect(peakRssSourceText(schema1(0))).toContain('schema 1');
  });

  it('puts the GEMV beside the bound, and the reason where there is no roofline', () => {
    expect(bandwidthText(int4)).toBe('61.4 GB/s streaming read; onnxruntime GEMV 24.8 GB/s');
    expect(bandwidthText(folder)).toMatch(/^not measured for this provider: /);
    expect(bandwidthText(schema1(0))).toBe('61.4 GB/s (schema 1: Float64Array copy, 256 MiB, best of 5)');
  });

  it('costs an all-positions logits export only where it ran', () => {
    expect(logitsCostText(int4)).toBeNull();
    expect(logitsCostText(folder)).toBe(
      "every position's logits: 74.2 MiB per prefill where the last position needs 594 KiB",
    );
    expect(resultNotes(folder)).toHaveLength(2);
    expect(resultNotes(int4)).toEqual([]);
  });
});
