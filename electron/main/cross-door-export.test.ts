import type { IpcMainInvokeEvent } from 'electron';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ExportedRunSchema,
  type ExportFormat,
  type ExportOptions,
  type SocketReply,
} from '../../profiler/api';
import { environmentOf } from '../../profiler/bench/run-trial';
import { appFactsFromPackage, createEngine } from '../../profiler/engine';
import { exampleRunDocument } from '../../profiler/report/test/example-run';
import { probeSystem } from '../../profiler/runtime/system-probe';
import { writeBandwidthCacheStub } from '../../profiler/runtime/test/bandwidth-cache-stub';
import { startServeServer, type RunningServer } from '../../profiler/serve/serve-server';
import { exportRunToFile } from './desktop-dialogs';
import { bindWorkbenchIpc, type IpcHandlerRegistry } from './ipc-bindings';

/**
 * One run exported through every door — the CLI (`edge-workbench report`), serve (the WebSocket's
 * exportRun), the desktop app (its IPC binding, and its Export… Save-as) — reads the same: Markdown, CSV
 * and JSON byte for byte, HTML section for section. The report embeds no time of its own (its dates
 * come from the run document), so the HTML is compared whole as well.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const base = mkdtempSync(path.join(os.tmpdir(), 'ew-cross-door-'));
const dataDir = path.join(base, 'data');
const rendererDir = path.join(base, 'renderer');
const saveDir = path.join(base, 'saved');

// the serve door and the desktop app each run their own engine on the one data folder, as they would
const serveEngine = createEngine(appFactsFromPackage('serve', dataDir));
const desktopEngine = createEngine({ ...appFactsFromPackage('cli', dataDir), host: 'electron' });

let server: RunningServer;
let socket: WebSocket;
let runId: string;

beforeAll(async () => {
  for (const dir of [rendererDir, saveDir]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Edge LLM Workbench</title>');
  // this machine's bandwidth, cached, so the this-machine target is the same everywhere and nothing waits
  const environment = environmentOf(await probeSystem(appFactsFromPackage('cli', dataDir)));
  writeBandwidthCacheStub(dataDir, environment, { bytesPerSecond: 20e9 });
  ({ id: runId } = await serveEngine.importRun(JSON.stringify(exampleRunDocument())));
  server = await startServeServer({
    api: serveEngine,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
  });
  socket = await new Promise<WebSocket>((resolve, reject) => {
    const opened = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    opened.once('open', () => resolve(opened));
    opened.once('error', reject);
  });
});

afterAll(async () => {
  socket.close();
  await server.close();
  rmSync(base, { recursive: true, force: true });
});

/** `edge-workbench report <run> --format <format> [--target …] [--goal …]`: its stdout. */
function viaCli(format: ExportFormat, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, '--data-dir', dataDir, 'report', runId, '--format', format, ...args],
      { cwd: repoRoot },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) =>
      status === 0 ? resolve(stdout) : reject(new Error(`report exited ${status}: ${stderr}`)),
    );
  });
}

let nextId = 1;

/** The WebSocket's exportRun, as the browser UI (SocketBackend) calls it. */
function viaServe(format: ExportFormat, options?: ExportOptions): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const reply = JSON.parse(data.toString()) as SocketReply;
      if (reply.id !== id) return;
      socket.off('message', onMessage);
      if (reply.ok) resolve(ExportedRunSchema.parse(reply.result).text);
      else reject(new Error(reply.error.message));
    };
    socket.on('message', onMessage);
    const args = options ? [runId, format, options] : [runId, format];
    socket.send(JSON.stringify({ id, method: 'exportRun', args }));
  });
}

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
const ownEvent = { senderFrame: { url: 'file:///app/index.html' } } as unknown as IpcMainInvokeEvent;

/** The desktop app's `workbench:exportRun` channel, bound to its engine as electron/main/index.ts binds it. */
async function viaDesktopIpc(format: ExportFormat, options?: ExportOptions): Promise<string> {
  const handlers = new Map<string, Handler>();
  const ipc = {
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as IpcHandlerRegistry;
  const unbind = bindWorkbenchIpc(ipc, desktopEngine, () => true);
  try {
    const args = options ? [runId, format, options] : [runId, format];
    return ExportedRunSchema.parse(await handlers.get('workbench:exportRun')!(ownEvent, ...args)).text;
  } finally {
    unbind();
  }
}

/** The desktop app's Export… Save as: the file it writes where the (fake) save dialog points. */
async function viaDesktopSaveAs(format: ExportFormat): Promise<string> {
  const file = path.join(saveDir, `saved.${format}`);
  const saved = await exportRunToFile(
    {
      api: desktopEngine,
      dialogs: {
        showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
        showSaveDialog: async () => ({ canceled: false, filePath: file }),
      },
      allowModelFolder: async () => {},
      documentsDir: saveDir,
    },
    null,
    runId,
    format,
  );
  expect(saved).toBe(file);
  return readFileSync(file, 'utf8');
}

/** The report's sections, in order: each <section>'s id and every heading's text. */
function htmlOutline(html: string): string[] {
  return [...html.matchAll(/<section[^>]*\sid="([^"]+)"|<h([1-3])[^>]*>([\s\S]*?)<\/h\2>/g)].map((match) =>
    match[1] !== undefined ? `section#${match[1]}` : `h${match[2]} ${match[3]}`,
  );
}

describe('one run, exported through every door', () => {
  it.each(['md', 'csv', 'json', 'jsonl'] as const)(
    '%s is byte-identical from the CLI, serve and the desktop app',
    async (format) => {
      const [cli, serve, ipc, saved] = await Promise.all([
        viaCli(format, []),
        viaServe(format),
        viaDesktopIpc(format),
        viaDesktopSaveAs(format),
      ]);
      expect(cli.length).toBeGreaterThan(0);
      expect(serve).toBe(cli);
      expect(ipc).toBe(cli);
      expect(saved).toBe(cli);
    },
  );

  it('the HTML report has the same sections everywhere, the device-target analysis among them', async () => {
    const [cli, serve, ipc, saved] = await Promise.all([
      viaCli('html', []),
      viaServe('html'),
      viaDesktopIpc('html'),
      viaDesktopSaveAs('html'),
    ]);
    const outline = htmlOutline(cli);
    for (const id of ['overview', 'results', 'fit', 'kv-pressure', 'tradeoffs', 'definitions'])
      expect(outline).toContain(`section#${id}`);
    // no targets named: every preset and this machine, from every door
    expect(cli).toContain('<th>This machine</th>');
    for (const other of [serve, ipc, saved]) {
      expect(htmlOutline(other)).toEqual(outline);
      expect(other).toBe(cli);
    }
  });

  it('targets and a goal judge the run the same way from every door', async () => {
    const options: ExportOptions = {
      targets: ['phone-4gb', 'name=Board,ram=1GB,bandwidth=100GB/s,budget=600MB'],
      goal: { minDecodeTokensPerSecond: 100 },
    };
    const cliArgs = ['--target', 'phone-4gb', '--target', options.targets![1]!, '--goal', 'decode>=100'];
    const [cliMd, serveMd, ipcMd, cliHtml, serveHtml, ipcHtml] = await Promise.all([
      viaCli('md', cliArgs),
      viaServe('md', options),
      viaDesktopIpc('md', options),
      viaCli('html', cliArgs),
      viaServe('html', options),
      viaDesktopIpc('html', options),
    ]);
    expect(cliMd).toContain('| configuration | Phone, 4 GB RAM (LPDDR4X, entry class) | Board |');
    expect(cliMd).toContain('Latency goal: decode ≥ 100 tok/s on the target.');
    expect(serveMd).toBe(cliMd);
    expect(ipcMd).toBe(cliMd);
    expect(htmlOutline(serveHtml)).toEqual(htmlOutline(cliHtml));
    expect(htmlOutline(ipcHtml)).toEqual(htmlOutline(cliHtml));
    expect(serveHtml).toBe(cliHtml);
    expect(ipcHtml).toBe(cliHtml);
  });
});
