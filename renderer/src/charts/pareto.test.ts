import { describe, expect, it } from 'vitest';
import { paretoFront, qualityModelKey, qualityPoints, qualityScatterData, runsHaveQuality } from './pareto';
import { depthRun, measuredOf, smolRun } from './test-fixtures';

describe('quality vs speed', () => {
  it('files quality under the engine’s model key', () => {
    expect(
      qualityModelKey({ kind: 'catalog', id: 'mobilellm-r1-140m', overrides: {}, style: 'fused', seed: 0 }),
    ).toBe('mobilellm-r1-140m fused');
    expect(
      qualityModelKey({
        kind: 'catalog',
        id: 'mobilellm-r1-140m',
        overrides: { num_hidden_layers: 4 },
        style: 'standard',
        seed: 0,
      }),
    ).toBe('mobilellm-r1-140m[num_hidden_layers=4] standard');
    expect(qualityModelKey({ kind: 'folder', path: '/models/smol' })).toBe('/models/smol');
  });

  it('knows which runs measured quality', () => {
    expect(runsHaveQuality([depthRun()])).toBe(true);
    expect(runsHaveQuality([smolRun()])).toBe(false);
  });

  it('gives fp32 KL 0 and the quantized trials their report’s KL, at their median decode rate', () => {
    const run = depthRun();
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
        label: 'mobilellm-r1-140m · fp32 · depth 0',
        decodeTokensPerSecond: 62.1,
        klMean: 0,
        source: 'reference',
      },
      {
        label: 'mobilellm-r1-140m · fp32 · depth 2048',
        decodeTokensPerSecond: 47.9,
        klMean: 0,
        source: 'reference',
      },
      {
        label: 'mobilellm-r1-140m · int4 · depth 0',
        decodeTokensPerSecond: 119.0,
        klMean: 0.0213,
        source: 'measured',
      },
      {
        label: 'mobilellm-r1-140m · int4 · depth 2048',
        decodeTokensPerSecond: 84.6,
        klMean: 0.0213,
        source: 'measured',
      },
      // the SmolLM2 run has no quality report: left out
    ]);
  });

  it('marks the points no other point beats on both speed and KL', () => {
    const points = [
      { decodeTokensPerSecond: 62, klMean: 0 }, // fastest exact: front
      { decodeTokensPerSecond: 48, klMean: 0 }, // slower, same KL: dominated
      { decodeTokensPerSecond: 119, klMean: 0.02 }, // fastest: front
      { decodeTokensPerSecond: 85, klMean: 0.02 }, // dominated by 119
      { decodeTokensPerSecond: 100, klMean: 0.01 }, // between: front
      { decodeTokensPerSecond: 100, klMean: 0.01 }, // its twin: front too
    ];
    expect(paretoFront(points)).toEqual([true, false, true, false, true, true]);
  });

  it('draws each workload’s front as a line from slowest to fastest and the dominated as points', () => {
    const run = depthRun();
    const points = qualityPoints(measuredOf(run), new Map([[run.id, run.quality]]));
    expect(points.map((point) => point.workload)).toEqual([
      'depth 0 · P128/G64',
      'depth 2048 · P128/G64',
      'depth 0 · P128/G64',
      'depth 2048 · P128/G64',
    ]);
    // a deeper cache is a harder job: depth 2048 is not dominated by depth 0
    const slowInt8 = { ...points[2]!, id: 'int8', label: 'int8', decodeTokensPerSecond: 70, klMean: 0.03 };
    const [atDepth0, atDepth2048, dominated] = qualityScatterData([...points, slowInt8]).datasets;
    expect(atDepth0!.label).toBe('Pareto front, depth 0 · P128/G64');
    expect(atDepth0!.showLine).toBe(true);
    expect(atDepth0!.data).toEqual([
      { x: 62.1, y: 0 },
      { x: 119.0, y: 0.0213 },
    ]);
    expect(atDepth0!.pointLabels).toEqual([
      'mobilellm-r1-140m · fp32 · depth 0',
      'mobilellm-r1-140m · int4 · depth 0',
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
    const run = depthRun();
    const points = qualityPoints(measuredOf(run), new Map([[run.id, run.quality]])).filter((point) =>
      point.workload.startsWith('depth 0 '),
    );
    expect(qualityScatterData(points).datasets.map((dataset) => dataset.label)).toEqual([
      'Pareto front',
      'dominated',
    ]);
  });
});
