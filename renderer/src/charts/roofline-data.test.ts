import { describe, expect, it } from 'vitest';
import { rooflineData } from './roofline-data';
import { depthRun, measuredOf, tinyBesideR1Run } from '../../test/compare-runs';

describe('roofline data', () => {
  it('puts the measured decode rate beside the memory-bandwidth bound of each configuration', () => {
    const trials = measuredOf(depthRun());
    const data = rooflineData(trials);
    const [measured, bound] = data.datasets;
    // the medians: what the engine's efficiency divides by the bound
    expect(measured!.data).toEqual([62.1, 47.9, 119.0, 84.6]);
    expect(measured!.data[0]! / bound!.data[0]!).toBeCloseTo(data.efficiencies[0]!, 10);
    expect(bound!.data).toEqual(trials.map((trial) => trial.result.roofline!.boundTokensPerSecond));
    // 61.4 GB/s ÷ (560 994 048 B weights + 4 423 680 B KV)
    expect(bound!.data[0]).toBeCloseTo(61.4e9 / (560_994_048 + 4_423_680), 6);
    expect(data.efficiencies).toEqual(trials.map((trial) => trial.result.roofline!.efficiency));
  });

  it('leaves out a trial without a roofline', () => {
    const trials = measuredOf(depthRun());
    delete trials[1]!.result.roofline;
    expect(rooflineData(trials).labels).toHaveLength(3);
  });

  it('keeps a linear axis when every measured rate is within 10× of its bound', () => {
    const data = rooflineData(measuredOf(depthRun()));
    expect(data.logScale).toBe(false);
    expect(data.notMemoryBound).toEqual([]);
  });

  it('turns the axis logarithmic and names a model decoding far below its bound as not memory-bound', () => {
    const data = rooflineData(measuredOf(tinyBesideR1Run()));
    const tiny = data.labels.findIndex((label) => label.startsWith('ui-tiny'));
    // 2 MiB of weights: the bound is hundreds of times what it measured
    expect(data.efficiencies[tiny]).toBeLessThan(0.01);
    expect(data.logScale).toBe(true);
    expect(data.notMemoryBound.map((entry) => entry.label)).toEqual([data.labels[tiny]]);
  });
});
