import { describe, expect, it } from 'vitest';
import {
  defaultScalingGroup,
  groupScales,
  scalingData,
  scalingGroups,
  SCALING_DECODE_AXIS,
  SCALING_PREFILL_AXIS,
  sortThreads,
  threadsLabel,
} from './scaling-data';
import { depthRun, KEYS, measuredOf, smolRun, threadsRun } from '../../test/compare-runs';

describe('scaling with threads and EPs', () => {
  it('labels and sorts thread counts numerically with the default last', () => {
    expect(threadsLabel(undefined)).toBe('default');
    expect(threadsLabel(4)).toBe('4');
    expect(sortThreads([8, undefined, 16, 2, 2])).toEqual([2, 8, 16, undefined]);
  });

  it('groups by everything but threads and EP and finds none that scales in the plain fixtures', () => {
    const groups = scalingGroups(measuredOf(depthRun(), smolRun()));
    // fp32 × 2 depths, int4 × 2 depths, smol: every group has one thread count and one EP
    expect(groups).toHaveLength(5);
    expect(groups.every((group) => !groupScales(group))).toBe(true);
    expect(defaultScalingGroup(groups)).toBeNull();
    expect(scalingData(null)).toEqual({ labels: [], datasets: [] });
  });

  it('picks the group with the most thread counts and EPs', () => {
    const groups = scalingGroups(measuredOf(threadsRun(), smolRun()));
    const best = defaultScalingGroup(groups)!;
    // smol's fp16 cache makes the KV dtype part of every label
    expect(best.label).toBe('mobilellm-r1-140m · int4 · KV float32 · d0');
    expect(best.threads).toEqual([1, 2, 4, 8, undefined]);
    expect(best.eps).toEqual(['cpu', 'webgpu']);
    expect(best.trials).toHaveLength(7);
    expect(groupScales(best)).toBe(true);
    // the others stay selectable, labelled by what they hold fixed
    expect(groups.map((group) => group.label)).toContain('smollm2-135m · q4f16 · KV float16 · d0');
  });

  it('draws decode (solid) and prefill (dashed) medians per EP against threads', () => {
    const best = defaultScalingGroup(scalingGroups(measuredOf(threadsRun())))!;
    const data = scalingData(best);
    expect(data.labels).toEqual(['1', '2', '4', '8', 'default']);
    expect(data.datasets.map((dataset) => dataset.label)).toEqual([
      'cpu · decode',
      'cpu · prefill',
      'webgpu · decode',
      'webgpu · prefill',
    ]);
    const [cpuDecode, cpuPrefill, gpuDecode, gpuPrefill] = data.datasets;
    // 8 threads is the depth run's own int4 trial (median 119.0, prefill 1101.2)
    expect(cpuDecode!.data).toEqual([31.0, 58.8, 101.5, 119.0, 117.2]);
    expect(cpuPrefill!.data).toEqual([260.2, 505.7, 900.1, 1101.2, 1090.4]);
    expect(gpuDecode!.data).toEqual([null, null, 138.9, null, 140.3]);
    expect(gpuPrefill!.data).toEqual([null, null, 2390.0, null, 2400.8]);
    expect(cpuDecode!.yAxisID).toBe(SCALING_DECODE_AXIS);
    expect(cpuPrefill!.yAxisID).toBe(SCALING_PREFILL_AXIS);
    expect(cpuDecode!.borderDash).toEqual([]);
    expect(cpuPrefill!.borderDash).toEqual([6, 4]);
    expect(cpuDecode!.borderColor).toBe(cpuPrefill!.borderColor);
    expect(gpuDecode!.borderColor).not.toBe(cpuDecode!.borderColor);
  });

  it('scales on EPs alone', () => {
    const doc = depthRun();
    const base = doc.trials.find((trial) => trial.key === KEYS.fp32d0)!;
    const gpu = structuredClone(base.result);
    gpu.spec.ep = 'cuda';
    doc.trials.push({ key: 'fp32|cuda', result: gpu });
    const best = defaultScalingGroup(scalingGroups(measuredOf(doc)))!;
    expect(best.label).toBe('mobilellm-r1-140m · fp32 · d0');
    expect(scalingData(best).labels).toEqual(['8']);
    expect(scalingData(best).datasets).toHaveLength(4);
  });
});
