import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunAnalysisSchema } from '../api';
import { environmentOf } from '../bench/run-trial';
import { memoryBandwidthCacheFile } from '../runtime/memory-bandwidth';
import { probeSystem } from '../runtime/system-probe';
import { writeBandwidthCacheStub } from '../runtime/test/bandwidth-cache-stub';
import { exampleRunDocument } from '../report/test/example-run';
import { createEngine } from './create-engine';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-engine-'));
const facts = { appName: 'Edge LLM Workbench', appVersion: 'test', host: 'serve' as const, dataDir };
const engine = createEngine(facts);
const STUB_BANDWIDTH = 20e9; // bytes/s, written into the cache so nothing is measured

beforeAll(async () => {
  writeBandwidthCacheStub(dataDir, environmentOf(await probeSystem(facts)), {
    bytesPerSecond: STUB_BANDWIDTH,
    measuredAt: '2026-11-28T00:00:00.000Z',
  });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('engine: runs, analysis and storage for the UI', () => {
  it('imports a run file, then analyzes it against targets with a goal', async () => {
    const doc = exampleRunDocument();
    const imported = await engine.importRun(JSON.stringify(doc));
    expect(imported.originalId).toBe(doc.id);
    expect((await engine.listRuns()).runs.map((run) => run.id)).toContain(imported.id);

    const analysis = RunAnalysisSchema.parse(
      await engine.analyzeRun(imported.id, {
        targets: ['raspberry-pi-5-8gb', 'name=Board,ram=4GB,bandwidth=12GB/s'],
        goal: { minDecodeTokensPerSecond: 10 },
      }),
    );
    expect(analysis.targets.map((target) => target.name)).toEqual([
      expect.stringMatching(/Raspberry Pi 5/),
      'Board',
    ]);
    expect(analysis.verdicts.length).toBeGreaterThan(0);
  });

  it('refuses a bad run file with the reason, leaving the store as it was', async () => {
    const before = (await engine.listRuns()).runs.length;
    await expect(engine.importRun('{"kind":"something else"}')).rejects.toThrow(
      /not an Edge LLM Workbench run|kind/,
    );
    expect((await engine.listRuns()).runs.length).toBe(before);
  });

  it('lists device targets with this machine at its measured bandwidth', async () => {
    const targets = await engine.deviceTargets();
    const here = targets.find((target) => target.kind === 'this-machine');
    expect(here?.bandwidthBytesPerSecond).toBe(STUB_BANDWIDTH);
    expect(await engine.memoryBandwidth()).toMatchObject({
      status: 'measured',
      ep: 'cpu',
      bytesPerSecond: STUB_BANDWIDTH,
      kernel: { bytesPerSecond: STUB_BANDWIDTH / 2, method: 'test stub GEMV' },
      measuredAt: '2026-11-28T00:00:00.000Z',
      fromCache: true,
    });
  });

  it('answers the cached bandwidth without measuring, and says so when nothing is cached', async () => {
    expect(await engine.memoryBandwidth({ cachedOnly: true })).toMatchObject({
      status: 'measured',
      bytesPerSecond: STUB_BANDWIDTH,
      fromCache: true,
    });
    const freshDir = mkdtempSync(path.join(os.tmpdir(), 'ew-engine-fresh-'));
    try {
      const fresh = createEngine({ ...facts, dataDir: freshDir });
      const answer = await fresh.memoryBandwidth({ cachedOnly: true });
      expect(answer).toMatchObject({
        status: 'not-measured',
        reason: expect.stringMatching(/not measured yet/),
      });
      // nothing was measured: a measurement would have written its figure to the cache
      expect(existsSync(memoryBandwidthCacheFile(freshDir))).toBe(false);
      await fresh.dispose();
    } finally {
      rmSync(freshDir, { recursive: true, force: true });
    }
  });

  it('reports the data folder by part and clears the model cache', async () => {
    mkdirSync(path.join(dataDir, 'models', 'variants', 'x'), { recursive: true });
    writeFileSync(path.join(dataDir, 'models', 'variants', 'x', 'model.onnx'), Buffer.alloc(1000));
    const usage = await engine.storage();
    expect(usage.modelsBytes).toBe(1000);
    expect(usage.runsBytes).toBeGreaterThan(0);
    expect(await engine.clearModelCache()).toEqual({ freedBytes: 1000 });
    expect((await engine.storage()).modelsBytes).toBe(0);
  });
});

describe('engine: one export and one analysis, wherever the run comes from', () => {
  const doc = exampleRunDocument();
  const runFile = path.join(dataDir, 'colleague-run.json');

  beforeAll(async () => {
    writeFileSync(runFile, JSON.stringify({ ...doc, id: 'not-in-the-store' }));
    await engine.importRun(JSON.stringify(doc));
  });

  it('judges html and md on every preset and this machine unless told otherwise', async () => {
    const md = (await engine.exportRun(doc.id, 'md')).text;
    expect(md).toContain('## Device targets and fit');
    expect(md).toContain('This machine');
    const plain = (await engine.exportRun(doc.id, 'md', { analysis: false })).text;
    expect(plain).not.toContain('## Device targets and fit');
    const judged = await engine.exportRun(doc.id, 'md', {
      targets: ['phone-4gb'],
      goal: { minDecodeTokensPerSecond: 100 },
    });
    expect(judged.text).toContain('| configuration | Phone, 4 GB RAM (LPDDR4X, entry class) |');
    expect(judged.text).not.toContain('This machine');
    expect(judged).toMatchObject({ fileName: `${doc.id}.md`, mimeType: 'text/markdown; charset=utf-8' });
  });

  it('leaves csv and json the run document’s own data, whatever targets are named', async () => {
    const csv = (await engine.exportRun(doc.id, 'csv')).text;
    expect((await engine.exportRun(doc.id, 'csv', { targets: ['phone-4gb'] })).text).toBe(csv);
    expect(JSON.parse((await engine.exportRun(doc.id, 'json')).text)).toEqual(
      JSON.parse(JSON.stringify(doc)),
    );
  });

  it('exports a run file that is not in the store exactly as one that is', async () => {
    for (const format of ['md', 'csv', 'html'] as const) {
      const fromFile = (await engine.exportRunFile(runFile, format)).text;
      const fromStore = (await engine.exportRun(doc.id, format)).text;
      expect(fromFile.replaceAll('not-in-the-store', doc.id)).toBe(fromStore);
    }
    await expect(engine.exportRunFile(path.join(dataDir, 'missing.json'), 'md')).rejects.toThrow(
      /missing\.json does not exist/,
    );
  });

  it('lays the analysis out as the reports’ sections, for a store run or a run file', async () => {
    const report = await engine.analysisReport({ file: runFile }, { targets: ['phone-4gb'] });
    expect(report.run).toEqual({ id: 'not-in-the-store', name: doc.name });
    expect(report.analysis.targets.map((target) => target.id)).toEqual(['phone-4gb']);
    expect(report.sections.map((section) => section.id)).toEqual(['fit', 'kv-pressure', 'tradeoffs']);
    const stored = await engine.analysisReport({ runId: doc.id }, { targets: ['phone-4gb'] });
    expect(stored.sections).toEqual(report.sections);
  });

  it('resolves named targets in order and refuses one named twice', async () => {
    expect((await engine.deviceTargets(['phone-8gb', 'this-machine'])).map((t) => t.id)).toEqual([
      'phone-8gb',
      'this-machine',
    ]);
    await expect(engine.deviceTargets(['phone-4gb', 'phone-4gb'])).rejects.toThrow(
      /"phone-4gb" is given twice/,
    );
    const { targets, bandwidth, table, notes } = await engine.targetsReport();
    expect(targets.at(-1)?.id).toBe('this-machine');
    expect(bandwidth).toMatchObject({ status: 'measured', bytesPerSecond: STUB_BANDWIDTH });
    expect(table.rows.map((row) => row[1])).toEqual(targets.map((target) => target.id));
    expect(notes).toHaveLength(targets.length);
  });

  it('answers a catalog model’s KV pressure, checking model and preset first', async () => {
    const report = await engine.kvPressure({
      model: 'mobilellm-r1-950m',
      kvDtype: 'float16',
      targets: ['phone-8gb'],
    });
    expect(report.bytesPerToken).toBe(33_792);
    expect(report.targets.map((fit) => fit.targetId)).toEqual(['phone-8gb']);
    await expect(engine.kvPressure({ model: 'mobilellm-r1-9b' })).rejects.toThrow(/Unknown model/);
    await expect(engine.kvPressure({ model: 'mobilellm-r1-950m', quant: 'int3' })).rejects.toThrow(
      /Unknown quantization preset "int3"/,
    );
  });

  it('answers renames and tags with what the store now holds', async () => {
    expect(await engine.renameRun(doc.id, '  renamed  ')).toEqual({ id: doc.id, name: 'renamed' });
    expect(await engine.tagRun(doc.id, ['a', 'b'])).toEqual({ id: doc.id, tags: [...doc.tags, 'a', 'b'] });
    expect(await engine.tagRun(doc.id, ['a'], true)).toEqual({ id: doc.id, tags: [...doc.tags, 'b'] });
  });

  it('imports a run file by path, naming the file when it is not a run', async () => {
    const bad = path.join(dataDir, 'not-a-run.json');
    writeFileSync(bad, '{"kind":"something else"}');
    await expect(engine.importRunFile(bad)).rejects.toThrow(`${bad} is not an Edge LLM Workbench run`);
    const imported = await engine.importRunFile(runFile);
    expect(imported.originalId).toBe('not-in-the-store');
    expect((await engine.loadRun(imported.id)).name).toBe(doc.name);
  });
});
