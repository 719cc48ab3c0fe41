import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RunDocumentSchema, type RunDocument } from '../api';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-sweep-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const tiny = 'num_hidden_layers=2,hidden_size=64,intermediate_size=96,vocab_size=256,max_context_tokens=512';
const runsDir = path.join(dataDir, 'runs');

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

function runDocs(): RunDocument[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .filter((file) => file.endsWith('.json') && !file.startsWith('.'))
    .map((file) => RunDocumentSchema.parse(JSON.parse(readFileSync(path.join(runsDir, file), 'utf8'))));
}

describe('edge-workbench sweep', () => {
  it('survives kill -9 mid-trial: finished trials are kept, the document parses, --resume runs only the rest', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        '--data-dir',
        dataDir,
        'sweep',
        '--model',
        'smollm2-135m',
        '--override',
        tiny,
        '--quant',
        'fp32,int8',
        '--context',
        '256,512',
        '--prompt',
        '64',
        '--gen',
        '64',
        '--reps',
        '12',
        '--name',
        'killed',
      ],
      { cwd: repoRoot, stdio: 'ignore' },
    );
    // wait until at least one trial is in the store, then kill the sweep without warning
    const deadline = Date.now() + 60_000;
    let before: RunDocument | undefined;
    while (Date.now() < deadline) {
      before = runDocs().find((doc) => doc.name === 'killed' && doc.trials.length >= 1);
      if (before) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(before, 'a trial finished within a minute').toBeDefined();
    const killed = runDocs().find((doc) => doc.id === before!.id)!;
    expect(killed.status).toBe('running');
    expect(killed.trials.length).toBeLessThan(4);
    expect(readdirSync(runsDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);

    const resumed = cli('sweep', '--resume', killed.id);
    expect(resumed.status).toBe(0);
    const done = runDocs().find((doc) => doc.id === killed.id)!;
    expect(done.status).toBe('completed');
    expect(done.trials).toHaveLength(4);
    // no --warmup given: one untimed run per trial, as the flag's default says
    expect(done.sweep.warmupRuns).toBe(1);
    expect(done.trials.map((trial) => trial.result.warmupRuns)).toEqual([1, 1, 1, 1]);
    expect(new Set(done.trials.map((t) => t.key)).size).toBe(4);
    // the trials finished before the kill are the same records, not re-run
    expect(done.trials.slice(0, killed.trials.length)).toEqual(killed.trials);
    // it waits up to a minute for the first trial, then resumes three more: a loaded machine needs the room
  }, 240_000);

  it('skips trials that will not fit the budget, saying so', () => {
    const { status, stdout } = cli(
      'sweep',
      '--model',
      'mobilellm-r1-950m',
      '--quant',
      'fp32',
      '--context',
      '2048',
      '--budget',
      '1GB',
      '--name',
      'budget',
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/will not fit: estimated peak .* GiB exceeds the memory budget/);
    const doc = runDocs().find((d) => d.name === 'budget')!;
    expect(doc.skipped).toHaveLength(1);
    expect(doc.trials).toHaveLength(0);
  });

  it.each([
    [['sweep', '--quant', 'int4'], /Give at least one --model/],
    [['sweep', '--model', 'smollm2-135m', '--budget', '8XB'], /"8XB" is not a byte size/],
    [
      ['sweep', '--model', 'smollm2-135m', '--override', tiny, '--context', '64', '--prompt', '128'],
      /no runnable trial/,
    ],
    [
      [
        'sweep',
        '--model',
        'smollm2-135m',
        '--override',
        tiny,
        '--context',
        '16-520+1',
        '--gen',
        '8',
        '--prompt',
        '8',
      ],
      /505 trials \(more than 500\): narrow it, or pass --yes/,
    ],
  ])('%j is refused with one clear line', (args, message) => {
    const { status, stderr } = cli(...args);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('runs list / show / report read the store', () => {
    const list = cli('runs', 'list', '--json');
    const ids = (JSON.parse(list.stdout) as { runs: { id: string; name: string }[] }).runs;
    const killed = ids.find((run) => run.name === 'killed')!;
    expect(cli('runs', 'show', killed.id).stdout).toMatch(/± /);
    const csv = cli('report', killed.id, '--format', 'csv').stdout.trim().split('\n');
    expect(csv).toHaveLength(1 + 4);
    const out = path.join(dataDir, 'report.html');
    expect(cli('report', killed.id, '--format', 'html', '--out', out).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/i);
  });
});
