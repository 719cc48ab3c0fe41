import { randomBytes } from 'node:crypto';
import {
  AgentInfoSchema,
  createSocketClient,
  RunDocumentSchema,
  RunListSchema,
  SweepPlanResultSchema,
  SystemInfoSchema,
  TOKEN_PARAM,
  WorkbenchEventSchema,
  workbenchMethods,
  type AddAgentRequest,
  type AgentInfo,
  type RunDocument,
  type SocketClient,
  type SocketConnection,
  type SocketConstructor,
  type SweepSpecInput,
  type SystemInfo,
  type WorkbenchEvent,
} from '../api';
import type { RunStore } from '../store/run-store';
import { readAgentsFile, writeAgentsFile, type AgentRecord } from './agents-file';
import { HeartbeatWebSocket } from './heartbeat-socket';

export interface AgentHubDeps {
  dataDir: string;
  store: RunStore;
  emit: (event: WorkbenchEvent) => void;
  /** the WebSocket the hub dials agents with; tests wrap it to cut connections */
  WebSocketImpl?: SocketConstructor;
  /** ms between reconnect attempts: doubling from min to max */
  reconnect?: { minMs: number; maxMs: number };
  /** ms to wait for a new agent to answer before `add` gives up */
  addTimeoutMs?: number;
}

export class AgentError extends Error {
  override name = 'AgentError';
}

interface Agent {
  record: AgentRecord;
  client: SocketClient;
  connection: SocketConnection;
  system: SystemInfo | null;
  /** sweeps seen running on it and not yet copied here */
  active: Set<string>;
  lastSeenAt: string | null;
  /** the catch-up after a (re)connect, so two never overlap */
  syncing: Promise<void> | null;
}

/** The runs an agent holds that are still going (listRuns statuses). */
const UNFINISHED = new Set(['planned', 'running']);

/**
 * The agents a workbench drives: one WebSocket per agent, kept up with backoff. Sweeps run on the agent
 * (which stores them itself), their events are passed on tagged with the agent, and every finished run is
 * copied into this workbench's store, so History and Compare hold runs from all devices side by side.
 * After a dropped connection the hub catches up on reconnect: runs that finished meanwhile are copied and
 * their `done` is announced, so nothing measured on the board is lost.
 */
export function createAgentHub(deps: AgentHubDeps) {
  const agents = new Map<string, Agent>();
  const WebSocketImpl = deps.WebSocketImpl ?? HeartbeatWebSocket;
  const reconnect = deps.reconnect ?? { minMs: 1_000, maxMs: 30_000 };
  let loaded: Promise<void> | undefined;
  let saving: Promise<void> = Promise.resolve();

  function info(agent: Agent): AgentInfo {
    const { connection } = agent;
    const refused =
      connection.state === 'closed' && connection.retryInMs === null && connection.httpStatus !== null;
    return AgentInfoSchema.parse({
      id: agent.record.id,
      name:
        agent.record.name ??
        agent.system?.device?.name ??
        agent.record.deviceName ??
        new URL(agent.record.url).host,
      url: agent.record.url,
      state:
        connection.state === 'open'
          ? 'online'
          : connection.state === 'connecting'
            ? 'connecting'
            : refused
              ? 'refused'
              : 'offline',
      message: connection.state === 'closed' ? connection.reason : null,
      retryInMs: connection.state === 'closed' ? connection.retryInMs : null,
      system: agent.system,
      runningRunId: [...agent.active].at(-1) ?? null,
      copiedRuns: agent.record.copied.length,
      lastSeenAt: agent.lastSeenAt,
    });
  }

  function announce(): void {
    deps.emit({ kind: 'agents', agents: [...agents.values()].map(info) });
  }

  /** Saves are queued: two changes in a row never write over each other out of order. */
  function save(): Promise<void> {
    const records = [...agents.values()].map((agent) => agent.record);
    const written = saving.then(() => writeAgentsFile(deps.dataDir, records));
    saving = written.catch(() => undefined); // the next save still runs after a failed one
    return written.catch((error: unknown) => {
      throw new AgentError(`Could not save the agents list in ${deps.dataDir}: ${messageOf(error)}`);
    });
  }

  async function copyRun(agent: Agent, remoteRunId: string): Promise<void> {
    if (agent.record.copied.some((entry) => entry.remoteRunId === remoteRunId)) return;
    const doc: RunDocument = RunDocumentSchema.parse(await agent.client.call('loadRun', [remoteRunId]));
    const source = {
      agentName: info(agent).name,
      agentUrl: agent.record.url,
      remoteRunId,
      copiedAt: new Date().toISOString(),
    };
    const { run } = await deps.store.importDocument({ ...doc, source });
    agent.record.copied.push({ remoteRunId, localId: run.id });
    agent.active.delete(remoteRunId);
    await save();
  }

  /** The agent's System facts, fresh; true when its device name changed (the record needs saving). */
  async function readSystem(agent: Agent): Promise<boolean> {
    agent.system = SystemInfoSchema.parse(await agent.client.call('system', []));
    const deviceName = agent.system.device?.name;
    if (deviceName === undefined || deviceName === agent.record.deviceName) return false;
    agent.record.deviceName = deviceName;
    return true;
  }

  /** After a (re)connect: the agent's facts, its running sweeps, and every finished run not copied yet. */
  async function catchUp(agent: Agent): Promise<void> {
    if (await readSystem(agent)) await save();
    agent.lastSeenAt = new Date().toISOString();
    const { runs } = RunListSchema.parse(await agent.client.call('listRuns', []));
    const wasActive = new Set(agent.active);
    for (const run of runs) {
      if (UNFINISHED.has(run.status)) {
        agent.active.add(run.id);
        continue;
      }
      if (agent.record.copied.some((entry) => entry.remoteRunId === run.id)) continue;
      await copyRun(agent, run.id);
      // a sweep someone here was following finished while the connection was down: say so now
      if (wasActive.has(run.id))
        deps.emit({
          kind: 'sweep',
          runId: run.id,
          event: { type: 'done', status: run.status },
          agent: { id: agent.record.id, name: info(agent).name },
        });
    }
    announce();
  }

  function startCatchUp(agent: Agent): void {
    agent.syncing ??= catchUp(agent)
      .catch((error: unknown) => {
        // the connection dropped again mid-way: the next reconnect tries again
        console.warn(`[agents] catching up with ${agent.record.url} stopped: ${messageOf(error)}`);
      })
      .finally(() => {
        agent.syncing = null;
      });
  }

  function onAgentEvent(agent: Agent, payload: unknown): void {
    agent.lastSeenAt = new Date().toISOString();
    const parsed = WorkbenchEventSchema.safeParse(payload);
    if (!parsed.success || parsed.data.kind !== 'sweep') return; // an agent's own agents are not ours
    const message = parsed.data;
    const tagged: WorkbenchEvent = { ...message, agent: { id: agent.record.id, name: info(agent).name } };
    if (message.event.type !== 'done') {
      if (!agent.active.has(message.runId)) {
        agent.active.add(message.runId);
        announce();
      }
      deps.emit(tagged);
      return;
    }
    // copy first, so whoever reacts to `done` (the live view opening Compare) finds the run here
    copyRun(agent, message.runId)
      .catch((error: unknown) => {
        console.warn(
          `[agents] copying run ${message.runId} from ${agent.record.url} failed: ${messageOf(error)}`,
        );
      })
      .finally(() => {
        agent.active.delete(message.runId);
        deps.emit(tagged);
        announce();
      });
  }

  function connect(record: AgentRecord): Agent {
    const agent: Agent = {
      record,
      client: undefined as unknown as SocketClient,
      connection: { state: 'connecting' },
      system: null,
      active: new Set(),
      lastSeenAt: null,
      syncing: null,
    };
    agent.client = createSocketClient({
      origin: record.url,
      token: record.token,
      WebSocketImpl,
      reconnect,
      onConnection: (connection) => {
        agent.connection = connection;
        if (connection.state === 'open') startCatchUp(agent);
        if (agents.get(record.id) === agent) announce();
      },
      onEvent: (payload) => onAgentEvent(agent, payload),
    });
    return agent;
  }

  function load(): Promise<void> {
    loaded ??= readAgentsFile(deps.dataDir).then((records) => {
      for (const record of records) {
        const agent = connect(record);
        agents.set(record.id, agent);
        void agent.client.open().catch(() => undefined); // offline agents retry with backoff
      }
    });
    return loaded;
  }

  function agentById(id: string): Agent {
    const agent = agents.get(id);
    if (!agent) throw new AgentError(`No agent with id "${id}": add it on the System screen first.`);
    return agent;
  }

  /** The agent a run is on while it has not been copied here yet. */
  function ownerOf(runId: string): Agent | undefined {
    return [...agents.values()].find((agent) => agent.active.has(runId));
  }

  return {
    /** read the remembered agents and start connecting to them */
    start: load,

    async list(): Promise<AgentInfo[]> {
      await load();
      return [...agents.values()].map(info);
    },

    async add(request: AddAgentRequest): Promise<AgentInfo> {
      await load();
      const { origin, token } = parseAgentUrl(request.url, request.token);
      const existing = [...agents.values()].find((agent) => agent.record.url === origin);
      if (existing)
        throw new AgentError(
          `${origin} is already added as "${info(existing).name}": remove it first to change its token.`,
        );
      const record: AgentRecord = {
        id: `agent-${randomBytes(6).toString('hex')}`,
        url: origin,
        token,
        copied: [],
      };
      if (request.name?.trim()) record.name = request.name.trim();
      const agent = connect(record);
      try {
        await withTimeout(
          agent.client.open(),
          deps.addTimeoutMs ?? 10_000,
          `${origin} did not answer within 10 s`,
        );
        await readSystem(agent);
      } catch (error) {
        agent.client.close();
        throw new AgentError(`Could not add the agent: ${messageOf(error)}`);
      }
      agents.set(record.id, agent);
      await save();
      startCatchUp(agent);
      announce();
      return info(agent);
    },

    async remove(id: string): Promise<void> {
      await load();
      const agent = agentById(id);
      agent.client.close();
      agents.delete(id);
      await save();
      announce();
    },

    async plan(agentId: string, spec: SweepSpecInput) {
      await load();
      return SweepPlanResultSchema.parse(await agentById(agentId).client.call('planSweep', [spec]));
    },

    async startSweep(
      agentId: string,
      spec: SweepSpecInput,
      name?: string,
    ): Promise<{ runId: string; trials: number }> {
      await load();
      const agent = agentById(agentId);
      // checked like every answer from an agent: a run id that is no string would break the agents list
      const started = workbenchMethods.startSweep.result.parse(
        await agent.client.call('startSweep', [spec, name]),
      );
      agent.active.add(started.runId);
      announce();
      return started;
    },

    /** cancels a sweep running on an agent; undefined when no agent runs it */
    cancel(runId: string): Promise<{ cancelled: boolean }> | undefined {
      const agent = ownerOf(runId);
      return agent?.client
        .call('cancelSweep', [runId])
        .then((answer) => workbenchMethods.cancelSweep.result.parse(answer));
    },

    /** the document of a run still on an agent (not copied yet); undefined when no agent has it */
    loadRemote(runId: string): Promise<RunDocument> | undefined {
      const agent = ownerOf(runId);
      return agent?.client.call('loadRun', [runId]).then((doc) => RunDocumentSchema.parse(doc));
    },

    /** close every connection (the app quits, a test ends) */
    async close(): Promise<void> {
      for (const agent of agents.values()) agent.client.close();
      await saving;
    },
  };
}
export type AgentHub = ReturnType<typeof createAgentHub>;

/**
 * The origin and token of what a user pasted: the URL serve printed (`http://host:7420/?token=…`), or a
 * bare origin with the token given apart. Only http(s); no credentials or paths beyond "/".
 */
export function parseAgentUrl(text: string, token?: string): { origin: string; token: string } {
  let url: URL;
  try {
    url = new URL(text.trim().includes('://') ? text.trim() : `http://${text.trim()}`);
  } catch {
    throw new AgentError(
      `"${text}" is not a URL: paste the address \`edge-workbench serve\` printed on the board.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AgentError(`"${text}" is not an http(s) address: agents speak http (or https behind a proxy).`);
  if (url.username || url.password)
    throw new AgentError('Agent URLs carry no user name or password: pass the token.');
  const given = token?.trim() || url.searchParams.get(TOKEN_PARAM) || '';
  if (!given)
    throw new AgentError(`No token for ${url.host}: paste the whole URL serve printed, or the token apart.`);
  return { origin: url.origin, token: given };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AgentError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
