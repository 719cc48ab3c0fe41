import { describe, expect, it } from 'vitest';
import { qualityPoints, qualityScatterData, runsHaveQuality } from './pareto';
import { depthRun, importedDepthRun, measuredOf, smolRun } from '../../test/compare-runs';

describe('quality vs speed', () => {
  it('knows which runs measured quality', () => {
    expect(runsHaveQuality([depthRun()])).toBe(true);
    expect(runsHaveQuality([smolRun()])).toBe(false);
  });

  it('gives a catalog model (seeded weights) no quality point, whatever its run recorded', () => {
    const run = depthRun();
    expect(qualityPoints(measuredOf(run), new Map([[run.id, run.quality]]))).toEqual([]);
  });

  it('gives fp32 KL 0 and the quantized trials their report’s KL, at their median decode rate', () => {
    const run = importedDepthRun();
    const points = qualityPoints(measuredOf(run, smolRun()), new Map([[run.id, run.quality]]));
    expect(
      points.map(({ label, decodeTokensPerSecond, klMean, source }) => ({
        label,
        decodeTokensPerSecond,
        klMean,
        source,
      })),
    ).toEqual([
      {
        label: 'facebook_MobileLLM-R1-140M-fused · fp32 · d0',
        decodeTokensPerSecond: 62.1,
        klMean: 0,
        source: 'reference',
      },
      {
        label: 'facebook_MobileLLM-R1-140M-fused · fp32 · d2048',
        decodeTokensPerSecond: 47.9,
        klMean: 0,
        source: 'reference',
      },
      {
        label: 'facebook_MobileLLM-R1-140M-fused · int4 · d0',
        decodeTokensPerSecond: 119.0,
        klMean: 0.0213,
        source: 'measured',
      },
      {
        label: 'facebook_MobileLLM-R1-140M-fused · int4 · d2048',
        decodeTokensPerSecond: 84.6,
        klMean: 0.0213,
        source: 'measured',
      },
      // the SmolLM2 run has no quality report: left out
    ]);
  });

  it('draws each workload’s front as a line from slowest to fastest and the dominated as points', () => {
    const run = importedDepthRun();
    const points = qualityPoints(measuredOf(run), new Map([[run.id, run.quality]]));
    expect(points.map((point) => point.workload)).toEqual([
      'pp128+tg64',
      'pp128+tg64 @ d2048',
      'pp128+tg64',
      'pp128+tg64 @ d2048',
    ]);
    // a deeper cache is a harder job: depth 2048 is not dominated by depth 0
    const slowInt8 = { ...points[2]!, id: 'int8', label: 'int8', decodeTokensPerSecond: 70, klMean: 0.03 };
    const [atDepth0, atDepth2048, dominated] = qualityScatterData([...points, slowInt8]).datasets;
    expect(atDepth0!.label).toBe('Pareto front, pp128+tg64');
    expect(atDepth0!.showLine).toBe(true);
    expect(atDepth0!.data).toEqual([
      { x: 62.1, y: 0 },
      { x: 119.0, y: 0.0213 },
    ]);
    expect(atDepth0!.pointLabels).toEqual([
      'facebook_MobileLLM-R1-140M-fused · fp32 · d0',
      'facebook_MobileLLM-R1-140M-fused · int4 · d0',
    ]);
    expect(atDepth2048!.data).toEqual([
      { x: 47.9, y: 0 },
      { x: 84.6, y: 0.0213 },
    ]);
    expect(dominated!.showLine).toBe(false);
    expect(dominated!.data).toEqual([{ x: 70, y: 0.03 }]);
    expect(dominated!.pointLabels).toEqual(['int8']);
  });

  it('calls a single workload’s front just "Pareto front"', () => {
    const run = importedDepthRun();
    const points = qualityPoints(measuredOf(run), new Map([[run.id, run.quality]])).filter(
      (point) => point.workload === 'pp128+tg64',
    );
    expect(qualityScatterData(points).datasets.map((dataset) => dataset.label)).toEqual([
      'Pareto front',
      'dominated',
    ]);
  });
});
