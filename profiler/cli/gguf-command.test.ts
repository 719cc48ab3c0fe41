import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyByteLevelTokenizer, writeTinyCheckpoint } from '../models/checkpoint/test/tiny-checkpoints';
import { startHubStandIn, type HubStandIn } from '../models/hub/test/hub-stand-in';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-gguf-cli-'));
const checkpointDir = path.join(workDir, 'SmolLM2-tiny');
const r1Dir = path.join(workDir, 'R1-tiny');
let hub: HubStandIn;

beforeAll(async () => {
  await writeTinyCheckpoint(checkpointDir, 'smollm2', {
    dtype: 'BF16',
    tokenizerJson: tinyByteLevelTokenizer(),
  });
  await writeTinyCheckpoint(r1Dir, 'mobilellm-r1', { dtype: 'BF16' });
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
function cliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--data-dir', workDir, ...args], {
      cwd: repoRoot,
      env: { ...env, HF_ENDPOINT: hub.endpoint },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('edge-workbench models gguf <checkpoint | hub id>', () => {
  it('writes a checkpoint folder as GGUF Q8_0 with its own tokenizer, into the data folder', () => {
    const { status, stdout, stderr } = cli('models', 'gguf', checkpointDir, '--type', 'Q8_0');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Wrote SmolLM2-tiny as GGUF Q8_0 in [\d.]+ s/);
    expect(stdout).toMatch(/tokenizer +.*tokenizer\.json \(gpt2 BPE/);
    expect(stdout).toMatch(/architecture +llama — SmolLM2-tiny/);
    expect(existsSync(path.join(workDir, 'models', 'gguf', 'smollm2-tiny-Q8_0.gguf'))).toBe(true);
  });

  it('downloads a hub repo id through HF_ENDPOINT and converts the snapshot', async () => {
    const run = await cliAsync('models', 'gguf', 'HuggingFaceTB/SmolLM2-tiny', '--type', 'F16');
    expect(run.stderr).toMatch(/Downloaded [\d.]+ (KB|KiB|MB|MiB)/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/architecture +llama — HuggingFaceTB\/SmolLM2-tiny/);
    expect(existsSync(path.join(workDir, 'models', 'gguf', 'huggingfacetb-smollm2-tiny-F16.gguf'))).toBe(
      true,
    );
  });

  it('refuses real MobileLLM-R1 weights in one line saying why and what to do, no stack', () => {
    const { status, stderr } = cli('models', 'gguf', r1Dir);
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^edge-workbench: r1-tiny normalizes q and k after RoPE .* different model\. Run it on onnxruntime/,
    );
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
