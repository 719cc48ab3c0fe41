import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SystemInfoSchema, type SocketReply } from '../api';
import { environmentOf } from '../bench/run-trial';
import { createEngine } from '../engine/create-engine';
import { createModelRoots } from '../engine/model-roots';
import { resolveModel } from '../../common/catalog';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import { probeSystem } from '../runtime/system-probe';
import { writeBandwidthCacheStub } from '../runtime/test/bandwidth-cache-stub';
import { startServeServer, type RunningServer } from './serve-server';

/**
 * The serve door under attack: guessed tokens, sockets from other sites, and model paths outside the
 * folders the user allowed. Each is refused, and nothing is read.
 */

// realpath: on macOS the temp folder itself is behind a link (/var → /private/var)
const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ew-serve-security-')));
const rendererDir = path.join(base, 'renderer');
const dataDir = path.join(base, 'data');
const allowed = path.join(dataDir, 'models');
const outside = path.join(base, 'outside');
const sibling = path.join(dataDir, 'models2'); // a prefix sibling of the allowed folder
const facts = { appName: 'Test', appVersion: '0.0.0', host: 'serve' as const, dataDir };
const api = createEngine(facts, { modelRoots: createModelRoots([allowed]) });

let clockMs = 1_000_000;
let server: RunningServer;
let baseUrl: string;

beforeAll(async () => {
  for (const dir of [rendererDir, allowed, outside, sibling]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Edge LLM Workbench</title>');
  // the memory bandwidth the planner asks for, cached so nothing is measured
  writeBandwidthCacheStub(dataDir, environmentOf(await probeSystem(facts)), { bytesPerSecond: 20e9 });
  const tiny = { num_hidden_layers: 2, hidden_size: 64, intermediate_size: 96, vocab_size: 256 };
  await buildSyntheticModel({
    model: resolveModel('mobilellm-r1-140m', { ...tiny, max_context_tokens: 128 }),
    style: 'fused',
    seed: 0,
    outDir: path.join(allowed, 'tiny'),
  });
  // valid models outside: were the path check skipped, planning them would succeed
  cpSync(path.join(allowed, 'tiny'), path.join(outside, 'tiny'), { recursive: true });
  cpSync(path.join(allowed, 'tiny'), path.join(sibling, 'tiny'), { recursive: true });
  symlinkSync(path.join(outside, 'tiny'), path.join(allowed, 'escape'));
  server = await startServeServer({
    api,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
    rateLimit: { maxWrong: 3, now: () => clockMs },
  });
  baseUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  rmSync(base, { recursive: true, force: true });
});

/** Open the API socket with the given headers; resolves with the socket, or the refusal's status and headers. */
function openSocket(
  headers: Record<string, string>,
): Promise<WebSocket | { status: number; retryAfter: string | undefined }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      const retryAfter = res.headers['retry-after'];
      resolve({
        status: res.statusCode ?? 0,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      });
    });
    socket.once('error', () => resolve({ status: -1, retryAfter: undefined }));
  });
}

async function statusOf(headers: Record<string, string>): Promise<number> {
  const opened = await openSocket(headers);
  if (opened instanceof WebSocket) {
    opened.close();
    return 101;
  }
  return opened.status;
}

let nextId = 1;
function ask(socket: WebSocket, method: string, args: unknown[]): Promise<SocketReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const reply = JSON.parse(data.toString()) as SocketReply;
      if (reply.id !== id) return;
      socket.off('message', onMessage);
      resolve(reply);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, method, args }));
  });
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('wrong access tokens are rate-limited per address', () => {
  // one block, run in order: 3 wrong tokens (the test limit) shut 127.0.0.1 out
  it('answers 403 to wrong tokens until the limit, then 429 with Retry-After to HTTP and WebSocket alike', async () => {
    expect((await fetch(`${baseUrl}/`, { headers: bearer('guess-1') })).status).toBe(403);
    expect(await statusOf(bearer('guess-2'))).toBe(403);
    // missing tokens (a browser opening the bare URL) do not count
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${baseUrl}/`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/?token=guess-3`)).status).toBe(403);

    // shut out now: wrong tokens get 429, over HTTP and WebSocket alike
    const res = await fetch(`${baseUrl}/`, { headers: bearer('guess-4') });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.text()).toBe('Too many wrong access tokens from this address; wait 60 s.\n');
    expect(await openSocket(bearer('guess-5'))).toEqual({ status: 429, retryAfter: '60' });

    clockMs += 45_000;
    expect((await fetch(`${baseUrl}/`, { headers: bearer('guess-6') })).headers.get('retry-after')).toBe(
      '15',
    );
    clockMs += 15_000;
    expect((await fetch(`${baseUrl}/`, { headers: bearer('guess-7') })).status).toBe(403);
  });

  it('never refuses the right token, even from an address that is shut out', async () => {
    // A web page in the user's browser can fire blind cross-site GETs with wrong tokens at 127.0.0.1,
    // which every local process shares: were the lockout to refuse the right token too, that page would
    // lock the user out of their own workbench, again and again.
    for (let i = 0; i < 3; i += 1) await fetch(`${baseUrl}/?token=cross-site-${i}`);
    expect((await fetch(`${baseUrl}/`, { headers: bearer('one-more') })).status).toBe(429);

    expect((await fetch(`${baseUrl}/`, { headers: bearer(server.token) })).status).toBe(200);
    expect((await fetch(server.url, { redirect: 'manual' })).status).toBe(303);
    const socket = await openSocket(bearer(server.token));
    expect(socket).toBeInstanceOf(WebSocket);
    if (!(socket instanceof WebSocket)) return;
    const reply = await ask(socket, 'listRuns', []);
    socket.close();
    expect(reply).toMatchObject({ ok: true });
    // …while wrong ones are still refused until the block ends
    expect((await fetch(`${baseUrl}/`, { headers: bearer('still-guessing') })).status).toBe(429);
    clockMs += 60_000;
  });
});

describe('the WebSocket checks Origin', () => {
  it.each([
    ['another site', 'http://evil.example'],
    ['another port on this host', 'http://127.0.0.1:1'],
    ['a sandboxed frame or file: page', 'null'],
    ['garbage', '::'],
  ])('refuses a socket opened from %s, even with the token', async (_what, origin) => {
    expect(await statusOf({ ...bearer(server.token), origin })).toBe(403);
  });

  it("accepts this server's own page, and scripts that send no Origin", async () => {
    expect(await statusOf({ ...bearer(server.token), origin: baseUrl })).toBe(101);
    expect(await statusOf(bearer(server.token))).toBe(101);
  });
});

describe('model paths are confined to the allowed folders', () => {
  let socket: WebSocket;
  beforeAll(async () => {
    const opened = await openSocket(bearer(server.token));
    if (!(opened instanceof WebSocket)) throw new Error(`refused: ${opened.status}`);
    socket = opened;
  });
  afterAll(() => socket.close());

  const folderSweep = (modelPath: string): unknown => ({
    models: [{ kind: 'folder', path: modelPath }],
    contexts: [64],
    prompts: [8],
    gens: [4],
  });

  it('tells the builder which folders this agent opens models from', async () => {
    const reply = await ask(socket, 'system', []);
    if (!reply.ok) throw new Error(reply.error.message);
    expect(SystemInfoSchema.parse(reply.result).allowedModelFolders).toEqual([allowed]);
  });

  it('plans a model under an allowed folder, by its real path', async () => {
    const reply = await ask(socket, 'planSweep', [folderSweep(path.join(allowed, 'tiny'))]);
    if (!reply.ok) throw new Error(reply.error.message);
    const { trials } = reply.result as { trials: { spec: { model: { path: string } } }[] };
    expect(trials.map((trial) => trial.spec.model.path)).toEqual([path.join(allowed, 'tiny')]);
  });

  it.each([
    ['outside', () => path.join(outside, 'tiny')],
    ['through ".."', () => `${allowed}/../../outside/tiny`],
    ['relative, through ".."', () => path.relative(process.cwd(), path.join(outside, 'tiny'))],
    ['through a link inside the allowed folder that points out', () => path.join(allowed, 'escape')],
    ['in a prefix sibling (models2 vs models)', () => path.join(sibling, 'tiny')],
    ['that does not exist outside', () => path.join(outside, 'nothing')],
  ])('refuses a model path %s, for planSweep and startSweep, with a clear message', async (_what, of) => {
    const modelPath = of();
    for (const [method, args] of [
      ['planSweep', [folderSweep(modelPath)]],
      ['startSweep', [folderSweep(modelPath), 'refused']],
    ] as const) {
      const reply = await ask(socket, method, [...args]);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (reply.ok) continue;
      expect(reply.error.message).toBe(
        `${modelPath} is not under a folder this workbench may open models from (${allowed}). ` +
          'Put the model under one of those folders, or allow its folder: `edge-workbench serve --allow-dir ' +
          '<folder>`, or Open model folder… in the desktop app.',
      );
    }
    const runs = await ask(socket, 'listRuns', []);
    expect(runs).toMatchObject({ ok: true, result: { runs: [] } });
  });

  it('says "does not exist" only for a missing path under an allowed folder', async () => {
    const reply = await ask(socket, 'planSweep', [folderSweep(path.join(allowed, 'nothing'))]);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/nothing does not exist/);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses before reading anything: a model outside whose config is a FIFO would hang any reader',
    async () => {
      const trap = path.join(outside, 'trap');
      mkdirSync(trap);
      execFileSync('mkfifo', [path.join(trap, 'genai_config.json')]);
      const started = performance.now();
      const reply = await ask(socket, 'planSweep', [folderSweep(trap)]);
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(performance.now() - started).toBeLessThan(2_000);
    },
  );
});
