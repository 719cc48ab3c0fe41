import { describe, expect, it } from 'vitest';
import { TradeoffAnalysisSchema } from '../schemas';
import { getCatalogEntry, type PublishedScores } from '../catalog';
import { qualityReport } from '../test/run-document';
import { runFixture, trialFixture } from './test/analysis-fixtures';
import { modelKey as modelKeyOf } from '../labels';
import type { QuantPresetName } from '../quant-presets';
import { accuracyPerCost, tradeoffAnalysis, tradeoffPoints } from './tradeoff';

const GiB = 2 ** 30;

describe('trade-off points of a run', () => {
  const model = { kind: 'catalog' as const, id: 'mobilellm-r1-950m' };
  const trial = (
    quant: QuantPresetName,
    decodeTokensPerSecond: number,
    peakRssBytes: number,
    depthTokens = 0,
  ) =>
    trialFixture({
      spec: { model, quant, depthTokens, contextTokens: 8192 },
      decodeTokensPerSecond,
      peakRssBytes,
      perTokenMs: 1000 / decodeTokensPerSecond,
      model: { weightsBytes: quant === 'fp32' ? 4 * GiB : GiB },
    });
  const modelKey = modelKeyOf(trial('fp32', 5, GiB).spec.model); // the parsed spec, with its defaults
  const run = runFixture(
    [
      trial('fp32', 5, 5 * GiB), // t0: the reference
      trial('int4', 20, 1.5 * GiB), // t1: measured quality
      trial('int8', 10, 2 * GiB), // t2: no quality entry
      trial('int4', 2, 1.5 * GiB, 4096), // t3: deeper workload
    ],
    [{ modelKey, quant: 'int4', report: qualityReport(0.05, 0.9) }],
  );

  it('attaches quality: fp32 is the reference, others from the run’s quality entries', () => {
    const points = tradeoffPoints(run);
    expect(points.map((p) => p.quality)).toEqual([
      { klMean: 0, top1Agreement: 1, source: 'reference' },
      { klMean: 0.05, top1Agreement: 0.9, source: 'measured' },
      null,
      { klMean: 0.05, top1Agreement: 0.9, source: 'measured' },
    ]);
  });

  it('marks the Pareto set within each workload', () => {
    const points = tradeoffPoints(run);
    const byKey = new Map(points.map((p) => [p.key, p]));
    expect(byKey.get('t1')!.paretoOptimal).toBe(true); // fastest, smallest
    expect(byKey.get('t2')!.dominatedBy).toEqual(['t1']); // slower and bigger; no KL to save it
    // fp32's KL of 0 cannot be weighed against int8's unmeasured quality: speed and memory decide
    expect(byKey.get('t0')!.dominatedBy).toEqual(['t2']); // int4 (t1) is faster but drifts from fp32
    expect(byKey.get('t3')!.paretoOptimal).toBe(true); // alone at depth 4096
    expect(byKey.get('t3')!.workload).toBe('pp128+tg64 @ d4096');
  });

  it('leaves failed trials out and validates as the shared schema', () => {
    const withFailure = runFixture([...run.trials.map((t) => t.result), trialFixture({ status: 'failed' })]);
    const analysis = tradeoffAnalysis(withFailure);
    expect(analysis.points).toHaveLength(4);
    expect(TradeoffAnalysisSchema.parse(analysis)).toEqual(analysis);
  });
});

describe('accuracy per cost', () => {
  const scores: PublishedScores = {
    row: 'Fixture',
    math500: { percent: 50, source: 'math source' },
    gsm8k: { percent: null, source: 'not reported' },
    aime24: { percent: 10, source: 'aime source' },
    aime25: { percent: null, source: 'not reported' },
    liveCodeBenchV6: { percent: null, source: 'not reported' },
  };

  it('divides each published score by weights GiB and by per-token p50 ms, skipping nulls', () => {
    expect(accuracyPerCost(scores, 2 * GiB, 10)).toEqual([
      {
        benchmark: 'math500',
        percent: 50,
        source: 'math source',
        percentPerWeightsGiB: 25,
        percentPerTokenMs: 5,
      },
      {
        benchmark: 'aime24',
        percent: 10,
        source: 'aime source',
        percentPerWeightsGiB: 5,
        percentPerTokenMs: 1,
      },
    ]);
    expect(() => accuracyPerCost(scores, 0, 10)).toThrow(/positive/);
  });

  it('puts catalog models’ published scores, with their source, beside the measured cost', () => {
    const entry = getCatalogEntry('mobilellm-r1-950m');
    const run = runFixture([
      trialFixture({
        spec: { model: { kind: 'catalog', id: entry.id }, quant: 'int4' },
        perTokenMs: 20,
        model: { weightsBytes: 0.5 * GiB },
      }),
      trialFixture({
        spec: { model: { kind: 'catalog', id: entry.id, overrides: { num_hidden_layers: 4 } } },
        model: { weightsBytes: GiB },
      }),
    ]);
    const [cost, ...rest] = tradeoffAnalysis(run).accuracy;
    expect(rest).toHaveLength(0); // the what-if variant has no published score
    expect(cost!.displayName).toBe('MobileLLM-R1-950M');
    const math = cost!.scores.find((s) => s.benchmark === 'math500')!;
    expect(math.percent).toBe(entry.scores.math500.percent);
    expect(math.percentPerWeightsGiB).toBeCloseTo(entry.scores.math500.percent! / 0.5, 10);
    expect(math.percentPerTokenMs).toBeCloseTo(entry.scores.math500.percent! / 20, 10);
    expect(math.source).toBe(entry.scores.math500.source);
    expect(cost!.note).toMatch(/not re-measured/);
  });
});
