import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AgentInfo, SocketConstructor, SweepSpecInput, WorkbenchEvent } from '../api';
import { startServeServer, type RunningServer } from '../serve/serve-server';
import { agentsFilePath } from './agents-file';
import { parseAgentUrl } from './agent-hub';
import { createEngine, type Engine } from './create-engine';

/**
 * Two agents (serve on two loopback ports, each with its own data folder and device name) and a hub
 * engine that drives both: a sweep on each, both runs copied into the hub's history naming their device,
 * and a connection cut mid-sweep that loses nothing.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'ew-agents-'));
const rendererDir = path.join(root, 'renderer');
const tiny = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 128,
};
const sweep: SweepSpecInput = {
  models: [{ kind: 'catalog', id: 'smollm2-135m', overrides: tiny }],
  contexts: [64],
  prompts: [8],
  gens: [4],
  repetitions: 1,
  warmupRuns: 0,
};

interface RunningAgent {
  name: string;
  engine: Engine;
  server: RunningServer;
}

async function startAgent(name: string): Promise<RunningAgent> {
  const dataDir = path.join(root, name);
  const engine = createEngine({
    appName: 'Test',
    appVersion: '0.0.0',
    host: 'serve',
    dataDir,
    deviceName: name,
  });
  const server = await startServeServer({
    api: engine,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
  });
  return { name, engine, server };
}

/** The hub dials through this: `cut` drops every open connection and refuses new ones until `restore`. */
class CuttableSocket extends WebSocket {
  static open = new Set<CuttableSocket>();
  static offline = false;
  constructor(url: string) {
    // while "offline", dial a port nobody listens on: the hub sees a failed connect, as on a dead network
    super(CuttableSocket.offline ? 'ws://127.0.0.1:9/api' : url);
    CuttableSocket.open.add(this);
    this.on('close', () => CuttableSocket.open.delete(this));
  }
  static cut(): void {
    CuttableSocket.offline = true;
    for (const socket of CuttableSocket.open) socket.terminate();
  }
}

let agentA: RunningAgent;
let agentB: RunningAgent;
let hub: Engine;
const hubDir = path.join(root, 'hub');
const events: WorkbenchEvent[] = [];

/** Polls `check` (every 50 ms) until it gives something truthy. */
async function until<T>(check: () => T | Promise<T>, what: string, ms = 90_000): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function doneEventOf(runId: string): WorkbenchEvent | undefined {
  return events.find(
    (event) => event.kind === 'sweep' && event.runId === runId && event.event.type === 'done',
  );
}

beforeAll(async () => {
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Edge LLM Workbench</title>');
  [agentA, agentB] = await Promise.all([startAgent('board-a'), startAgent('board-b')]);
  hub = createEngine(
    { appName: 'Test', appVersion: '0.0.0', host: 'serve', dataDir: hubDir, deviceName: 'laptop' },
    {
      agents: {
        WebSocketImpl: CuttableSocket as unknown as SocketConstructor,
        reconnect: { minMs: 100, maxMs: 400 },
        addTimeoutMs: 5_000,
      },
    },
  );
  hub.onEvent((event) => events.push(event));
});

afterAll(async () => {
  await hub.dispose();
  for (const agent of [agentA, agentB]) await agent.server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('agent URLs', () => {
  it('takes the token from the URL serve printed, or given apart', () => {
    expect(parseAgentUrl('http://10.0.0.5:7420/?token=abc')).toEqual({
      origin: 'http://10.0.0.5:7420',
      token: 'abc',
    });
    expect(parseAgentUrl('10.0.0.5:7420', 'xyz')).toEqual({ origin: 'http://10.0.0.5:7420', token: 'xyz' });
    expect(() => parseAgentUrl('http://10.0.0.5:7420/')).toThrow(/No token for 10\.0\.0\.5:7420/);
    expect(() => parseAgentUrl('ftp://board/?token=a')).toThrow(/not an http\(s\) address/);
  });
});

describe('a hub driving two agents', () => {
  let a: AgentInfo;
  let b: AgentInfo;

  it('refuses an agent whose token is wrong, saying so, and remembers nothing', async () => {
    const origin = `http://127.0.0.1:${agentA.server.port}`;
    await expect(hub.addAgent({ url: origin, token: 'wrong-token-wrong-token' })).rejects.toThrow(
      /refused the access token \(HTTP 403\)/,
    );
    expect(await hub.listAgents()).toEqual([]);
  });

  it('adds both agents by the URL serve printed and shows their System facts', async () => {
    a = await hub.addAgent({ url: agentA.server.url });
    b = await hub.addAgent({ url: agentB.server.url, name: 'Bench B' });
    expect(a).toMatchObject({ name: 'board-a', state: 'online', system: { device: { name: 'board-a' } } });
    expect(b).toMatchObject({ name: 'Bench B', state: 'online' });
    expect(b.system?.onnxruntime.version).toMatch(/^\d+\.\d+/);
    // remembered for the next start, owner-only, and the token never reaches a client
    const file = agentsFilePath(hubDir);
    expect(readFileSync(file, 'utf8')).toContain(agentA.server.token);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.stringify(await hub.listAgents())).not.toContain(agentA.server.token);
  });

  it('runs a sweep on each agent and copies both runs here, each naming its device', async () => {
    const [onA, onB] = await Promise.all([
      hub.startSweep(sweep, 'on board A', a.id),
      hub.startSweep(sweep, 'on board B', b.id),
    ]);
    await until(() => doneEventOf(onA.runId) && doneEventOf(onB.runId), 'both sweeps to finish');
    // the hub's events carry the agent; the copies are in the hub's own store
    const progress = events.find((event) => event.kind === 'sweep' && event.runId === onA.runId);
    expect(progress).toMatchObject({ agent: { id: a.id, name: 'board-a' } });
    const { runs } = await hub.listRuns();
    expect(runs.map((run) => [run.name, run.device, run.status])).toEqual(
      expect.arrayContaining([
        ['on board A', 'board-a', 'completed'],
        ['on board B', 'board-b', 'completed'],
      ]),
    );
    const copyA = await hub.loadRun(onA.runId);
    const original = await agentA.engine.loadRun(onA.runId);
    expect(copyA.trials).toEqual(original.trials);
    expect(copyA.source).toMatchObject({ agentName: 'board-a', remoteRunId: onA.runId });
    expect(copyA.trials[0]?.result.environment.device).toBe('board-a');
    expect((await hub.loadRun(onB.runId)).trials[0]?.result.environment.device).toBe('board-b');
    // the runs stayed on the agents as well
    expect((await agentB.engine.listRuns()).runs.map((run) => run.id)).toContain(onB.runId);
  }, 120_000);

  it('keeps a sweep going when the connection drops, then catches up on reconnect', async () => {
    const started = await hub.startSweep({ ...sweep, contexts: [64, 96] }, 'cut mid-sweep', a.id);
    await until(
      () =>
        events.some(
          (event) =>
            event.kind === 'sweep' && event.runId === started.runId && event.event.type === 'trial-done',
        ),
      'the first trial',
    );
    CuttableSocket.cut();
    await until(() => hub.listAgents().then((list) => list[0]?.state !== 'online'), 'the hub to notice');
    // the agent finishes on its own and stores the run, while the hub cannot reach it
    await until(
      async () =>
        (await agentA.engine.listRuns()).runs.find((run) => run.id === started.runId)?.status === 'completed',
      'the agent to finish alone',
    );
    expect(doneEventOf(started.runId)).toBeUndefined();
    CuttableSocket.offline = false;
    await until(() => doneEventOf(started.runId), 'the hub to catch up');
    const copy = await hub.loadRun(started.runId);
    expect(copy.status).toBe('completed');
    expect(copy.trials).toHaveLength(2);
    expect((await hub.listAgents()).find((agent) => agent.id === a.id)).toMatchObject({
      state: 'online',
      runningRunId: null,
    });
  }, 120_000);

  it('cancels a sweep on the agent that runs it', async () => {
    const started = await hub.startSweep({ ...sweep, contexts: [64, 80, 96, 112] }, 'to cancel', b.id);
    await until(
      () =>
        events.some(
          (event) =>
            event.kind === 'sweep' && event.runId === started.runId && event.event.type === 'trial-start',
        ),
      'the sweep to start',
    );
    expect(await hub.cancelSweep(started.runId)).toEqual({ cancelled: true });
    await until(() => doneEventOf(started.runId), 'the cancelled sweep to end');
    expect((await hub.loadRun(started.runId)).status).toBe('cancelled');
  }, 120_000);

  it('reconnects to remembered agents at start, and forgets one on remove', async () => {
    const again = createEngine(
      { appName: 'Test', appVersion: '0.0.0', host: 'serve', dataDir: hubDir },
      { agents: { reconnect: { minMs: 100, maxMs: 400 } } },
    );
    try {
      // named as before at once, even before they answer
      expect((await again.listAgents()).map((agent) => agent.name).sort()).toEqual(['Bench B', 'board-a']);
      await until(
        () =>
          again
            .listAgents()
            .then((list) => list.length === 2 && list.every((agent) => agent.state === 'online')),
        'both agents online again',
      );
      await again.removeAgent(b.id);
      expect((await again.listAgents()).map((agent) => agent.name)).toEqual(['board-a']);
      // its copied runs stay
      expect((await again.listRuns()).runs.some((run) => run.device === 'board-b')).toBe(true);
    } finally {
      await again.dispose();
    }
  }, 60_000);
});
