import { describe, expect, it } from 'vitest';
import { opsData, OTHER_OPS } from './ops-data';
import { INT4_OPS } from '../../test/compare-runs';

describe('op breakdown data', () => {
  it('shows each operator’s share of prefill and decode in percent, heaviest first, with its ms', () => {
    const data = opsData(INT4_OPS);
    expect(data.labels).toEqual([
      'com.microsoft.MatMulNBits',
      'com.microsoft.GroupQueryAttention',
      'com.microsoft.SimplifiedLayerNormalization',
      'Mul',
      'com.microsoft.GatherBlockQuantized',
      'Sigmoid',
    ]);
    const [prefill, decode] = data.datasets;
    expect(prefill!.label).toBe('prefill');
    expect(prefill!.data).toEqual([58, 20, 8, 6, 4, 4].map((percent) => expect.closeTo(percent, 10)));
    expect(prefill!.totalsMs).toEqual([61.2, 21.1, 8.4, 6.3, 4.2, 4.2]);
    // decode never ran GatherBlockQuantized in the profile
    expect(decode!.data[4]).toBe(0);
    expect(decode!.totalsMs).toEqual([248.0, 92.0, 24.0, 20.0, 0, 16.0]);
  });

  it('sums the operators past the limit as "other"', () => {
    const data = opsData(INT4_OPS, 3);
    expect(data.labels).toEqual([
      'com.microsoft.MatMulNBits',
      'com.microsoft.GroupQueryAttention',
      'com.microsoft.SimplifiedLayerNormalization',
      OTHER_OPS,
    ]);
    expect(data.datasets[0]!.totalsMs[3]).toBeCloseTo(6.3 + 4.2 + 4.2);
    expect(data.datasets[1]!.data[3]).toBeCloseTo((0.05 + 0.04) * 100);
  });
});
