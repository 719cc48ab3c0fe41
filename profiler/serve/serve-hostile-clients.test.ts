import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDocumentSchema, type WorkbenchEvent } from '../api';
import { startServeProcess, type ServeProcess } from '../cli/test/serve-process';
import { writeAgentsFile } from '../engine/agents-file';
import { connectApiClient, type ApiClient } from '../engine/test/api-client';
import { sendsGarbage, startHostileAgent, type HostileAgent } from '../engine/test/hostile-agent';
import { frame, openRawClient, OPCODE, textFrame } from '../engine/test/raw-websocket';
import { stubServeBandwidth, tinySweep } from '../engine/test/tiny-sweep';

/**
 * `serve` as its own process, against clients that send what no WebSocket library would: a 20 MiB
 * message, invalid UTF-8, a reserved opcode, reserved bits, an unmasked frame. Each such client is
 * closed with the code RFC 6455 gives (and one line in serve's log); the process, the sweep it is
 * running and its other clients go on. So it does for clients that reset the connection mid-upgrade or
 * stop reading, and for an agent that feeds its hub garbage (a second serve).
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'ew-serve-hostile-'));
const masked = { mask: true };
let serve: ServeProcess;

beforeAll(async () => {
  const dataDir = path.join(root, 'serve');
  await stubServeBandwidth(dataDir);
  serve = await startServeProcess(dataDir);
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** `promise`, or a failure saying how serve ended if it ends first (rather than a test timeout). */
function whileAlive<T>(promise: Promise<T>, running = serve): Promise<T> {
  return Promise.race([
    promise,
    running.exited.then((code): never => {
      throw new Error(`serve ended (${code}):\n${running.output()}`);
    }),
  ]);
}

/** A well-behaved client: the `ws` library, following events. */
function politeClient(port = serve.port, token = serve.token): Promise<ApiClient> {
  return connectApiClient(port, token);
}

async function until<T>(check: () => T, what: string, ms: number, running = serve): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await whileAlive(new Promise((resolve) => setTimeout(resolve, 50)), running);
  }
}

const sweep = tinySweep([4, 8, 16]);

const MiB = 1024 * 1024;
const hostileFrames: [what: string, bytes: () => Buffer, closeCode: number][] = [
  ['a single 20 MiB message', () => frame(0x80 | OPCODE.text, Buffer.alloc(20 * MiB, 0x61), masked), 1009],
  ['invalid UTF-8 in a text frame', () => frame(0x80 | OPCODE.text, Buffer.from([0xc3, 0x28]), masked), 1007],
  ['a reserved opcode', () => frame(0x83, Buffer.from('{}'), masked), 1002],
  ['RSV1 set (no extension was agreed)', () => frame(0xc0 | OPCODE.text, Buffer.from('{}'), masked), 1002],
  ['RSV2 set', () => frame(0xa0 | OPCODE.text, Buffer.from('{}'), masked), 1002],
  ['RSV3 set', () => frame(0x90 | OPCODE.text, Buffer.from('{}'), masked), 1002],
  ['an unmasked frame', () => frame(0x80 | OPCODE.text, Buffer.from('{}'), { mask: false }), 1002],
];

describe('no client frame ends serve', () => {
  it('closes each hostile client with its RFC 6455 code while the sweep it runs finishes', async () => {
    const watcher = await politeClient();
    const started = await whileAlive(watcher.call('startSweep', [sweep, 'under fire']));
    if (!started.ok) throw new Error(started.error.message);
    const { runId } = started.result as { runId: string };
    const doneEvent = (): WorkbenchEvent | undefined =>
      watcher.events.find(
        (event) => event.kind === 'sweep' && event.runId === runId && event.event.type === 'done',
      );

    for (const [what, bytes, closeCode] of hostileFrames) {
      const raw = await whileAlive(openRawClient(serve.port, `/api?token=${serve.token}`));
      raw.socket.write(bytes());
      expect(await whileAlive(raw.closeCode), what).toBe(closeCode);
      raw.socket.end();
      await whileAlive(raw.ended);
      expect(serve.alive(), `serve after ${what}`).toBe(true);
    }
    // the frames arrived while the sweep was running, not after it
    expect(doneEvent()).toBeUndefined();

    // one log line per hostile client, naming what it did
    const log = serve.output().split('\n');
    expect(log.filter((line) => line.startsWith('[serve] closed the connection of 127.0.0.1'))).toHaveLength(
      hostileFrames.length,
    );
    expect(serve.output()).toContain('Max payload size exceeded');

    // the polite client is still served, and the sweep runs to its end
    expect(await whileAlive(watcher.call('listRuns'))).toMatchObject({ ok: true });
    const done = await until(doneEvent, 'the sweep to finish', 90_000);
    expect(done).toMatchObject({ event: { type: 'done', status: 'completed' } });
    const loaded = await whileAlive(watcher.call('loadRun', [runId]));
    if (!loaded.ok) throw new Error(loaded.error.message);
    const doc = RunDocumentSchema.parse(loaded.result);
    expect(doc.trials).toHaveLength(3);
    expect(doc.trials.map((trial) => trial.result.status)).toEqual(['ok', 'ok', 'ok']);
    await watcher.close();
    expect(serve.alive()).toBe(true);
  }, 120_000);
});

describe('no client that hangs up ends serve', () => {
  /** An upgrade request, then a TCP reset `afterMs` later: as a client that crashes or is killed. */
  function upgradeThenReset(query: string, afterMs: number): Promise<void> {
    return new Promise((resolve) => {
      const socket = net.connect(serve.port, '127.0.0.1', () => {
        socket.write(
          `GET /api${query} HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nUpgrade: websocket\r\n` +
            'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
        setTimeout(() => {
          socket.resetAndDestroy();
          setTimeout(resolve, 20);
        }, afterMs);
      });
      socket.on('error', () => undefined);
    });
  }

  it('survives clients that reset the connection while their upgrade is refused or accepted', async () => {
    // a refused upgrade's socket had no error listener: an unauthenticated client could end serve
    for (const query of ['', '?token=wrong', `?token=${serve.token}`])
      for (const afterMs of [0, 0, 5, 5]) await whileAlive(upgradeThenReset(query, afterMs));
    const client = await whileAlive(politeClient());
    expect(await whileAlive(client.call('listRuns'))).toMatchObject({ ok: true });
    await client.close();
    expect(serve.alive()).toBe(true);
  });
});

describe('a client that stops reading', () => {
  it('is dropped once 32 MiB of answers wait for it, and serve goes on', async () => {
    const raw = await whileAlive(openRawClient(serve.port, `/api?token=${serve.token}`));
    raw.socket.pause(); // reads nothing from here on
    // 2,500 catalog calls: ~17 KB each, some 40 MiB of answers in all
    const calls = Array.from({ length: 2_500 }, (_, i) =>
      textFrame(JSON.stringify({ id: i + 1, method: 'catalog', args: [] }), masked),
    );
    raw.socket.write(Buffer.concat(calls));
    await until(
      () => serve.output().includes('it stopped reading (over 32 MiB unread)'),
      'serve to drop the client that stopped reading',
      30_000,
    );
    raw.socket.destroy();
    const client = await whileAlive(politeClient());
    expect(await whileAlive(client.call('listRuns'))).toMatchObject({ ok: true });
    await client.close();
  }, 60_000);
});

describe('no agent ends the serve that holds the hub', () => {
  let hubServe: ServeProcess | undefined;
  let badAgent: HostileAgent | undefined;
  afterAll(async () => {
    await hubServe?.stop();
    await badAgent?.close();
  });

  it('keeps serving while its agent hub is fed garbage by an agent, and keeps dialing it back', async () => {
    const dataDir = path.join(root, 'hub');
    badAgent = await startHostileAgent(sendsGarbage);
    await writeAgentsFile(dataDir, [
      { id: 'agent-bad', url: badAgent.url, token: 'x'.repeat(32), copied: [] },
    ]);
    // the hub dials the agents it remembers as it starts
    hubServe = await startServeProcess(dataDir);
    const bad = badAgent;
    // dropped each time, it is dialled again after 1 s, then 2 s…
    await until(() => bad.connections.length >= 2, 'the hub to dial the bad agent again', 15_000, hubServe);
    const client = await whileAlive(politeClient(hubServe.port, hubServe.token), hubServe);
    const agents = await whileAlive(client.call('listAgents'), hubServe);
    await client.close();
    expect(agents).toMatchObject({ ok: true, result: [{ id: 'agent-bad', system: null }] });
    expect(hubServe.alive()).toBe(true);
  }, 60_000);
});
