import { describe, expect, it } from 'vitest';
import { RunAnalysisSchema } from '../schemas';
import { runFixture, trialFixture } from './test/analysis-fixtures';
import { customTarget, presetTargets, thisMachineTarget } from './device-targets';
import { analyzeRun } from './run-analysis';

const GiB = 2 ** 30;
const board = customTarget('name=Board,ram=2GB,bandwidth=10GB/s');

/**
 * MobileLLM-R1 140M at fp32 and int4, measured where 61.4 GB/s was read (its KV cache: 15 layers × 3 KV
 * heads × 64 dims in fp32), and one trial that failed.
 */
function exampleRun() {
  const model = { kind: 'catalog' as const, id: 'mobilellm-r1-140m' };
  const facts = { numLayers: 15, kvHeads: 3, headDim: 64, maxContextTokens: 32768 };
  const measured = (quant: 'fp32' | 'int4', decodeTokensPerSecond: number, weightsBytes: number) =>
    trialFixture({
      spec: { model, quant, threads: 8 },
      decodeTokensPerSecond,
      bandwidthBytesPerSecond: 61.4e9,
      peakRssBytes: 2 * weightsBytes,
      model: { ...facts, weightsBytes },
      kvCache: { tokens: 2048, bytesPerToken: 2 * 15 * 3 * 64 * 4 },
    });
  return runFixture([
    measured('fp32', 60, 561e6),
    measured('int4', 120, 181e6),
    trialFixture({
      spec: { model: { kind: 'catalog', id: 'mobilellm-r1-950m' }, quant: 'int4' },
      status: 'failed',
    }),
  ]);
}

describe('analyzeRun', () => {
  const doc = exampleRun();
  const analysis = analyzeRun(doc, {
    targets: [...presetTargets, board],
    goal: { minDecodeTokensPerSecond: 50 },
  });

  it('is plain data the exporters can take: it parses with RunAnalysisSchema unchanged', () => {
    expect(RunAnalysisSchema.parse(JSON.parse(JSON.stringify(analysis)))).toEqual(analysis);
  });

  it('judges every ok trial on every target, in the order given, with the goal', () => {
    const ok = doc.trials.filter((trial) => trial.result.status === 'ok');
    expect(analysis.verdicts.map((row) => row.key)).toEqual(ok.map((trial) => trial.key));
    for (const row of analysis.verdicts) {
      expect(row.verdicts.map((verdict) => verdict.targetId)).toEqual(
        [...presetTargets, board].map((t) => t.id),
      );
      for (const verdict of row.verdicts) {
        expect(verdict.decode.projected).toBe(true);
        expect(verdict.latency.decode).toBe(verdict.decode.tokensPerSecond! >= 50 ? 'meets' : 'misses');
      }
    }
    expect(analysis.goal).toEqual({ minDecodeTokensPerSecond: 50 });
    expect(analysis.hereBandwidthsBytesPerSecond).toEqual([61.4e9]);
    expect(analysis.projectionBasis).toContain('61.4 GB/s measured where the run ran');
  });

  it('has one KV report per measured variant, at 512…32K plus the run contexts', () => {
    expect(analysis.kvPressure.map((report) => report.label)).toEqual([
      'mobilellm-r1-140m · fp32',
      'mobilellm-r1-140m · int4',
    ]);
    expect(analysis.kvPressure[0]!.bytesPerToken).toBe(2 * 15 * 3 * 64 * 4);
    expect(analysis.contextsTokens).toEqual([512, 1024, 2048, 4096, 8192, 16384, 32768]);
    expect(analysis.kvPressure[0]!.targets.map((fit) => fit.targetId)).toEqual(
      [...presetTargets, board].map((t) => t.id),
    );
    // one depth only: no slowdown line
    expect(analysis.decodeSlowdown).toEqual([]);
    expect(analysis.tradeoff.points).toHaveLength(2);
    expect(analysis.tradeoff.accuracy.map((model) => model.quant)).toEqual(['fp32', 'int4']);
  });

  it('keeps the largest overhead of a variant measured twice, adds the run contexts, and fits slowdown lines', () => {
    const model = { kind: 'catalog' as const, id: 'mobilellm-r1-950m' };
    const trial = (depthTokens: number, perTokenMs: number, peakRssBytes: number) =>
      trialFixture({
        spec: { model, quant: 'int4', depthTokens, contextTokens: 6000 },
        perTokenMs,
        peakRssBytes,
        model: { weightsBytes: 0.5 * GiB },
      });
    const run = runFixture([trial(0, 10, GiB), trial(2000, 12, 1.5 * GiB), trial(4000, 14, 1.2 * GiB)]);
    const result = analyzeRun(run, { targets: [board] });
    expect(result.contextsTokens).toContain(6000);
    expect(result.kvPressure).toHaveLength(1);
    const kvBytes = 192 * 4096; // the fixture's KV cache
    expect(result.kvPressure[0]!.overheadBytes).toBe(1.5 * GiB - 0.5 * GiB - kvBytes);
    expect(result.decodeSlowdown).toHaveLength(1);
    expect(result.decodeSlowdown[0]!.msPer1KTokens).toBeCloseTo(1, 10);
    expect(result.goal).toEqual({});
    expect(result.verdicts.flatMap((row) => row.verdicts.map((v) => v.latency.status))).toEqual([
      'no-goal',
      'no-goal',
      'no-goal',
    ]);
  });

  it('projects nothing on this machine, where the trials ran', () => {
    const here = thisMachineTarget(61.4e9, doc.environment.totalMemoryBytes!);
    const computed = analyzeRun(doc, { targets: [here] });
    const onThisMachine = computed.verdicts.map((row) => row.verdicts[0]!);
    expect(onThisMachine.every((v) => v.ranOnTarget && !v.decode.projected)).toBe(true);
  });
});

describe('a folder model on the verdict matrix', () => {
  it("is named by the folder's name, the same label as every screen, with its whole path for hover", () => {
    const model = { kind: 'folder' as const, path: '/home/me/models/ui-tiny' };
    const doc = runFixture([trialFixture({ spec: { model, quant: 'fp32', contextTokens: 512 } })]);
    const [row] = analyzeRun(doc, { targets: [board] }).verdicts;
    expect(row?.label).toMatch(/^ui-tiny · fp32 · ctx 512 · /);
    expect(row?.label).not.toContain('/home/me');
    expect(row?.title).toMatch(/^\/home\/me\/models\/ui-tiny · fp32 · ctx 512 · /);
  });
});
