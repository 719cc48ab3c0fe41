import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunAnalysisSchema } from '../api';
import { environmentOf } from '../bench/run-trial';
import { probeSystem } from '../runtime/system-probe';
import { writeBandwidthCacheStub } from '../runtime/test/bandwidth-cache-stub';
import { exampleRunDocument } from '../store/exporters/test-fixtures';
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
