import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  RunDocumentSchema,
  SystemInfoSchema,
  WorkbenchEventSchema,
  type SocketReply,
  type SweepWorkbenchEvent,
} from '../api';
import { createEngine } from '../engine/create-engine';
import { startServeServer, type RunningServer } from './serve-server';

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'ew-serve-test-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Edge LLM Workbench</title>');
const api = createEngine({
  appName: 'Test',
  appVersion: '0.0.0',
  host: 'serve',
  dataDir: rendererDir,
});

let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startServeServer({ api, rendererDir, host: '127.0.0.1', port: 0, allowRemote: false });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

function cookieFor(token: string): string {
  return `ew_token_${server.port}=${token}`;
}

/** Open the API socket with the given headers; resolves with the socket or the refusal status. */
function openSocket(headers: Record<string, string>, query = ''): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => resolve(-1));
  });
}

function ask(socket: WebSocket, message: unknown): Promise<SocketReply> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as SocketReply));
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('serve over HTTP', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 without a token, and says how to get in', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('?token=');
  });

  it('answers 403 to a wrong token, on assets too', async () => {
    expect((await fetch(`${base}/?token=nope`)).status).toBe(403);
    expect((await fetch(`${base}/index.html`, { headers: { cookie: cookieFor('nope') } })).status).toBe(403);
  });

  it('trades the URL token for a strict HttpOnly cookie and drops it from the address', async () => {
    const res = await fetch(server.url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('serves the page with the cookie, under a strict CSP', async () => {
    const res = await fetch(`${base}/`, { headers: { cookie: cookieFor(server.token) } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Edge LLM Workbench');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('accepts a bearer token (scripts, remote agents)', async () => {
    const res = await fetch(`${base}/`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    // fetch() will not send a forged Host header; a raw request will, as a rebinding page's would.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/',
            headers: { host: 'evil.example', authorization: `Bearer ${server.token}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(400);
  });

  it('answers 404 for a missing file, with the token', async () => {
    const res = await fetch(`${base}/nope.js`, { headers: { cookie: cookieFor(server.token) } });
    expect(res.status).toBe(404);
  });
});

describe('serve over WebSocket', () => {
  it('refuses a socket without a token, or with a wrong one', async () => {
    expect(await openSocket({})).toBe(401);
    expect(await openSocket({ cookie: cookieFor('wrong') })).toBe(403);
  });

  it('refuses a socket opened from another site (cross-site WebSocket hijacking)', async () => {
    expect(await openSocket({ cookie: cookieFor(server.token), origin: 'http://evil.example' })).toBe(403);
  });

  it('answers system() with real facts in the schema', async () => {
    const socket = await openSocket({ cookie: cookieFor(server.token), origin: base });
    if (typeof socket === 'number') throw new Error(`refused: ${socket}`);
    const reply = await ask(socket, { id: 7, method: 'system', args: [] });
    socket.close();
    expect(reply).toMatchObject({ id: 7, ok: true });
    if (!reply.ok) return;
    const info = SystemInfoSchema.parse(reply.result);
    expect(info.runtime.host).toBe('serve');
    expect(info.cpu.logicalCores).toBe(os.cpus().length);
  });

  it('accepts the token as a query parameter (a desktop app connecting to a remote agent)', async () => {
    const socket = await openSocket({}, `?token=${server.token}`);
    expect(socket).toBeInstanceOf(WebSocket);
    if (socket instanceof WebSocket) socket.close();
  });

  it('answers bad requests with a reason instead of dropping them', async () => {
    const socket = await openSocket({ cookie: cookieFor(server.token) });
    if (typeof socket === 'number') throw new Error(`refused: ${socket}`);
    expect(await ask(socket, 'not json')).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await ask(socket, { id: 1, method: 'format', args: [] })).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await ask(socket, { id: 2, method: 'system', args: [1] })).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'invalid-arguments' },
    });
    socket.close();
  });
});

describe('serve start-up', () => {
  it('refuses a network-facing bind without --allow-remote', async () => {
    await expect(
      startServeServer({ api, rendererDir, host: '0.0.0.0', port: 0, allowRemote: false }),
    ).rejects.toThrow(/--allow-remote/);
  });

  it('names the port when it is taken', async () => {
    await expect(
      startServeServer({ api, rendererDir, host: '127.0.0.1', port: server.port, allowRemote: false }),
    ).rejects.toThrow(`Port ${server.port} on 127.0.0.1 is in use`);
  });

  it('says to build when the renderer is missing', async () => {
    await expect(
      startServeServer({ api, rendererDir: '/nonexistent', host: '127.0.0.1', port: 0, allowRemote: false }),
    ).rejects.toThrow(/npm run build/);
  });
});

describe('sweeps over the socket', () => {
  it('starts a sweep, pushes its events to the client, and stores the run', async () => {
    const socket = await openSocket({ cookie: cookieFor(server.token) });
    if (typeof socket === 'number') throw new Error(`refused: ${socket}`);
    const events: SweepWorkbenchEvent[] = [];
    const finished = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { event?: string; payload?: unknown };
        if (message.event !== 'workbench') return;
        const event = WorkbenchEventSchema.parse(message.payload);
        if (event.kind !== 'sweep') return;
        events.push(event);
        if (event.event.type === 'done') resolve();
      });
    });
    const tiny = {
      num_hidden_layers: 2,
      hidden_size: 64,
      intermediate_size: 96,
      vocab_size: 256,
      max_context_tokens: 128,
    };
    const sweep = {
      models: [{ kind: 'catalog', id: 'smollm2-135m', overrides: tiny }],
      contexts: [64],
      prompts: [8],
      gens: [4],
      repetitions: 1,
      warmupRuns: 0,
    };
    const started = await ask(socket, { id: 21, method: 'startSweep', args: [sweep, 'socket test'] });
    expect(started).toMatchObject({ id: 21, ok: true, result: { trials: 1 } });
    await finished;
    const runId = (started as { result: { runId: string } }).result.runId;
    expect(events.every((event) => event.runId === runId)).toBe(true);
    expect(events.map((event) => event.event.type)).toEqual(
      expect.arrayContaining(['trial-start', 'trial-progress', 'trial-done', 'done']),
    );
    const loaded = await ask(socket, { id: 22, method: 'loadRun', args: [runId] });
    const doc = RunDocumentSchema.parse((loaded as { result: unknown }).result);
    expect(doc).toMatchObject({ name: 'socket test', status: 'completed' });
    expect(doc.trials).toHaveLength(1);
    socket.close();
  });
});
