import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeAgentsFile } from './agents-file';
import { createEngine, type Engine } from './create-engine';
import { heartbeatWebSocket } from './heartbeat-socket';
import {
  sendsGarbage,
  sendsOversized,
  stallsMidMessage,
  startHostileAgent,
  type AgentBehaviour,
  type HostileAgent,
} from './test/hostile-agent';

/**
 * The hub (the desktop app's main process, or serve) facing an agent that misbehaves: garbage on the
 * wire, a message past the size limit, half a message and then silence. Each time the hub drops that
 * connection, says the agent is offline, and dials again with a growing back-off; it never crashes
 * (vitest fails a run on any uncaught exception) and keeps answering.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'ew-hostile-agents-'));
const reconnect = { minMs: 50, maxMs: 800 };
let hub: Engine | undefined;
let agent: HostileAgent | undefined;

afterEach(async () => {
  await hub?.dispose();
  await agent?.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function until<T>(check: () => T | Promise<T>, what: string, ms = 15_000): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A hub remembering one agent that behaves as told; it dials it on start. */
async function hubFacing(behaviour: AgentBehaviour, name: string): Promise<HostileAgent> {
  agent = await startHostileAgent(behaviour);
  const dataDir = path.join(root, name);
  await writeAgentsFile(dataDir, [{ id: 'agent-bad', url: agent.url, token: 'x'.repeat(32), copied: [] }]);
  hub = createEngine(
    { appName: 'Test', appVersion: '0.0.0', host: 'serve', dataDir },
    // a 100 ms heartbeat, so a stall is noticed in 200 ms rather than 30 s
    { agents: { WebSocketImpl: heartbeatWebSocket({ pingIntervalMs: 100 }), reconnect } },
  );
  return agent;
}

/** ms between one connection's end and the hub's next dial */
function waits(log: HostileAgent['connections']): number[] {
  return log.slice(1).map((next, i) => next.openedAtMs - (log[i]!.closedAtMs ?? next.openedAtMs));
}

describe('the agent hub against a misbehaving agent', () => {
  it.each([
    ['sends garbage and a frame with a reserved opcode', sendsGarbage],
    ['sends a message past the 64 MiB limit', sendsOversized],
    ['stalls in the middle of a message', stallsMidMessage],
  ] as const)('drops an agent that %s and retries with back-off', async (what, behaviour) => {
    const bad = await hubFacing(behaviour, what.replace(/\W+/g, '-'));
    const engine = hub!;
    await until(() => bad.connections.length >= 5 && bad.connections[3]!.closedAtMs !== null, '5 dials');
    // it never got the agent's facts: nothing the agent sent was taken for an answer
    expect(await engine.listAgents()).toMatchObject([{ id: 'agent-bad', system: null }]);
    // the waits double (50, 100, 200, 400 ms): a connection dropped at once does not reset the back-off.
    // Lower bounds only (timers fire late on a busy machine, never early); without the back-off every
    // wait would be about 50 ms.
    const scheduled = [1, 2, 3].map((failures) => reconnect.minMs * 2 ** failures);
    expect(waits(bad.connections).slice(1, 4)).toEqual(
      scheduled.map((ms) => expect.toSatisfy((wait: number) => wait >= ms * 0.9, `at least ${ms * 0.9} ms`)),
    );
    // the hub still answers, and its other work goes on
    expect((await engine.listRuns()).runs).toEqual([]);
  });

  it('says why the agent is offline and when it dials again', async () => {
    const bad = await hubFacing(sendsGarbage, 'why');
    const engine = hub!;
    await until(() => bad.connections.length >= 2, 'a second dial');
    const offline = await until(async () => {
      const [info] = await engine.listAgents();
      return info?.state === 'offline' ? info : undefined;
    }, 'the agent shown offline');
    expect(offline.message).toMatch(/^Lost the connection to the workbench engine at 127\.0\.0\.1:\d+\.$/);
    expect(offline.retryInMs).toBeGreaterThanOrEqual(reconnect.minMs);
  });
});
