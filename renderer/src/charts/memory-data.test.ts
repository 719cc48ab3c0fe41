import { describe, expect, it } from 'vitest';
import { comparedTrials } from './compared-trial';
import { memoryData, memoryParts } from './memory-data';
import { depthRun, KEYS, trialByKey, measuredOf } from '../../test/compare-runs';

const MIB = 1024 * 1024;

describe('memory chart data', () => {
  it('splits peak RSS into weights, KV cache and the rest', () => {
    const fp32 = trialByKey(measuredOf(depthRun()), KEYS.fp32d0).result;
    // 706 MiB peak, 560 994 048 B weights, 23 040 B/token × 192 tokens of KV
    expect(memoryParts(fp32)).toEqual({
      peakRssBytes: 706 * MIB,
      weightsBytes: 560_994_048,
      kvBytes: 4_423_680,
      runtimeBytes: 706 * MIB - 560_994_048 - 4_423_680,
    });
  });

  it('floors runtime at zero when weights and KV exceed the peak (shared pages counted once)', () => {
    const fp32 = trialByKey(measuredOf(depthRun()), KEYS.fp32d0).result;
    expect(memoryParts({ ...fp32, peakRssBytes: 500 * MIB })?.runtimeBytes).toBe(0);
  });

  it('stacks the three parts per trial and leaves out a trial that never measured memory', () => {
    const run = depthRun();
    const data = memoryData(comparedTrials([run]));
    expect(data.labels).toHaveLength(4); // the out-of-memory trial has no peak
    const [weights, kv, runtime] = data.datasets;
    expect(weights!.data).toEqual(run.trials.slice(0, 4).map(({ result }) => result.model!.weightsBytes));
    expect(kv!.data).toEqual(run.trials.slice(0, 4).map(({ result }) => result.kvCache!.exactBytes));
    data.labels.forEach((_, index) => {
      expect(weights!.data[index]! + kv!.data[index]! + runtime!.data[index]!).toBe(
        run.trials[index]!.result.peakRssBytes,
      );
    });
    expect(new Set(data.datasets.map((dataset) => dataset.stack))).toEqual(new Set(['peak']));
  });
});
