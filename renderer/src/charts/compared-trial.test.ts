import { describe, expect, it } from 'vitest';
import { comparedTrials, distinguishingLabels, isMeasured, seriesIdentity } from './compared-trial';
import { depthRun, KEYS, measuredOf, smolRun } from '../../test/compare-runs';

describe('compared trials', () => {
  it('gives every trial of every run an id unique across runs, and keeps failed trials out of the measured', () => {
    const trials = comparedTrials([depthRun(), smolRun()]);
    expect(trials.map((trial) => trial.id)).toEqual([
      `r1-140m-depths/${KEYS.fp32d0}`,
      `r1-140m-depths/${KEYS.fp32d2048}`,
      `r1-140m-depths/${KEYS.int4d0}`,
      `r1-140m-depths/${KEYS.int4d2048}`,
      `r1-140m-depths/${KEYS.big}`,
      `smol-q4f16/${KEYS.smol}`,
    ]);
    expect(trials.filter(isMeasured)).toHaveLength(5);
  });

  it('labels name model and preset, and only the other dimensions the trials differ in', () => {
    expect(distinguishingLabels(measuredOf(depthRun()))).toEqual([
      'mobilellm-r1-140m · fp32 · d0',
      'mobilellm-r1-140m · fp32 · d2048',
      'mobilellm-r1-140m · int4 · d0',
      'mobilellm-r1-140m · int4 · d2048',
    ]);
    const both = measuredOf(depthRun(), smolRun());
    // the runs hold different configurations: no run name needed
    expect(distinguishingLabels(both).at(-1)).toBe('smollm2-135m · q4f16 · KV float16 · d0');
    expect(distinguishingLabels([both[0]!, both[4]!], ['depth'])).toEqual([
      'mobilellm-r1-140m · fp32 · KV float32',
      'smollm2-135m · q4f16 · KV float16',
    ]);
  });

  it('names the run where two runs measured the same configuration', () => {
    const again = { ...depthRun(), id: 'again', name: 'Second try' };
    const labels = distinguishingLabels(measuredOf(depthRun(), again));
    expect(labels[0]).toBe('mobilellm-r1-140m · fp32 · d0 · MobileLLM-R1 140M: fp32 vs int4 by depth');
    expect(labels[4]).toBe('mobilellm-r1-140m · fp32 · d0 · Second try');
  });

  it('names the device where the same configuration ran on two machines (runs copied from agents)', () => {
    const onDevice = (id: string, device: string) => {
      const run = depthRun();
      return {
        ...run,
        id,
        name: `${device} run`,
        trials: run.trials.map((entry) => ({
          ...entry,
          result: { ...entry.result, environment: { ...entry.result.environment, device } },
        })),
      };
    };
    const labels = distinguishingLabels(
      measuredOf(onDevice('a', 'raspberry-pi-5'), onDevice('b', 'jetson-orin')),
    );
    expect(labels[0]).toBe('mobilellm-r1-140m · fp32 · d0 · raspberry-pi-5');
    expect(labels[4]).toBe('mobilellm-r1-140m · fp32 · d0 · jetson-orin');
    const [onA] = measuredOf(onDevice('a', 'raspberry-pi-5'));
    const [onB] = measuredOf(onDevice('b', 'jetson-orin'));
    expect(seriesIdentity(onA!, ['depth'])).not.toBe(seriesIdentity(onB!, ['depth']));
  });

  it('puts trials that differ only in depth in one series', () => {
    const [fp32d0, fp32d2048, int4d0] = measuredOf(depthRun());
    expect(seriesIdentity(fp32d0!, ['depth'])).toBe(seriesIdentity(fp32d2048!, ['depth']));
    expect(seriesIdentity(fp32d0!, ['depth'])).not.toBe(seriesIdentity(int4d0!, ['depth']));
  });
});
