/**
 * How long the run builder waits for a plan, measured as the page asks for it: `edge-workbench serve`
 * on a fresh data folder (no bandwidth cached, no model built), a WebSocket client speaking the page's
 * protocol (profiler/api/socket-client), the calls the builder makes on opening — system, catalog and
 * the default selection's plan at once — then a model-folder plan sent while the first may still run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { createSocketClient, type SocketConstructor } from '../../profiler/api/socket-client';
import type { SweepSpecInput } from '../../profiler/api';

export interface PlanRow {
  benchmark: string;
  measured: string;
  target: string;
  pass: boolean;
}

/** ms a plan may take: the run builder's answer to an edit */
const PLAN_TARGET_MS = 1000;

function cli(repoRoot: string, args: string[]): void {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'edge-workbench.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`edge-workbench ${args.join(' ')} failed:\n${result.stderr}`);
}

async function startServe(
  repoRoot: string,
  dataDir: string,
  allowDir: string,
): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'edge-workbench.mjs'),
      '--data-dir',
      dataDir,
      'serve',
      '--port',
      '0',
      '--allow-dir',
      allowDir,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { child, url: new URL(url) };
}

/** ms from sending `call` to its answer */
async function timed(call: () => Promise<unknown>): Promise<number> {
  const startedMs = performance.now();
  await call();
  return performance.now() - startedMs;
}

export async function planRows(repoRoot: string, dir: string): Promise<PlanRow[]> {
  const modelsDir = path.join(dir, 'plan-models');
  mkdirSync(modelsDir, { recursive: true });
  // a real exported-style folder: MobileLLM-R1-140M fp32 (0.5 GiB of weights in external data)
  const folder = path.join(modelsDir, 'mobilellm-r1-140m-folder');
  cli(repoRoot, ['--data-dir', dir, 'models', 'build', 'mobilellm-r1-140m', '--out', folder]);

  const dataDir = path.join(dir, 'plan-data');
  const { child, url } = await startServe(repoRoot, dataDir, modelsDir);
  const client = createSocketClient({
    origin: url.origin,
    token: url.searchParams.get('token') ?? '',
    WebSocketImpl: WebSocket as unknown as SocketConstructor,
  });
  try {
    await client.open();
    // the builder's defaults (renderer/src/stores/builder-store.ts) and what it sends on opening
    const defaultSpec: SweepSpecInput = {
      models: [{ kind: 'catalog', id: 'mobilellm-r1-140m' }],
      quants: ['fp32', 'int4'],
      contexts: [2048],
    };
    const folderSpec: SweepSpecInput = {
      models: [{ kind: 'folder', path: folder }],
      quants: ['fp32'],
      contexts: [512, 2048],
    };
    const largestSpec: SweepSpecInput = {
      models: ['mobilellm-r1-140m', 'mobilellm-r1-360m', 'mobilellm-r1-950m'].map((id) => ({
        kind: 'catalog' as const,
        id,
      })),
      quants: ['fp32', 'fp16', 'int8-dyn', 'int4'],
      contexts: [512, 2048, 4096, 8192, 16384, 32768],
    };
    const opening = [client.call('system', []), client.call('catalog', [])];
    const firstPlan = timed(() => client.call('planSweep', [defaultSpec]));
    // the person's first edit, sent while the opening plan may still be on its way
    const folderPlan = timed(() => client.call('planSweep', [folderSpec]));
    const [firstMs, folderMs] = await Promise.all([firstPlan, folderPlan]);
    await Promise.all(opening);
    const largestMs = await timed(() => client.call('planSweep', [largestSpec]));
    const row = (benchmark: string, ms: number): PlanRow => ({
      benchmark,
      measured: `${Math.round(ms)} ms`,
      target: `< ${PLAN_TARGET_MS / 1000} s`,
      pass: ms < PLAN_TARGET_MS,
    });
    return [
      row(
        'First plan of a fresh serve (the builder opening: default MobileLLM-R1-140M fp32 + int4 at 2048, ' +
          'nothing built, no bandwidth cached), over the WebSocket',
        firstMs,
      ),
      row(
        'A model-folder plan (MobileLLM-R1-140M folder, 0.5 GiB, 2 contexts) sent right behind it',
        folderMs,
      ),
      row('The largest catalog plan: 3 models × 4 presets × 6 contexts (72 trials)', largestMs),
    ];
  } finally {
    client.close();
    child.kill();
  }
}
