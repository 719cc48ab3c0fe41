import { describe, expect, it } from 'vitest';
import { RunDocumentSchema } from '../../api';
import { EXPORT_FORMATS, exportRun } from './index';
import { configurationLabels, trialEntries } from './report-metrics';
import { exampleRunDocument } from './test-fixtures';

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

describe('configurationLabels', () => {
  it('names model and quant, plus only the dimensions that differ', () => {
    const doc = exampleRunDocument();
    const [a, b] = trialEntries(doc);
    const deeper = { ...b!, spec: { ...b!.spec, depthTokens: 1024 } };
    expect(configurationLabels([a!, b!])).toEqual(['mobilellm-r1-140m fp32', 'mobilellm-r1-140m int4']);
    expect(configurationLabels([a!, deeper])).toEqual([
      'mobilellm-r1-140m fp32 · d0',
      'mobilellm-r1-140m int4 · d1024',
    ]);
    expect(configurationLabels([a!, a!])).toEqual(['mobilellm-r1-140m fp32', 'mobilellm-r1-140m fp32 #2']);
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
    };
    for (const format of EXPORT_FORMATS) expect(exportRun(doc, format).startsWith(starts[format])).toBe(true);
  });
});
