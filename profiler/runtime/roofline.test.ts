import { describe, expect, it } from 'vitest';
import { RooflineSchema, type RooflineBandwidth } from '../api';
import { roofline } from './roofline';

const bandwidth: Extract<RooflineBandwidth, { status: 'measured' }> = {
  status: 'measured',
  ep: 'cpu',
  bytesPerSecond: 40e9,
  method: 'test stream',
  spread: 0.01,
  measuredAt: '2026-12-05T00:00:00.000Z',
  fromCache: true,
  kernel: { bytesPerSecond: 25e9, method: 'test gemv', spread: 0.02 },
};

describe('roofline', () => {
  it('divides the bandwidth by the weights read plus the KV cache per decode token', () => {
    const result = roofline({
      bandwidth,
      weightBytesPerDecodeToken: 800_000_000,
      kvBytesPerToken: 100_000,
      kvTokens: 2000,
      measuredDecodeTokensPerSecond: 30,
    });
    expect(RooflineSchema.parse(result)).toEqual(result);
    expect(result).toEqual({
      bandwidthBytesPerSecond: 40e9,
      bandwidthMethod: 'test stream',
      bandwidthMeasuredAt: '2026-12-05T00:00:00.000Z',
      kernelBandwidthBytesPerSecond: 25e9,
      kernelBandwidthMethod: 'test gemv',
      bytesPerDecodeToken: 1_000_000_000,
      weightBytesPerDecodeToken: 800_000_000,
      kvBytesPerDecodeToken: 200_000_000,
      boundTokensPerSecond: 40,
      efficiency: 0.75,
    });
  });

  it('refuses numbers that give no bound', () => {
    const base = {
      bandwidth,
      weightBytesPerDecodeToken: 1e6,
      kvBytesPerToken: 0,
      kvTokens: 0,
      measuredDecodeTokensPerSecond: 1,
    };
    expect(() => roofline({ ...base, bandwidth: { ...bandwidth, bytesPerSecond: 0 } })).toThrow(
      /bandwidth must be positive/,
    );
    expect(() => roofline({ ...base, kvTokens: -1 })).toThrow(/kvTokens must be a finite number/);
    expect(() => roofline({ ...base, weightBytesPerDecodeToken: 0 })).toThrow(/reads no bytes/);
  });
});
