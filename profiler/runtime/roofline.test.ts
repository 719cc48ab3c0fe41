import { describe, expect, it } from 'vitest';
import { RooflineSchema } from '../api';
import { roofline } from './roofline';

describe('roofline', () => {
  it('divides bandwidth by weights plus the whole KV cache per decode token', () => {
    const result = roofline({
      bandwidthBytesPerSecond: 40e9,
      method: 'test',
      weightsBytes: 800_000_000,
      kvBytesPerToken: 100_000,
      kvTokens: 2000,
      measuredDecodeTokensPerSecond: 30,
    });
    expect(RooflineSchema.parse(result)).toEqual(result);
    expect(result).toEqual({
      bandwidthBytesPerSecond: 40e9,
      bandwidthMethod: 'test',
      bytesPerDecodeToken: 1_000_000_000,
      boundTokensPerSecond: 40,
      efficiency: 0.75,
    });
  });

  it('refuses numbers that give no bound', () => {
    const base = {
      bandwidthBytesPerSecond: 1e9,
      method: 'test',
      weightsBytes: 1e6,
      kvBytesPerToken: 0,
      kvTokens: 0,
      measuredDecodeTokensPerSecond: 1,
    };
    expect(() => roofline({ ...base, bandwidthBytesPerSecond: 0 })).toThrow(/bandwidth must be positive/);
    expect(() => roofline({ ...base, kvTokens: -1 })).toThrow(/kvTokens must be a finite number/);
    expect(() => roofline({ ...base, weightsBytes: 0 })).toThrow(/reads no bytes/);
  });
});
