import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  AnalysisRequest,
  DeviceTarget,
  ExportFormat,
  ExportOptions,
  RooflineBandwidth,
  RunDocument,
  TrialModel,
  TrialProgress,
  TrialResult,
  TrialSpecInput,
  WorkbenchApi,
  WorkbenchEvent,
  WorkbenchEvents,
  WorkbenchMethodResult,
} from '../api';
import type { ReportTable } from '../../common/report-blocks';
import { forkTrialLauncher } from '../bench/fork-trial-host';
import { runTrial } from '../bench/run-trial';
import type { TrialProcessLauncher } from '../bench/trial-host';
import { prepareCatalogVariant } from '../bench/variant-cache';
import { targetNotes, targetsTable } from '../report';
import { withProviderChecks } from '../runtime/provider-check';
import { importLlamaBench, isLlamaBenchOutput } from '../report/llama-bench-import';
import { runRecords, type LlamaBenchRecord } from '../../common/llama-bench';
import { probeSystem, type HostFacts } from '../runtime/system-probe';
import { readRunFile } from '../store/run-parse';
import { createRunStore } from '../store/run-store';
import { createAgentHub, type AgentHubDeps } from './agent-hub';
import { catalogSummaries } from './catalog-summaries';
import { createHereTargets } from './here-targets';
import { catalogKvPressure, kvWhatIfModel } from './kv-what-if';
import {
  allowedModelFolders,
  createModelRoots,
  resolveModelFolder,
  resolveSweepModels,
  type ModelRoots,
} from './model-roots';
import { createRunReports, type AnalysisReport } from './run-reports';
import { clearModelCache, storageUsage } from './storage';
import { createSweepService, type SweepHooks, type SweepRequest } from './sweep-service';
import { createSystemFacts } from './system-facts';

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
  /**
   * told, in a sentence, when a call waits for something it was not asked to do (measuring this
   * machine's bandwidth for a this-machine target): the CLI prints it on stderr
   */
  notice?: (message: string) => void;
}

/** A run the CLI names: one in the store, or a run file that is not (a colleague's), validated as imports are. */
export type RunSource = { runId: string } | { file: string };

/** The device targets as `edge-workbench targets` lists them. */
export interface TargetsReport {
  targets: DeviceTarget[];
  /** this machine's bandwidth: cached, or measured for this report */
  bandwidth: RooflineBandwidth;
  /** the targets' budgets and bandwidths, as the reports show them */
  table: ReportTable;
  /** one line per target: where its figures come from */
  notes: string[];
}

type ExportedRun = WorkbenchMethodResult<'exportRun'>;
type CatalogModel = Extract<TrialModel, { kind: 'catalog' }>;

/**
 * What callers in the engine's own process get beside the WorkbenchApi (the CLI; tests): calls that
 * take file paths or callbacks, which no door carries across a process.
 */
export interface LocalEngine {
  /**
   * A sweep here to its end: a new one, or a stored run's missing trials (`{ resume: runId }`). Resolves
   * with the finished run document; progress goes out as the WorkbenchEvents startSweep's does, and
   * cancelSweep(runId) stops it (the document then says 'cancelled'; resume runs the rest).
   */
  runSweep(request: SweepRequest, hooks?: SweepHooks): Promise<RunDocument>;
  /** One trial in its own process, outside any run (`edge-workbench run`). */
  runTrial(
    spec: TrialSpecInput,
    options?: { signal?: AbortSignal; onProgress?: (progress: TrialProgress) => void },
  ): Promise<TrialResult>;
  /** A run file that is not in the store, read and validated. */
  loadRunFile(file: string): Promise<RunDocument>;
  /** exportRun of a run file that is not in the store: the same report as from the store. */
  exportRunFile(file: string, format: ExportFormat, options?: ExportOptions): Promise<ExportedRun>;
  /**
   * importRun of a file on this machine; its errors name the file. llama-bench's own output (-o json,
   * jsonl, csv) is stored as a run whose runtime is llama.cpp; `notes` names records left out, and why.
   */
  importRunFile(file: string): Promise<WorkbenchMethodResult<'importRun'> & { notes: string[] }>;
  /** A run's tests as llama-bench's records (its field names, then ours), from the store or a run file. */
  runRecords(run: RunSource): Promise<{ run: { id: string; name: string }; records: LlamaBenchRecord[] }>;
  /** analyzeRun, with the analysis laid out as the reports' sections, for a store run or a run file. */
  analysisReport(run: RunSource, request: AnalysisRequest): Promise<AnalysisReport>;
  /** Every preset and this machine, with this machine's bandwidth and the targets as a table. */
  targetsReport(): Promise<TargetsReport>;
  /** A catalog model's fp32 synthetic variant (built once, cached in the data folder): its folder. */
  catalogModelFolder(model: CatalogModel): Promise<string>;
  /** Let go of agent connections. */
  dispose(): Promise<void>;
}

/**
 * The engine behind every front door. Doors validate arguments with the zod schemas in profiler/api
 * before calling it, so methods here may trust their argument types.
 */
/** What createEngine returns: the API, its events, and the calls for its own process. */
export type Engine = WorkbenchApi & WorkbenchEvents & LocalEngine;

export function createEngine(facts: HostFacts, options: EngineOptions = {}): Engine {
  const listeners = new Set<(event: WorkbenchEvent) => void>();
  const store = createRunStore(facts.dataDir);
  const modelRoots = options.modelRoots ?? createModelRoots('any');
  const launcher = options.launcher ?? forkTrialLauncher();
  // each installed provider other than the CPU is tried once (cached on disk): a bundled one may not run
  const systemFacts = createSystemFacts(async () =>
    withProviderChecks(await probeSystem(facts), facts.dataDir),
  );
  const systemOnce = systemFacts.get;
  const emit = (event: WorkbenchEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const sweeps = createSweepService({
    dataDir: facts.dataDir,
    store,
    launcher,
    system: systemOnce,
    emit,
  });
  const here = createHereTargets({
    dataDir: facts.dataDir,
    system: systemOnce,
    ...(options.notice ? { notice: options.notice } : {}),
  });
  const reports = createRunReports({ targets: here.resolve });
  const loadRunFile = async (file: string): Promise<RunDocument> => (await readRunFile(file)).doc;

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

  return {
    system: async (request) => ({
      ...(await (request?.refresh ? systemFacts.refresh() : systemFacts.get())),
      // read per call: the desktop app allows more folders as the user picks them
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
    resumeSweep: (runId) => sweeps.resume(runId),
    cancelSweep: async (runId) => (await hub?.cancel(runId)) ?? sweeps.cancel(runId),
    listRuns: () => store.list(),
    // a sweep still running on an agent is read there; once finished it is copied here
    loadRun: (runId) => hub?.loadRemote(runId) ?? store.load(runId),
    renameRun: async (runId, name) => {
      const doc = await store.rename(runId, name);
      return { id: doc.id, name: doc.name };
    },
    tagRun: async (runId, tags, remove) => {
      const doc = remove ? await store.untag(runId, tags) : await store.tag(runId, tags);
      return { id: doc.id, tags: doc.tags };
    },
    deleteRun: async (runId) => {
      await store.delete(runId);
      return { id: runId };
    },
    restoreRun: async (runId) => ({ id: (await store.restore(runId)).id }),
    exportRun: async (runId, format, exportOptions) =>
      reports.exportDocument(await store.load(runId), format, exportOptions),
    importRun: async (text) => {
      // the store imports from a file (validated, never overwriting): hand it the text through one
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ew-import-'));
      try {
        const file = path.join(dir, 'run.json');
        await writeFile(file, text);
        if (isLlamaBenchOutput(text)) {
          const { doc } = importLlamaBench(text, 'llama-bench output', store.newRunId('llama-bench'));
          const { run, originalId } = await store.importDocument(doc);
          return { id: run.id, originalId };
        }
        const { run, originalId } = await store.importFile(file);
        return { id: run.id, originalId };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    deviceTargets: (specs) => here.resolve(specs ?? []),
    analyzeRun: async (runId, request) => reports.analyze(await store.load(runId), request),
    kvPressure: async (request) => {
      const model = kvWhatIfModel(request); // model and preset first: a typo does not wait for a measurement
      return catalogKvPressure(model, request, await here.resolve(request.targets ?? []));
    },
    memoryBandwidth: (request) =>
      here.bandwidth(request?.measure ?? false, { cachedOnly: request?.cachedOnly ?? false }),
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
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    runSweep: async (request, hooks) =>
      sweeps.run(
        'resume' in request
          ? request
          : { ...request, spec: await resolveSweepModels(request.spec, modelRoots) },
        hooks,
      ),
    runTrial: async (spec, trialOptions = {}) =>
      runTrial(
        { ...spec, model: await resolveModelFolder(spec.model, modelRoots) },
        {
          launcher,
          dataDir: facts.dataDir,
          system: systemOnce,
          ...(trialOptions.signal ? { signal: trialOptions.signal } : {}),
          ...(trialOptions.onProgress ? { onProgress: trialOptions.onProgress } : {}),
        },
      ),
    loadRunFile,
    exportRunFile: async (file, format, exportOptions) =>
      reports.exportDocument(await loadRunFile(file), format, exportOptions),
    importRunFile: async (file) => {
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new Error(
          `${file} could not be read (${error instanceof Error ? error.message : String(error)}).`,
        );
      });
      if (isLlamaBenchOutput(text)) {
        const { doc, notes } = importLlamaBench(text, file, store.newRunId('llama-bench'));
        const { run, originalId } = await store.importDocument(doc);
        return { id: run.id, originalId, notes };
      }
      const { run, originalId } = await store.importFile(file);
      return { id: run.id, originalId, notes: [] };
    },
    runRecords: async (run) => {
      const doc = 'file' in run ? await loadRunFile(run.file) : await store.load(run.runId);
      return { run: { id: doc.id, name: doc.name }, records: runRecords(doc) };
    },
    analysisReport: async (run, request) =>
      reports.analysisReport(
        'file' in run ? await loadRunFile(run.file) : await store.load(run.runId),
        request,
      ),
    targetsReport: async () => {
      const bandwidth = await here.bandwidth();
      const targets = await here.resolve();
      return { targets, bandwidth, table: targetsTable(targets), notes: targetNotes(targets) };
    },
    catalogModelFolder: async (model) => (await prepareCatalogVariant(model, facts.dataDir)).dir,
    dispose: async () => {
      await hub?.close();
    },
  };
}
