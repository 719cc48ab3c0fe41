import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyCheckpoint } from '../models/checkpoint/test/tiny-checkpoints';
import { startHubStandIn, type HubStandIn } from '../models/hub/test/hub-stand-in';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-import-cli-'));
const checkpointDir = path.join(workDir, 'SmolLM2-tiny');
let hub: HubStandIn;

beforeAll(async () => {
  await writeTinyCheckpoint(checkpointDir, 'smollm2', { dtype: 'BF16' });
  hub = await startHubStandIn('HuggingFaceTB/SmolLM2-tiny', checkpointDir);
});
afterAll(async () => {
  await hub.close();
  rmSync(workDir, { recursive: true, force: true });
});

const env = { ...process.env, HF_HOME: path.join(workDir, 'hf'), HF_ENDPOINT: '' };

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, '--data-dir', workDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env,
  });
}

/** Async, so the stand-in hub in this process can answer while the CLI runs. */
function cliAsync(
  extraEnv: Record<string, string>,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--data-dir', workDir, ...args], {
      cwd: repoRoot,
      env: { ...env, ...extraEnv },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('edge-workbench models import / cached', () => {
  it('imports a checkpoint folder and says the weights are real, with the parameter count', () => {
    const { status, stdout, stderr } = cli('models', 'import', checkpointDir, '--style', 'standard');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(status).toBe(0);
    expect(stdout).toMatch(/Imported SmolLM2-tiny \(SmolLM2, standard\) in [\d.]+ s — real weights/);
    expect(stdout).toMatch(/parameters {2}\d{2},\d{3} \(shapes of no catalog model\)/);
    expect(stdout).toContain(path.join(workDir, 'models', 'imported', 'SmolLM2-tiny-standard'));
  });

  it('a folder that is not a checkpoint is one clear line, no stack', () => {
    const { status, stderr } = cli('models', 'import', workDir);
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^edge-workbench: .* has no config\.json: give the folder of a Hugging Face checkpoint/,
    );
  });

  it('downloads a repo id through HF_ENDPOINT into HF_HOME, imports it, and lists it as cached', async () => {
    const run = await cliAsync(
      { HF_ENDPOINT: hub.endpoint },
      'models',
      'import',
      'HuggingFaceTB/SmolLM2-tiny',
      '--json',
    );
    expect(run.stderr).toMatch(/Downloaded [\d.]+ (KB|KiB|MB|MiB)/);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { record: { repo: string; revision: string } };
    expect(result.record).toMatchObject({ repo: 'HuggingFaceTB/SmolLM2-tiny', revision: hub.commit });
    const cached = cli('models', 'cached');
    expect(cached.stdout).toMatch(/HuggingFaceTB\/SmolLM2-tiny +main +[0-9a-f]{10} +checkpoint/);
  });
});
