import { describe, expect, it } from 'vitest';
import { trialFixture } from './analysis/test/analysis-fixtures';
import { distinguishingLabels, seriesKey, type DimensionedTrial } from './trial-dimensions';
import type { TrialSpecInput } from './schemas';

const model = { kind: 'catalog' as const, id: 'mobilellm-r1-140m' };
const trial = (spec: Partial<TrialSpecInput>, runName?: string): DimensionedTrial => {
  const result = trialFixture({ spec: { model, quant: 'int4', ...spec } });
  return { spec: result.spec, result, ...(runName ? { runId: runName, runName } : {}) };
};

describe('labels that tell trials apart', () => {
  it('name model and preset always, then only what differs, in trialLabel’s words and order', () => {
    expect(distinguishingLabels([trial({ depthTokens: 0 }), trial({ depthTokens: 2048 })])).toEqual([
      'mobilellm-r1-140m · int4 · d0',
      'mobilellm-r1-140m · int4 · d2048',
    ]);
    expect(
      distinguishingLabels([
        trial({ depthTokens: 0, promptTokens: 128 }),
        trial({ depthTokens: 2048, promptTokens: 512 }),
      ]),
    ).toEqual([
      'mobilellm-r1-140m · int4 · pp128+tg64 @ d0',
      'mobilellm-r1-140m · int4 · pp512+tg64 @ d2048',
    ]);
    expect(distinguishingLabels([trial({ threads: 2 }), trial({ threads: 8, ep: 'cuda' })])).toEqual([
      'mobilellm-r1-140m · int4 · cpu 2t',
      'mobilellm-r1-140m · int4 · cuda 8t',
    ]);
  });

  it('name the run only where two runs hold the same configuration, and number re-runs', () => {
    expect(distinguishingLabels([trial({}, 'Monday'), trial({}, 'Tuesday')])).toEqual([
      'mobilellm-r1-140m · int4 · Monday',
      'mobilellm-r1-140m · int4 · Tuesday',
    ]);
    expect(distinguishingLabels([trial({}), trial({})])).toEqual([
      'mobilellm-r1-140m · int4',
      'mobilellm-r1-140m · int4 #2',
    ]);
  });

  it('put trials at the end of their windows in one series across contexts', () => {
    const [a, b] = [trial({ contextTokens: 2048 }), trial({ contextTokens: 4096 })];
    expect(seriesKey(a!, ['context'])).toBe(seriesKey(b!, ['context']));
    expect(seriesKey(a!, [])).not.toBe(seriesKey(b!, []));
    expect(distinguishingLabels([a!, b!])).toEqual([
      'mobilellm-r1-140m · int4 · ctx 2048',
      'mobilellm-r1-140m · int4 · ctx 4096',
    ]);
  });
});
