import { describe, expect, it } from 'vitest';
import { DECODE_AXIS, PREFILL_AXIS, throughputData } from './throughput-data';
import { depthRun, KEYS, measuredOf, trialByKey } from '../../test/compare-runs';

describe('throughput chart data', () => {
  const trials = measuredOf(depthRun());
  const data = throughputData(trials);

  it('has one group per configuration with the documents’ decode and prefill means and standard deviations', () => {
    const [decode, prefill] = data.datasets;
    expect(data.labels).toHaveLength(4);
    expect(decode!.label).toBe('decode tok/s');
    expect(decode!.yAxisID).toBe(DECODE_AXIS);
    expect(prefill!.yAxisID).toBe(PREFILL_AXIS);
    expect(decode!.data).toEqual([61.8, 48.3, 118.4, 84.0]);
    expect(decode!.errorBars).toEqual([1.2, 2.9, 2.3, 1.9]);
    expect(prefill!.data).toEqual(trials.map((trial) => trial.result.summary.prefillTokensPerSecond!.mean));
    expect(prefill!.errorBars[2]).toBe(
      trialByKey(trials, KEYS.int4d0).result.summary.prefillTokensPerSecond!.std,
    );
  });

  it('draws no whisker for a single repetition', () => {
    const single = measuredOf(depthRun()).slice(0, 1);
    single[0]!.result.summary.decodeTokensPerSecond!.n = 1;
    expect(throughputData(single).datasets[0]!.errorBars).toEqual([null]);
    expect(throughputData(single).datasets[0]!.n).toEqual([1]);
  });
});
