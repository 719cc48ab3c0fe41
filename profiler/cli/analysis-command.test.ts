import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceTargetSchema, KvPressureReportSchema, RunAnalysisSchema } from '../api';
import { environmentOf } from '../bench/run-trial';
import { appFactsFromPackage } from '../engine/app-facts';
import { probeSystem } from '../runtime/system-probe';
import { writeBandwidthCacheStub } from '../runtime/test/bandwidth-cache-stub';
import { exampleRunDocument } from '../report/test/example-run';
import { createRunStore } from '../store/run-store';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-analysis-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** bytes/s: this machine's bandwidth as the cache says, so no test waits for a measurement */
const STUB_BANDWIDTH = 20e9;
const doc = exampleRunDocument();
const board = 'name=Board,ram=1GB,bandwidth=100GB/s,budget=600MB';

beforeAll(async () => {
  await createRunStore(dataDir).save(doc);
  const environment = environmentOf(await probeSystem(appFactsFromPackage('cli', dataDir)));
  writeBandwidthCacheStub(dataDir, environment, { bytesPerSecond: STUB_BANDWIDTH });
});

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process; several run at once where a test needs more than one. */
function cli(...args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('edge-workbench kv', () => {
  it('prints 33,792 B/token and 1.03 GiB at 32K for MobileLLM-R1-950M with an fp16 cache', async () => {
    const [text, json] = await Promise.all([
      cli('kv', 'mobilellm-r1-950m', '--quant', 'fp16', '--target', 'phone-8gb', '--target', board),
      cli('kv', 'mobilellm-r1-950m', '--kv-dtype', 'float16', '--target', 'phone-8gb', '--json'),
    ]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('mobilellm-r1-950m · fp16 · KV float16: 33,792 B/token');
    expect(text.stdout).toMatch(/^32,768\s+1\.03 GiB\s/m);
    expect(text.stdout).toMatch(/^512\s+16\.5 MiB\s/m);
    // fp16 weights (1.8 GiB) and their overhead fit the phone's 4 GiB budget with room for ~10K tokens
    expect(text.stdout).toMatch(
      /^Phone, 8 GB RAM \(LPDDR5, upper class\)\s+4\.00 GiB\s+\S+ MiB\s+[\d,]+ tokens$/m,
    );
    expect(text.stdout).toMatch(/^Board\s+572 MiB\s+none\s+weights do not fit$/m);
    const report = KvPressureReportSchema.parse(JSON.parse(json.stdout));
    expect(report.bytesPerToken).toBe(33_792);
    expect(report.contexts.find((c) => c.contextTokens === 32_768)!.kvBytes).toBe(1_107_296_256);
    // the fp32 preset keeps fp32 weights: only the cache is fp16
    expect(report.label).toBe('mobilellm-r1-950m · fp32');
  });
});

describe('edge-workbench targets', () => {
  it('lists the presets and this machine with its measured bandwidth', async () => {
    const { status, stdout } = await cli('targets');
    expect(status).toBe(0);
    for (const id of ['phone-4gb', 'phone-6gb', 'phone-8gb', 'raspberry-pi-5-8gb', 'jetson-orin-nano-8gb']) {
      expect(stdout).toMatch(new RegExp(`\\s${id}\\s.*\\snominal$`, 'm'));
    }
    expect(stdout).toMatch(/^This machine\s+this-machine\s.*\s20\.0 GB\/s\s+measured$/m);
    // both figures, labelled, with when they were measured
    expect(stdout).toMatch(/^bandwidth\s+20\.0 GB\/s: memory read bandwidth, the roofline's bound$/m);
    expect(stdout).toMatch(/^ {2}how\s+test stub streaming read$/m);
    expect(stdout).toMatch(/^kernel\s+10\.0 GB\/s: what onnxruntime's own kernel reaches here$/m);
    expect(stdout).toMatch(/^measured\s+2025-06-02T09:00:00\.000Z \(cached\)$/m);
  });
});

describe('edge-workbench analyze', () => {
  it('shows the verdict matrix, KV pressure, Pareto set and accuracy per cost as tables', async () => {
    const { status, stdout, stderr } = await cli(
      'analyze',
      doc.id,
      '--target',
      'phone-4gb',
      '--target',
      board,
      '--goal',
      'decode>=100,ttft<=1000@1024',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(`Run ${doc.id}`);
    expect(stdout).toMatch(/^Device targets and fit\n=+$/m);
    expect(stdout).toContain('Latency goal: decode ≥ 100 tok/s on the target; TTFT ≤ 1000 ms');
    expect(stdout).toMatch(/fits \(\d+% of budget, projected\) · [\d.]+ tok\/s projected · misses goal/);
    expect(stdout).toMatch(/does not fit \(\d+% of budget, projected\)/);
    expect(stdout).toContain('KV-cache pressure');
    // the KV table has a column per context: turned on its side, a column per model variant
    expect(stdout).toMatch(/^model\s+mobilellm-r1-140m · fp32\s+mobilellm-r1-140m · int4$/m);
    expect(stdout).toMatch(/^KV bytes\/token\s+23,040 B\s+23,040 B$/m);
    expect(stdout).toMatch(/^KV @ 32K\s+720 MiB\s+720 MiB$/m);
    expect(stdout).toContain('Largest context that fits each target');
    // no quality measured: int4 is faster and smaller, so it pushes fp32 off the front
    expect(stdout).toMatch(
      /^#1\n {2}configuration: mobilellm-r1-140m · fp32 · [^#]*^ {2}Pareto: dominated by #2$/m,
    );
    expect(stdout).toMatch(
      /^#2\n {2}configuration: mobilellm-r1-140m · int4 · [^#]*^ {2}Pareto: ★ optimal$/m,
    );
    expect(stdout).toMatch(
      /^MobileLLM-R1-140M\n {2}quant: int4\n(?: {2}.*\n)*? {2}benchmark: math500\n {2}score % \(published\): 6\.2$/m,
    );
  });

  it('--json is a RunAnalysis; by default every preset and this machine, at its cached bandwidth', async () => {
    const { status, stdout } = await cli('analyze', doc.id, '--json');
    expect(status).toBe(0);
    const analysis = RunAnalysisSchema.parse(JSON.parse(stdout));
    expect(analysis.targets.map((target) => target.id)).toEqual([
      'phone-4gb',
      'phone-6gb',
      'phone-8gb',
      'raspberry-pi-5-8gb',
      'jetson-orin-nano-8gb',
      'this-machine',
    ]);
    expect(DeviceTargetSchema.parse(analysis.targets[5]).bandwidthBytesPerSecond).toBe(STUB_BANDWIDTH);
    expect(analysis.verdicts).toHaveLength(2);
    for (const row of analysis.verdicts) expect(row.verdicts).toHaveLength(6);
    expect(analysis.goal).toEqual({});
  });

  it('refuses bad flags with one clear line each, naming the bad part', async () => {
    const cases: [string[], RegExp][] = [
      [['analyze', doc.id, '--goal', 'decode>10'], /"decode>10": decode takes >=/],
      [['analyze', doc.id, '--goal', 'decode>=10,speed<=3'], /"speed<=3" is not a goal/],
      [['analyze', doc.id, '--target', 'phone-9gb'], /Unknown target "phone-9gb"\. Known: phone-4gb/],
      [['analyze', doc.id, '--target', 'name=Board,ram=4GB'], /missing bandwidth/],
      [['analyze', doc.id, '--target', 'phone-4gb', '--target', 'phone-4gb'], /"phone-4gb" is given twice/],
      [['kv', 'mobilellm-r1-9b'], /Unknown model "mobilellm-r1-9b"/],
      [['kv', 'mobilellm-r1-950m', '--quant', 'int3'], /Unknown quantization preset "int3"/],
    ];
    const results = await Promise.all(cases.map(([argv]) => cli(...argv)));
    results.forEach(({ status, stderr, stdout }, index) => {
      const [argv, message] = cases[index]!;
      expect(status, argv.join(' ')).toBe(1);
      expect(stderr, argv.join(' ')).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stdout).toBe('');
    });
  });
});

describe('edge-workbench report with targets', () => {
  it('adds the analysis to md and html; csv stays the run data', async () => {
    const out = path.join(dataDir, 'report.html');
    const [md, html, csv, plainCsv] = await Promise.all([
      cli('report', doc.id, '--format', 'md', '--target', 'phone-4gb', '--goal', 'decode>=100'),
      cli('report', doc.id, '--format', 'html', '--out', out),
      cli('report', doc.id, '--format', 'csv', '--target', 'phone-4gb'),
      cli('report', doc.id, '--format', 'csv'),
    ]);
    expect(md.status).toBe(0);
    expect(md.stdout).toContain('## Device targets and fit');
    expect(md.stdout).toContain('| configuration | Phone, 4 GB RAM (LPDDR4X, entry class) |');
    expect(md.stdout).toContain('Latency goal: decode ≥ 100 tok/s on the target.');
    expect(md.stdout).toContain('## KV-cache pressure');
    expect(md.stdout).toContain('## Trade-offs');
    expect(html.status).toBe(0);
    const page = readFileSync(out, 'utf8');
    for (const id of ['chart-kv', 'chart-tradeoff-memory']) expect(page).toContain(`<canvas id="${id}"`);
    expect(page).toContain('<th>This machine</th>');
    expect(csv.stdout).toBe(plainCsv.stdout);
    expect(csv.stderr).toContain('--target and --goal apply to html and md only');
  });
});
