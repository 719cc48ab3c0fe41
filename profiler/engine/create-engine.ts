import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkbenchApi, WorkbenchEvent, WorkbenchEvents } from '../api';
import { deviceTargets, resolveTarget } from '../../common/analysis/device-targets';
import { analyzeRun } from '../../common/analysis/run-analysis';
import { environmentOf } from '../bench/run-trial';
import { bandwidthForRoofline } from '../runtime/memory-bandwidth';
import { hereMachine } from '../runtime/here-machine';
import { forkTrialLauncher } from '../bench/fork-trial-host';
import type { TrialProcessLauncher } from '../bench/trial-host';
import { probeSystem, type HostFacts } from '../runtime/system-probe';
import { exportFileName, EXPORT_MIME_TYPES, exportRun } from '../store/exporters';
import { createRunStore } from '../store/run-store';
import { createAgentHub, type AgentHubDeps } from './agent-hub';
import { catalogSummaries } from './catalog-summaries';
import { allowedModelFolders, createModelRoots, resolveSweepModels, type ModelRoots } from './model-roots';
import { clearModelCache, storageUsage } from './storage';
import { createSweepService } from './sweep-service';

export interface EngineOptions {
  /** how trial processes start: child_process.fork by default, Electron's utilityProcess in the app */
  launcher?: TrialProcessLauncher;
  /** folders model paths may name: any for the CLI (default); serve and the desktop app restrict them */
  modelRoots?: ModelRoots;
  /**
   * drive remote agents (desktop app, serve): the list is kept in the data folder and connected at
   * start. Off for one-shot CLI commands. The fields are for tests.
   */
  agents?: Pick<AgentHubDeps, 'WebSocketImpl' | 'reconnect' | 'addTimeoutMs'>;
}

/**
 * The engine behind every front door. Doors validate arguments with the zod schemas in profiler/api
 * before calling it, so methods here may trust their argument types.
 */
/** What createEngine returns: the API, its events, and a way to let go of agent connections. */
export type Engine = WorkbenchApi & WorkbenchEvents & { dispose(): Promise<void> };

export function createEngine(facts: HostFacts, options: EngineOptions = {}): Engine {
  const listeners = new Set<(event: WorkbenchEvent) => void>();
  const store = createRunStore(facts.dataDir);
  const modelRoots = options.modelRoots ?? createModelRoots('any');
  let system: ReturnType<typeof probeSystem> | undefined;
  const systemOnce = (): ReturnType<typeof probeSystem> => (system ??= probeSystem(facts));
  const sweeps = createSweepService({
    dataDir: facts.dataDir,
    store,
    launcher: options.launcher ?? forkTrialLauncher(),
    system: systemOnce,
    emit: (event) => emit(event),
  });

  const emit = (event: WorkbenchEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const hub = options.agents
    ? createAgentHub({ dataDir: facts.dataDir, store, emit, ...options.agents })
    : null;
  void hub
    ?.start()
    .catch((error: unknown) => console.error('[agents] could not read the agents list:', error));
  const agentHub = (): NonNullable<typeof hub> => {
    if (!hub)
      throw new Error('This engine does not drive agents: use the desktop app or `edge-workbench serve`.');
    return hub;
  };

  const bandwidthHere = async (measure = false) =>
    bandwidthForRoofline(facts.dataDir, environmentOf(await systemOnce()), { measure });
  /** bytes/s of this machine for its target; undefined (no this-machine target) when not measured */
  const measuredHere = async (): Promise<number | undefined> => {
    const bandwidth = await bandwidthHere();
    return bandwidth.status === 'measured' ? bandwidth.bytesPerSecond : undefined;
  };

  return {
    system: async () => ({
      ...(await probeSystem(facts)),
      allowedModelFolders: allowedModelFolders(modelRoots),
    }),
    catalog: async () => catalogSummaries(),
    planSweep: async (spec, agentId) => {
      if (agentId !== undefined) return agentHub().plan(agentId, spec);
      const plan = await sweeps.plan(await resolveSweepModels(spec, modelRoots));
      return { trials: plan.trials, contradictions: plan.contradictions };
    },
    startSweep: async (spec, name, agentId) =>
      agentId !== undefined
        ? agentHub().startSweep(agentId, spec, name)
        : sweeps.start(await resolveSweepModels(spec, modelRoots), name),
    cancelSweep: async (runId) => (await hub?.cancel(runId)) ?? sweeps.cancel(runId),
    listRuns: () => store.list(),
    // a sweep still running on an agent is read there; once finished it is copied here
    loadRun: (runId) => hub?.loadRemote(runId) ?? store.load(runId),
    renameRun: async (runId, name) => ({ id: (await store.rename(runId, name)).id }),
    tagRun: async (runId, tags, remove) => ({
      id: (remove ? await store.untag(runId, tags) : await store.tag(runId, tags)).id,
    }),
    deleteRun: async (runId) => {
      await store.delete(runId);
      return { id: runId };
    },
    restoreRun: async (runId) => ({ id: (await store.restore(runId)).id }),
    exportRun: async (runId, format) => {
      const doc = await store.load(runId);
      return {
        fileName: exportFileName(doc, format),
        mimeType: EXPORT_MIME_TYPES[format],
        text: exportRun(doc, format),
      };
    },
    importRun: async (text) => {
      // the store imports from a file (validated, never overwriting): hand it the text through one
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ew-import-'));
      try {
        const file = path.join(dir, 'run.json');
        await writeFile(file, text);
        const { run, originalId } = await store.importFile(file);
        return { id: run.id, originalId };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    deviceTargets: async () => deviceTargets(hereMachine(await measuredHere())),
    analyzeRun: async (runId, request) => {
      const doc = await store.load(runId);
      const here = hereMachine(await measuredHere());
      const targets = request.targets?.length
        ? request.targets.map((target) => resolveTarget(target, here))
        : deviceTargets(here);
      return analyzeRun(doc, { targets, ...(request.goal ? { goal: request.goal } : {}) });
    },
    memoryBandwidth: (request) => bandwidthHere(request?.measure ?? false),
    storage: () => storageUsage(facts.dataDir),
    clearModelCache: async () => {
      if (sweeps.running())
        throw new Error(
          'A sweep is running and may need its models: cancel it or wait, then clear the cache.',
        );
      return { freedBytes: await clearModelCache(facts.dataDir) };
    },
    listAgents: async () => (hub ? hub.list() : []),
    addAgent: (request) => agentHub().add(request),
    removeAgent: async (agentId) => {
      await agentHub().remove(agentId);
      return { id: agentId };
    },
    dispose: async () => {
      await hub?.close();
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
