import { describe, expect, it } from 'vitest';
import { RunDocumentSchema } from '../api';
import { EXPORT_FORMATS, exportRun } from './index';
import { contextRun } from '../../common/test/context-run';
import { distinguishingLabels, seriesKey } from '../../common/trial-dimensions';
import { trialEntries } from './report-metrics';
import { exampleRunDocument } from './test/example-run';

describe('trialEntries', () => {
  it('lists every planned trial in plan order with what became of it', () => {
    const entries = trialEntries(exampleRunDocument());
    expect(
      entries.map((entry) => [
        entry.spec.model.kind === 'catalog' && entry.spec.model.id,
        entry.spec.quant,
        entry.status,
      ]),
    ).toEqual([
      ['mobilellm-r1-140m', 'fp32', 'ok'],
      ['mobilellm-r1-140m', 'int4', 'ok'],
      ['mobilellm-r1-950m', 'fp32', 'skipped'],
      ['mobilellm-r1-950m', 'int4', 'failed'],
    ]);
  });

  it('marks planned trials a cancelled run never reached as not run', () => {
    const doc = exampleRunDocument();
    const cancelled = { ...doc, status: 'cancelled' as const, trials: doc.trials.slice(0, 1), skipped: [] };
    const entries = trialEntries(cancelled);
    expect(entries.map((entry) => entry.status)).toEqual(['ok', 'not-run', 'not-run', 'not-run']);
    expect(entries[1]!.reason).toBe('not run: the run was cancelled before this trial');
  });

  it('refuses a skipped trial the plan does not know, naming it', () => {
    const doc = exampleRunDocument();
    const broken = { ...doc, skipped: [{ key: 'nowhere', reason: 'x' }] };
    expect(() => trialEntries(broken)).toThrow(/"nowhere" that is not in its plan/);
  });
});

describe('configuration labels of the reports’ charts', () => {
  it('names model and quant, plus only the dimensions that differ', () => {
    const doc = exampleRunDocument();
    const [a, b] = trialEntries(doc);
    // fp32 grew its cache, int4 ran in a shared buffer: a difference in what was measured
    expect(distinguishingLabels([a!, b!])).toEqual([
      'mobilellm-r1-140m · fp32 · grow KV buffer',
      'mobilellm-r1-140m · int4 · shared KV buffer',
    ]);
    const deeper = { ...a!, spec: { ...a!.spec, depthTokens: 1024, depthSource: 'given' as const } };
    expect(distinguishingLabels([a!, deeper])).toEqual([
      'mobilellm-r1-140m · fp32 · end of window',
      'mobilellm-r1-140m · fp32 · d1024',
    ]);
    expect(distinguishingLabels([a!, a!])).toEqual([
      'mobilellm-r1-140m · fp32',
      'mobilellm-r1-140m · fp32 #2',
    ]);
  });

  it('keeps trials at the end of their windows in one series across contexts, and leaves the axis out of labels', () => {
    const entries = trialEntries(contextRun());
    const int4 = entries.filter((entry) => entry.spec.quant === 'int4');
    expect(new Set(int4.map((entry) => seriesKey(entry, ['context']))).size).toBe(1);
    expect(new Set(int4.map((entry) => seriesKey(entry, [])))).toHaveProperty('size', 3);
    expect(distinguishingLabels(int4, ['context'])).toEqual([
      'mobilellm-r1-140m · int4',
      'mobilellm-r1-140m · int4 #2',
      'mobilellm-r1-140m · int4 #3',
    ]);
    expect(distinguishingLabels(int4)).toEqual([
      'mobilellm-r1-140m · int4 · ctx 512',
      'mobilellm-r1-140m · int4 · ctx 4096',
      'mobilellm-r1-140m · int4 · ctx 32768',
    ]);
  });
});

describe('exportRun', () => {
  const doc = exampleRunDocument();

  it('writes JSON that is the run document, pretty-printed', () => {
    const json = exportRun(doc, 'json');
    expect(json).toContain('\n  "kind": "edge-llm-workbench-run"');
    expect(RunDocumentSchema.parse(JSON.parse(json))).toEqual(doc);
  });

  it('answers every format', () => {
    const starts: Record<(typeof EXPORT_FORMATS)[number], string> = {
      html: '<!doctype html>',
      md: '# MobileLLM-R1',
      csv: 'trial_key,status,',
      json: '{',
      jsonl: '{"build_commit":"edge-workbench ',
    };
    for (const format of EXPORT_FORMATS) expect(exportRun(doc, format).startsWith(starts[format])).toBe(true);
  });
});
