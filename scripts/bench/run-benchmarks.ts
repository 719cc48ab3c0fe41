/**
 * `npm run bench`: the speed and memory targets, measured side by side in one run (ratios, since these
 * machines are noisy). Results print as a Markdown table for the README. Needs ~8 GB of free disk in
 * the bench folder (default: a temp folder; --dir to choose, e.g. the disk models will live on).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface TaskResult {
  wallMs: number;
  maxRssBytes: number;
  bytes?: number;
}

interface Row {
  benchmark: string;
  measured: string;
  target: string;
  pass: boolean;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const taskScript = path.join(repoRoot, 'scripts', 'bench', 'bench-task.ts');
const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function runTask(...args: string[]): TaskResult {
  const result = spawnSync(process.execPath, [tsx, taskScript, ...args], { encoding: 'utf8', cwd: repoRoot });
  if (result.status !== 0) throw new Error(`bench task ${args.join(' ')} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as TaskResult;
}

const GiB = 1024 ** 3;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const gib = (bytes: number): string => `${(bytes / GiB).toFixed(2)} GiB`;

/** `models inspect` as a user runs it (process start included), on the folder the build bench made. */
function inspectCommand(folder: string): Row {
  const startedMs = performance.now();
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'bin', 'edge-workbench.mjs'), 'models', 'inspect', folder, '--json'],
    {
      encoding: 'utf8',
    },
  );
  const wallMs = performance.now() - startedMs;
  if (result.status !== 0) throw new Error(`models inspect failed:\n${result.stderr}`);
  return {
    benchmark: '`models inspect` of the MobileLLM-R1-950M folder (3.5 GiB), process start included',
    measured: seconds(wallMs),
    target: '< 2 s',
    pass: wallMs < 2000,
  };
}

function buildVersusWrite(dir: string): Row[] {
  const build = runTask('build', 'mobilellm-r1-950m', 'fused', dir);
  const inspect = inspectCommand(path.join(dir, 'mobilellm-r1-950m-fused'));
  const write = runTask('write', String(build.bytes), dir);
  const ratio = build.wallMs / write.wallMs;
  return [
    {
      benchmark: 'Build MobileLLM-R1-950M fp32 (fused) vs writing the same bytes',
      measured: `${seconds(build.wallMs)} vs ${seconds(write.wallMs)} for ${gib(build.bytes!)}: ${ratio.toFixed(2)}×`,
      target: '≤ 2.0×',
      pass: ratio <= 2,
    },
    {
      benchmark: 'Peak RSS while building MobileLLM-R1-950M fp32',
      measured: gib(build.maxRssBytes),
      target: '< 1 GiB',
      pass: build.maxRssBytes < GiB,
    },
    inspect,
  ];
}

function main(): void {
  const dirFlag = process.argv.indexOf('--dir');
  const parent = dirFlag > 0 ? path.resolve(process.argv[dirFlag + 1]!) : os.tmpdir();
  const dir = mkdtempSync(path.join(parent, 'ew-bench-'));
  const rows: Row[] = [];
  try {
    rows.push(...buildVersusWrite(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`Machine: ${cpu}, ${os.cpus().length} logical cores, ${gib(os.totalmem())} RAM\n\n`);
  process.stdout.write('| benchmark | measured | target | |\n| --- | --- | --- | --- |\n');
  for (const row of rows) {
    process.stdout.write(
      `| ${row.benchmark} | ${row.measured} | ${row.target} | ${row.pass ? 'pass' : 'MISS'} |\n`,
    );
  }
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}

main();
