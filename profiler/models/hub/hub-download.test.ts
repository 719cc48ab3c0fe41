import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCheckpoint } from '../checkpoint/import-checkpoint';
import { writeTinyCheckpoint } from '../checkpoint/test/tiny-checkpoints';
import { listCachedModels } from './cached-models';
import { downloadCheckpoint, type DownloadProgress } from './hub-download';
import { startHubStandIn, type HubStandIn } from './test/hub-stand-in';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-hub-'));
const repo = 'facebook/MobileLLM-R1-tiny';
let hub: HubStandIn;
let shardBytes = 0;

beforeAll(async () => {
  const source = path.join(workDir, 'repo');
  await writeTinyCheckpoint(source, 'mobilellm-r1', { dtype: 'BF16', shards: 2 });
  shardBytes = readFileSync(path.join(source, 'model-00001-of-00002.safetensors')).length;
  hub = await startHubStandIn(repo, source);
});
afterAll(async () => {
  await hub.close();
  rmSync(workDir, { recursive: true, force: true });
});

const envFor = (home: string, extra: Record<string, string> = {}) => ({
  HF_HOME: path.join(workDir, home),
  HF_ENDPOINT: hub.endpoint,
  ...extra,
});

describe('hub downloads into the Hugging Face cache (a local stand-in for the hub)', () => {
  it('a gated repo answers 401: the message says to accept the licence and set HF_TOKEN; with the token it downloads', async () => {
    hub.requireToken = 'hf_test';
    await expect(downloadCheckpoint({ repo, env: envFor('gated') })).rejects.toThrow(
      /refused facebook\/MobileLLM-R1-tiny \(HTTP 401\): the repo is gated or private\. Accept its licence at .*\/facebook\/MobileLLM-R1-tiny .*set it in HF_TOKEN/,
    );
    await expect(
      downloadCheckpoint({ repo, env: envFor('gated', { HF_TOKEN: 'hf_wrong' }) }),
    ).rejects.toThrow(/The token in HF_TOKEN has no access: .*accept the licence there/);
    const snapshot = await downloadCheckpoint({ repo, env: envFor('gated', { HF_TOKEN: 'hf_test' }) });
    expect(snapshot.commit).toBe(hub.commit);
    hub.requireToken = null;
  });

  it('an interrupted transfer resumes where it stopped (Range), and the snapshot imports', async () => {
    const env = envFor('resume');
    hub.cutNext = { file: 'model-00001-of-00002.safetensors', afterBytes: 1000 };
    await expect(downloadCheckpoint({ repo, env })).rejects.toThrow(
      /download of model-00001-of-00002\.safetensors .* stopped after 1000 of \d+ bytes .*run the same command again to resume/,
    );
    hub.log.length = 0;
    const progress: DownloadProgress[] = [];
    const snapshot = await downloadCheckpoint({ repo, env, onProgress: (p) => progress.push(p) });
    expect(hub.log).toContain('GET /cdn/model-00001-of-00002.safetensors bytes=1000-');
    // files already whole are not fetched again
    expect(hub.log.filter((line) => line.startsWith('GET') && line.includes('config.json'))).toEqual([]);
    expect(snapshot.downloadedBytes).toBeGreaterThan(shardBytes - 1000 - 1);
    expect(progress.at(-1)!.doneBytes).toBe(progress.at(-1)!.totalBytes);

    // the standard cache layout: refs/main → commit, snapshots/{commit}/file → ../../blobs/{etag}
    const storage = path.join(workDir, 'resume', 'hub', 'models--facebook--MobileLLM-R1-tiny');
    expect(readFileSync(path.join(storage, 'refs', 'main'), 'utf8')).toBe(hub.commit);
    expect(readlinkSync(path.join(snapshot.dir, 'config.json'))).toMatch(/^\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/);
    expect(readdirSync(path.join(storage, 'blobs')).some((name) => name.endsWith('.incomplete'))).toBe(false);
    expect(snapshot.files).not.toContain('README.md');

    const imported = await importCheckpoint({
      sourceDir: snapshot.dir,
      origin: { repo, revision: snapshot.commit },
      style: 'fused',
      outDir: path.join(workDir, 'imported'),
    });
    expect(imported.record).toMatchObject({ repo, revision: hub.commit, family: 'MobileLLM-R1' });

    const cached = await listCachedModels(env);
    expect(cached.snapshots).toEqual([
      expect.objectContaining({ repo, commit: hub.commit, refs: ['main'], kind: 'checkpoint' }),
    ]);
  });

  it('offline: a cached snapshot is used as it is; nothing cached gives a clear message', async () => {
    const env = envFor('offline');
    await downloadCheckpoint({ repo, env });
    const unreachable = { ...env, HF_ENDPOINT: 'http://127.0.0.1:9' };
    const snapshot = await downloadCheckpoint({ repo, env: unreachable });
    expect(snapshot).toMatchObject({ offline: true, commit: hub.commit, downloadedBytes: 0 });
    expect(existsSync(path.join(snapshot.dir, 'model.safetensors.index.json'))).toBe(true);
    await expect(
      downloadCheckpoint({ repo, env: { ...unreachable, HF_HOME: path.join(workDir, 'empty') } }),
    ).rejects.toThrow(
      /Cannot reach http:\/\/127\.0\.0\.1:9 .*set HF_ENDPOINT to a reachable mirror.* No snapshot of facebook\/MobileLLM-R1-tiny@main is in/,
    );
    await expect(
      downloadCheckpoint({
        repo,
        env: { ...env, HF_HUB_OFFLINE: '1', HF_HOME: path.join(workDir, 'empty') },
      }),
    ).rejects.toThrow(/HF_HUB_OFFLINE is set/);
  });

  it('HF_HUB_CACHE wins over HF_HOME, and an unknown repo is a 404 naming it', async () => {
    const cache = path.join(workDir, 'hub-cache');
    const snapshot = await downloadCheckpoint({ repo, env: { ...envFor('ignored'), HF_HUB_CACHE: cache } });
    expect(snapshot.dir.startsWith(cache)).toBe(true);
    await expect(downloadCheckpoint({ repo: 'facebook/nothing', env: envFor('x') })).rejects.toThrow(
      /has no api\/models\/facebook\/nothing\/revision\/main \(HTTP 404\)/,
    );
  });
});
