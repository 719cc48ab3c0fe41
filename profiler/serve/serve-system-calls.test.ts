import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import si from 'systeminformation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SystemInfoSchema, type SocketReply } from '../api';
import { connectApiClient, type ApiClient } from '../engine/test/api-client';
import { createEngine } from '../engine/create-engine';
import { startServeServer, type RunningServer } from './serve-server';

/**
 * system() under load: a hundred clients asking for it (and for their runs) at once. The hardware is
 * probed once and kept, so they are not queued behind a hundred probes on a board's few cores; the
 * System screen's Refresh probes again, and nobody waits for that probe but the one who asked.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-serve-system-'));
writeFileSync(path.join(dataDir, 'index.html'), '<!doctype html><title>Edge LLM Workbench</title>');
const api = createEngine({ appName: 'Test', appVersion: '0.0.0', host: 'serve', dataDir });
// every probe reads the CPU first: counting those calls counts probes
const cpuReads = vi.spyOn(si, 'cpu');
const graphicsReads = vi.spyOn(si, 'graphics');

let server: RunningServer;
const clients: ApiClient[] = [];

beforeAll(async () => {
  server = await startServeServer({
    api,
    rendererDir: dataDir,
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
  });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

async function connect(): Promise<ApiClient> {
  const client = await connectApiClient(server.port, server.token);
  clients.push(client);
  return client;
}

function resultOf(reply: SocketReply): unknown {
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result;
}

describe('system() with a hundred clients', () => {
  it('probes the hardware once for a hundred clients asking at the same time', async () => {
    const hundred = await Promise.all(Array.from({ length: 100 }, connect));
    const replies = await Promise.all(
      hundred.flatMap((client) => [client.call('system'), client.call('listRuns')]),
    );
    expect(replies.every((reply) => reply.ok)).toBe(true);
    const facts = replies
      .filter((_, i) => i % 2 === 0)
      .map((reply) => SystemInfoSchema.parse(resultOf(reply)));
    expect(new Set(facts.map((info) => JSON.stringify(info))).size).toBe(1);
    expect(facts[0]!.cpu.logicalCores).toBe(os.cpus().length);
    expect(cpuReads).toHaveBeenCalledTimes(1);
  });

  it('probes again on refresh (once for several asking together), and keeps the new facts', async () => {
    const [client] = clients;
    const before = cpuReads.mock.calls.length;
    const refreshed = await Promise.all(
      Array.from({ length: 5 }, () => client!.call('system', [{ refresh: true }])),
    );
    expect(refreshed.every((reply) => reply.ok)).toBe(true);
    expect(cpuReads.mock.calls.length).toBe(before + 1);
    resultOf(await client!.call('system'));
    expect(cpuReads.mock.calls.length).toBe(before + 1);
  });

  it('answers everyone else while a slow refresh is still probing', async () => {
    const [asker, other] = clients;
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    // the next probe's GPU read hangs until released (lspci on a busy board can take seconds)
    graphicsReads.mockImplementationOnce(async () => {
      await slow;
      return { controllers: [], displays: [] };
    });
    let refreshAnswered = false;
    const refreshing = asker!.call('system', [{ refresh: true }]).then((reply) => {
      refreshAnswered = true;
      return reply;
    });
    await vi.waitFor(() => expect(graphicsReads).toHaveBeenCalledTimes(3));
    // the known facts and the runs come back while the probe waits
    const [system, runs] = await Promise.all([other!.call('system'), other!.call('listRuns')]);
    expect(system.ok && runs.ok).toBe(true);
    expect(refreshAnswered).toBe(false);
    release();
    const refreshed = SystemInfoSchema.parse(resultOf(await refreshing));
    expect(refreshed.gpus).toEqual([]);
  });

  it('refuses a system() argument it does not know, naming it', async () => {
    const reply = await clients[0]!.call('system', [{ fresh: true }]);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/fresh/);
  });
});
