/**
 * `npm run bench`: the speed and memory targets, measured side by side in one run (ratios, since these
 * machines are noisy), and how long the run builder waits for a plan (plan-benchmarks.ts). Results print
 * as a Markdown table for the README. Needs ~8 GB of free disk in
 * the bench folder (default: a temp folder; --dir to choose, e.g. the disk models will live on).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunDocument, TrialResult } from '../../profiler/api';
import { planRows } from './plan-benchmarks';
import { runtimeRows } from './runtime-rows';

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
  const folder = path.join(dir, 'mobilellm-r1-950m-fused');
  const quantize = runTask('quantize', folder, dir) as TaskResult & {
    sourceWeightsBytes: number;
    variantWeightsBytes: number;
  };
  const readWrite = runTask('read-write', path.join(folder, 'model.onnx_data'), dir);
  const quantizeRatio = quantize.wallMs / readWrite.wallMs;
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
    {
      benchmark: 'int4 quantization of MobileLLM-R1-950M vs reading and writing the same fp32 bytes once',
      measured:
        `${seconds(quantize.wallMs)} vs ${seconds(readWrite.wallMs)}: ${quantizeRatio.toFixed(2)}× ` +
        `(${gib(quantize.sourceWeightsBytes)} → ${gib(quantize.variantWeightsBytes)})`,
      target: '≤ 3.0×',
      pass: quantizeRatio <= 3,
    },
    {
      benchmark: 'Peak RSS while quantizing MobileLLM-R1-950M to int4',
      measured: gib(quantize.maxRssBytes),
      target: '< 1.5 GiB',
      pass: quantize.maxRssBytes < 1.5 * GiB,
    },
  ];
}

/** A full trial through the CLI, as users run it; returns the parsed TrialResult. */
function cliTrial(dataDir: string, ...args: string[]): TrialResult {
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'bin', 'edge-workbench.mjs'), '--data-dir', dataDir, 'run', ...args, '--json'],
    { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`edge-workbench run ${args.join(' ')} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as TrialResult;
}

function runnerRows(dir: string): Row[] {
  // MobileLLM-R1 140M at depth 0 (the runner's own cost, no context), fp32 or a quantization preset
  const trial = (style: string, quant = 'fp32'): TrialResult =>
    cliTrial(
      dir,
      '--model',
      'mobilellm-r1-140m',
      '--style',
      style,
      '--quant',
      quant,
      '--prompt',
      '128',
      '--gen',
      '64',
      '--depth',
      '0',
      '--reps',
      '5',
    );
  const fused = trial('fused');
  const standard = trial('standard');
  const int4 = (style: string): TrialResult => trial(style, 'int4');
  const fusedInt4 = int4('fused');
  const standardInt4 = int4('standard');
  const decode = (result: TrialResult): number => result.summary!.decodeTokensPerSecond!.median;
  const prefill = (result: TrialResult): number => result.summary!.prefillTokensPerSecond!.median;
  const standardFolder = path.dirname(path.dirname(standard.model!.modelFile));
  const bare = runTask('runner-vs-bare', standardFolder) as unknown as Record<string, number>;
  const tjs = runTask('runner-vs-transformers-js', standardFolder) as unknown as Record<string, number>;
  const overhead = bare.workbenchTokensPerSecond! / bare.bareTokensPerSecond!;
  const versusTjs = tjs.workbenchTokensPerSecond! / tjs.transformersJsTokensPerSecond!;
  const cv = fused.summary!.decodeTokensPerSecond!.cv;
  const rate = (value: number): string => `${value.toFixed(1)} tok/s`;
  return [
    {
      benchmark:
        'Runner overhead: workbench decode vs a bare session.run loop (R1-140M standard fp32, 64 tokens, median of 5)',
      measured: `${rate(bare.workbenchTokensPerSecond!)} vs ${rate(bare.bareTokensPerSecond!)}: ${overhead.toFixed(3)}×`,
      target: '≥ 0.97×',
      pass: overhead >= 0.97,
    },
    {
      benchmark:
        'Workbench vs transformers.js generate, decode (same folder, 64 new tokens, median of 5, alternating)',
      measured: `${rate(tjs.workbenchTokensPerSecond!)} vs ${rate(tjs.transformersJsTokensPerSecond!)}: ${versusTjs.toFixed(2)}×`,
      target: '≥ 1.0×',
      pass: versusTjs >= 1,
    },
    {
      benchmark:
        'Fused vs standard graph, MobileLLM-R1-140M fp32 (P=128, G=64, depth 0, 5 reps): decode / prefill',
      measured:
        `decode ${rate(decode(fused))} vs ${rate(decode(standard))} (${(decode(fused) / decode(standard)).toFixed(2)}×); ` +
        `prefill ${rate(prefill(fused))} vs ${rate(prefill(standard))} (${(prefill(fused) / prefill(standard)).toFixed(2)}×)`,
      target: 'reported',
      pass: true,
    },
    {
      benchmark:
        'Fused vs standard graph, MobileLLM-R1-140M int4 (P=128, G=64, depth 0, 5 reps): decode / prefill',
      measured:
        `decode ${rate(decode(fusedInt4))} vs ${rate(decode(standardInt4))} (${(decode(fusedInt4) / decode(standardInt4)).toFixed(2)}×); ` +
        `prefill ${rate(prefill(fusedInt4))} vs ${rate(prefill(standardInt4))} (${(prefill(fusedInt4) / prefill(standardInt4)).toFixed(2)}×)`,
      target: 'reported',
      pass: true,
    },
    {
      benchmark: 'int4 vs fp32, MobileLLM-R1-140M fused (depth 0): decode tok/s and weight bytes',
      measured:
        `decode ${rate(decode(fusedInt4))} vs ${rate(decode(fused))} (${(decode(fusedInt4) / decode(fused)).toFixed(2)}×); ` +
        `weights ${gib(fusedInt4.model!.weightsBytes)} vs ${gib(fused.model!.weightsBytes)}`,
      target: 'reported',
      pass: true,
    },
    {
      benchmark: 'Repeatability: CV of decode tok/s over 5 repetitions (R1-140M fused)',
      measured: `${(cv * 100).toFixed(1)}%`,
      target: '≤ 5% (idle machine)',
      pass: cv <= 0.05,
    },
  ];
}

/**
 * The context axis at real size: a sweep of MobileLLM-R1-950M int4 at 512, 4K and 32K tokens, each
 * measured at the end of its window (synthetic fill, the default shared KV buffer), as a user runs it.
 */
function contextRows(dir: string): Row[] {
  const out = path.join(dir, 'context-sweep.json');
  const contexts = [512, 4096, 32768];
  const startedMs = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'edge-workbench.mjs'),
      '--data-dir',
      dir,
      'sweep',
      '--model',
      'mobilellm-r1-950m',
      '--quant',
      'int4',
      '--context',
      contexts.join(','),
      '--prompt',
      '128',
      '--gen',
      '32',
      '--reps',
      '3',
      '--out',
      out,
    ],
    { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = performance.now() - startedMs;
  if (result.status !== 0) throw new Error(`the context sweep failed:\n${result.stderr}`);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as RunDocument;
  const rows = contexts.map((context): Row => {
    const trial = doc.trials.find((entry) => entry.result.spec.contextTokens === context)?.result;
    if (trial?.status !== 'ok')
      throw new Error(`the ${context}-token trial failed: ${trial?.failure?.message}`);
    const s = trial.summary!;
    const inside = trial.kvSetup;
    return {
      benchmark:
        `MobileLLM-R1-950M int4 at context ${context} (depth ${trial.spec.depthTokens}, ${inside?.fill} fill, ` +
        `${inside?.buffer} KV buffer; P=128, G=32, 3 reps): decode, per-token p50, peak RSS`,
      measured:
        `decode ${s.decodeTokensPerSecond!.median.toFixed(1)} tok/s, per token ${s.perTokenMs!.p50.toFixed(0)} ms, ` +
        `peak ${gib(trial.peakRssBytes!)} (KV ${gib(trial.kvCache!.exactBytes)})`,
      target: 'reported',
      pass: true,
    };
  });
  rows.push({
    benchmark: `Wall time of that sweep (${contexts.join(', ')} tokens; build and int4 quantization included)`,
    measured: `${(wallMs / 60000).toFixed(1)} min`,
    target: 'minutes, not hours (< 30 min)',
    pass: wallMs < 30 * 60000,
  });
  return rows;
}

async function main(): Promise<void> {
  const dirFlag = process.argv.indexOf('--dir');
  const parent = dirFlag > 0 ? path.resolve(process.argv[dirFlag + 1]!) : os.tmpdir();
  const dir = mkdtempSync(path.join(parent, 'ew-bench-'));
  const rows: Row[] = [];
  try {
    const only = process.argv.includes('--only')
      ? process.argv[process.argv.indexOf('--only') + 1]
      : undefined;
    if (!only || only === 'models') rows.push(...buildVersusWrite(dir));
    if (!only || only === 'runner') rows.push(...runnerRows(dir));
    if (!only || only === 'context') rows.push(...contextRows(dir));
    if (!only || only === 'plan') rows.push(...(await planRows(repoRoot, dir)));
    if (!only || only === 'runtimes') rows.push(...runtimeRows(repoRoot, dir));
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

await main();
