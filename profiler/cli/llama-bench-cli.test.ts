import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaBenchRecordSchema } from '../api';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/edge-workbench.mjs', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-llama-bench-cli-'));
const tiny = 'num_hidden_layers=2,hidden_size=64,intermediate_size=96,vocab_size=256,max_context_tokens=512';
const csvFixture = fileURLToPath(new URL('../report/test/llama-bench-140m-q4_0.csv', import.meta.url));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, EDGE_WORKBENCH_DEBUG: '' };
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env,
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the CLI speaks llama-bench's language", () => {
  it('--version prints the app and onnxruntime versions', () => {
    const { status, stdout } = cli('--version');
    const ort = (
      JSON.parse(readFileSync(`${repoRoot}/node_modules/onnxruntime-node/package.json`, 'utf8')) as {
        version: string;
      }
    ).version;
    expect(status).toBe(0);
    expect(stdout.trim()).toMatch(
      new RegExp(`^edge-workbench \\d+\\.\\d+\\.\\d+.*, onnxruntime-node ${ort}$`),
    );
  });

  it("sweep -o jsonl: stdout is only records, each trial's as it finishes; a failed trial exits 1", async () => {
    const out = path.join(dataDir, 'swept.json');
    // -p given twice adds; -t 999 is more threads than any test machine has: those trials fail
    const child = spawn(
      process.execPath,
      [
        bin,
        '--data-dir',
        dataDir,
        'sweep',
        '-m',
        'smollm2-135m',
        '--override',
        tiny,
        '--context',
        '64',
        '-p',
        '8',
        '-p',
        '16',
        '-n',
        '4',
        '-t',
        '1,999',
        '-r',
        '2',
        '--no-warmup',
        '-o',
        'jsonl',
        '--out',
        out,
      ],
      { cwd: repoRoot, env: { ...process.env, EDGE_WORKBENCH_DEBUG: '' } },
    );
    const swept = { stdout: '', stderr: '', status: null as number | null };
    // what stderr had said when the first record came: the first trial only, not the last ones
    let stderrAtFirstRecord: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stderrAtFirstRecord ??= swept.stderr;
      swept.stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (swept.stderr += chunk.toString()));
    swept.status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderrAtFirstRecord).toMatch(/✓ \[1\/4\]/);
    expect(stderrAtFirstRecord).not.toMatch(/\[3\/4\]/);
    expect(swept.status, swept.stderr).toBe(1);
    const records = swept.stdout
      .trim()
      .split('\n')
      .map((line) => LlamaBenchRecordSchema.parse(JSON.parse(line)));
    expect(records.map((record) => record.test).sort()).toEqual(
      ['pp8 @ d52', 'tg4 @ d60', 'pp16 @ d44', 'tg4 @ d60'].sort(),
    );
    expect(records.every((record) => record.n_threads === 1 && record.samples_ts.length === 2)).toBe(true);
    // people's lines went to stderr
    expect(swept.stderr).toMatch(/✓ \[\d\/4\]/);
    expect(swept.stderr).toMatch(/✗ \[\d\/4\].*more than this machine's/);

    // --no-warmup: no untimed run (the stored sweep says so)
    const written = JSON.parse(readFileSync(out, 'utf8')) as { sweep: { warmupRuns: number } };
    expect(written.sweep.warmupRuns).toBe(0);

    // --resume takes the run file --out wrote: nothing is left to run
    const resumed = cli('sweep', '--resume', out);
    expect(resumed.stderr).toMatch(/Resuming .*: 4 of 4 trials already done/);
  }, 120_000);

  it('runs import reads llama-bench CSV, and compare prints the speed-up', () => {
    const imported = cli('runs', 'import', csvFixture);
    expect(imported.status, imported.stderr).toBe(0);
    const id = /as (\S+)\.$/m.exec(imported.stdout)![1]!;
    expect(imported.stderr).toMatch(/pp128\+tg32\) not imported/);
    const shown = cli('report', id, '-o', 'md');
    expect(shown.stdout).toMatch(
      /\| llama 140M Q4_0 +\| +96\.75 MiB \| +140\.25 M \| CPU +\| +2 \| +pp128 \| +2323\.00 ± 8\.40 \|/,
    );
    const again = cli('runs', 'import', csvFixture);
    const second = /as (\S+)\.$/m.exec(again.stdout)![1]!;
    const compared = cli('compare', id, second, '-o', 'jsonl');
    expect(compared.status, compared.stderr).toBe(0);
    const rows = compared.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => [row.test, row.metric])).toEqual([
      ['pp128', 'prefill t/s'],
      ['tg32', 'decode t/s'],
    ]);
    expect(Object.values(rows[0]!).at(-1)).toBe(1);
  });
});
