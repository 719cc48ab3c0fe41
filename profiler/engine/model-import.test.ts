import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportEvent, WorkbenchEvent } from '../api';
import { writeTinyCheckpoint } from '../models/checkpoint/test/tiny-checkpoints';
import { startHubStandIn, type HubStandIn } from '../models/hub/test/hub-stand-in';
import { createEngine } from './create-engine';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-engine-import-'));
const saved = {
  HF_HOME: process.env.HF_HOME,
  HF_ENDPOINT: process.env.HF_ENDPOINT,
  HF_TOKEN: process.env.HF_TOKEN,
};
let hub: HubStandIn;

beforeAll(async () => {
  const repoDir = path.join(workDir, 'repo');
  await writeTinyCheckpoint(repoDir, 'mobilellm-r1', { dtype: 'BF16' });
  hub = await startHubStandIn('facebook/MobileLLM-R1-tiny', repoDir);
  process.env.HF_HOME = path.join(workDir, 'hf');
  process.env.HF_ENDPOINT = hub.endpoint;
  delete process.env.HF_TOKEN;
});
afterAll(async () => {
  await hub.close();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(workDir, { recursive: true, force: true });
});

const engineIn = (folder: string) =>
  createEngine({
    appName: 'Edge LLM Workbench',
    appVersion: 'test',
    host: 'serve',
    dataDir: path.join(workDir, folder),
  });

describe('engine.importModel ("Use real weights")', () => {
  it('downloads into the HF cache, imports into the data folder with progress events, and reuses it next time', async () => {
    const engine = engineIn('data');
    const events: ImportEvent[] = [];
    engine.onEvent((event: WorkbenchEvent) => {
      if (event.kind === 'import') events.push(event);
    });
    const first = await engine.importModel({ source: 'facebook/MobileLLM-R1-tiny', style: 'standard' });
    expect(first).toMatchObject({
      repo: 'facebook/MobileLLM-R1-tiny',
      commit: hub.commit,
      family: 'MobileLLM-R1',
      style: 'standard',
      reused: false,
    });
    expect(first.dir).toBe(
      path.join(workDir, 'data', 'models', 'imported', 'facebook_MobileLLM-R1-tiny-standard'),
    );
    expect(first.downloadedBytes).toBeGreaterThan(0);
    expect(new Set(events.map((event) => event.stage))).toEqual(new Set(['download', 'import', 'done']));
    const again = await engine.importModel({ source: 'facebook/MobileLLM-R1-tiny', style: 'standard' });
    expect(again).toMatchObject({ reused: true, downloadedBytes: 0, dir: first.dir });
  });

  it('a gated repo fails with the licence message, also sent as a failed event', async () => {
    hub.requireToken = 'hf_secret';
    const engine = engineIn('data2');
    const events: ImportEvent[] = [];
    engine.onEvent((event) => {
      if (event.kind === 'import') events.push(event);
    });
    await expect(engine.importModel({ source: 'facebook/MobileLLM-R1-tiny' })).rejects.toThrow(
      /Accept its licence at/,
    );
    expect(events.at(-1)).toMatchObject({ stage: 'failed', message: expect.stringMatching(/HF_TOKEN/) });
    hub.requireToken = null;
    await expect(engine.importModel({ source: '../etc' })).rejects.toThrow(/catalog id or a hub repo id/);
  });
});
