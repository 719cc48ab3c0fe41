import { describe, expect, it } from 'vitest';
import { distinctDepths, latencyDepthData, TOKEN_AXIS, TTFT_AXIS } from './latency-depth-data';
import { depthRun, measuredOf, smolRun } from '../../test/compare-runs';

describe('latency vs depth data', () => {
  it('finds the depths the trials ran at', () => {
    expect(distinctDepths(measuredOf(depthRun()))).toEqual([0, 2048]);
    expect(distinctDepths(measuredOf(smolRun()))).toEqual([0]);
  });

  it('draws TTFT and p50 per token against depth, one pair of lines per model × quant', () => {
    const data = latencyDepthData(measuredOf(depthRun()));
    expect(data.datasets.map((dataset) => dataset.label)).toEqual([
      'mobilellm-r1-140m · fp32 · TTFT',
      'mobilellm-r1-140m · fp32 · p50 per token',
      'mobilellm-r1-140m · int4 · TTFT',
      'mobilellm-r1-140m · int4 · p50 per token',
    ]);
    const [fp32Ttft, fp32Token, int4Ttft, int4Token] = data.datasets;
    expect(fp32Ttft!.yAxisID).toBe(TTFT_AXIS);
    expect(fp32Token!.yAxisID).toBe(TOKEN_AXIS);
    expect(fp32Ttft!.data).toEqual([
      { x: 0, y: 152.4 },
      { x: 2048, y: 212.9 },
    ]);
    expect(fp32Token!.data).toEqual([
      { x: 0, y: 16.1 },
      { x: 2048, y: 20.8 },
    ]);
    expect(int4Ttft!.data).toEqual([
      { x: 0, y: 117.8 },
      { x: 2048, y: 160.1 },
    ]);
    expect(int4Token!.borderColor).toBe(int4Ttft!.borderColor);
    expect(int4Token!.borderDash).toEqual([6, 4]);
  });

  it('sorts each line by depth whatever order the trials finished in', () => {
    const data = latencyDepthData(measuredOf(depthRun()).reverse());
    expect(data.datasets[0]!.data.map((point) => point.x)).toEqual([0, 2048]);
  });
});
