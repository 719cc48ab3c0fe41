import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TrialResultSchema } from '../api';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-run-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const tiny = 'num_hidden_layers=2,hidden_size=64,intermediate_size=96,vocab_size=256,max_context_tokens=128';
const small = [
  '--override',
  tiny,
  '--context',
  '64',
  '--prompt',
  '8',
  '--gen',
  '4',
  '--reps',
  '2',
  '--warmup',
  '0',
];

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

describe('edge-workbench run', () => {
  it('--json prints one TrialResult with raw samples and generated ids', () => {
    const { status, stdout } = cli(
      'run',
      '--model',
      'smollm2-135m',
      ...small,
      '--prompt-ids',
      '1,5,9',
      '--json',
    );
    expect(status).toBe(0);
    const result = TrialResultSchema.parse(JSON.parse(stdout));
    expect(result.status).toBe('ok');
    expect(result.promptTokenIds).toEqual([1, 5, 9]);
    expect(result.generatedTokenIds).toHaveLength(5);
    expect(result.repetitions.map((rep) => rep.decodeStepMs.length)).toEqual([4, 4]);
  });

  it('prints a readable table by default', () => {
    const { status, stdout } = cli('run', '--model', 'smollm2-135m', ...small);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^smollm2-135m \[.*\] · fp32 · ctx \d+ · pp\d+\+tg\d+.* · cpu/m);
    expect(stdout).toMatch(/^ {2}ran {11}depth \d+ \(end of window\), fill /m);
    for (const label of [
      'load',
      'TTFT',
      'prefill',
      'decode',
      'per token',
      'peak RSS',
      'KV cache',
      'roofline',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${label}\\s`, 'm'));
    }
    expect(stdout).toMatch(/exact = analytic/);
  });

  it.each([
    [['--prompt', '0'], /--prompt must be a whole number ≥ 1/],
    [['--ep', 'tpu'], /Allowed choices are cpu, webgpu, cuda, dml, coreml/],
    [['--threads', String(os.cpus().length + 1)], /logical cores/],
    [['--context', '100000'], /longer than the model's maximum of 128 tokens/],
  ])('refuses %j with one clear line', (args, message) => {
    const { status, stderr } = cli('run', '--model', 'smollm2-135m', '--override', tiny, ...args);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says how to get an execution provider that is not installed', () => {
    const { status, stderr } = cli('run', '--model', 'smollm2-135m', ...small, '--ep', 'cuda');
    expect(status).toBe(1);
    expect(stderr).toMatch(/cuda execution provider is not (usable yet|part of this onnxruntime-node build)/);
  });
});
