import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, contextRun } from '../../../common/test/context-run';
import { distinctContexts, hasContextSweep, latencyContextData, memoryContextData } from './context-data';
import { hasDepthSweep, latencyDepthData } from './latency-depth-data';
import { depthRun, measuredOf, smolRun, trialByKey } from '../../test/compare-runs';

describe('latency and memory vs context', () => {
  const trials = measuredOf(contextRun());

  it('puts each configuration at the end of its windows on one line, whatever depth each context needed', () => {
    expect(distinctContexts(trials)).toEqual([512, 2048, 4096, 32_768]);
    expect(hasContextSweep(trials)).toBe(true);
    const [int4Ttft, int4Token, fp32Ttft] = latencyContextData(trials).datasets;
    expect(int4Ttft!.label).toBe('mobilellm-r1-140m · int4 · shared KV buffer · cpu · TTFT');
    expect(int4Ttft!.data).toEqual([
      { x: 512, y: 118.0 },
      { x: 4096, y: 121.5 },
      { x: 32_768, y: 140.2 },
    ]);
    expect(int4Token!.data.map((point) => point.y)).toEqual([8.3, 9.8, 19.1]);
    expect(int4Token!.borderDash).toEqual([6, 4]);
    expect(fp32Ttft!.data.map((point) => point.x)).toEqual([512, 4096]);
  });

  it('draws the measured peak RSS with the exact KV bytes beside it, never an extrapolation', () => {
    const [peak, kv] = memoryContextData(trials).datasets;
    const measured = (key: string) => trialByKey(trials, key).result;
    expect(peak!.data).toEqual(
      [CONTEXT_KEYS.int4c512, CONTEXT_KEYS.int4c4096, CONTEXT_KEYS.int4c32768].map((key) => ({
        x: measured(key).spec.contextTokens,
        y: measured(key).peakRssBytes,
      })),
    );
    // 23 040 bytes per token × the whole window: 720 MiB at 32K
    expect(kv!.data.at(-1)).toEqual({ x: 32_768, y: 754_974_720 });
    expect(kv!.borderColor).toBe(peak!.borderColor);
  });

  it('keeps an explicit depth its own line across contexts', () => {
    const depth0 = trials.map((trial) => {
      const copy = structuredClone(trial);
      copy.result.spec = { ...copy.result.spec, depthTokens: 0, depthSource: 'given' };
      copy.id = `${copy.id}/d0`;
      return copy;
    });
    const labels = latencyContextData([...trials, ...depth0]).datasets.map((dataset) => dataset.label);
    expect(labels).toContain('mobilellm-r1-140m · int4 · end of window · shared KV buffer · cpu · TTFT');
    expect(labels).toContain('mobilellm-r1-140m · int4 · d0 · shared KV buffer · cpu · TTFT');
  });

  it('finds no context sweep in runs measured at one context', () => {
    expect(hasContextSweep(measuredOf(depthRun(), smolRun()))).toBe(false);
  });
});

describe('latency vs depth at one context', () => {
  it('draws a line only where one context was measured at several depths', () => {
    expect(hasDepthSweep(measuredOf(depthRun()))).toBe(true);
    // every trial of the context run is at the end of its own window: one depth per context
    expect(hasDepthSweep(measuredOf(contextRun()))).toBe(false);
    expect(latencyDepthData(measuredOf(contextRun())).datasets.every((line) => line.data.length === 1)).toBe(
      true,
    );
  });
});
