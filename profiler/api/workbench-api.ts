import { z } from 'zod';
import type { WorkbenchMethodName } from './channels';
import { AddAgentRequestSchema, AgentInfoSchema } from './agents';
import { CatalogSummarySchema } from './catalog-summary';
import { PlannedTrialSchema, RunDocumentSchema, RunSummarySchema, SweepSpecSchema } from './run-document';
import type { WorkbenchEvent } from './workbench-events';
import { SystemInfoSchema } from './system-info';
import { DeviceTargetSchema, LatencyGoalSchema, RunAnalysisSchema } from './targets';

interface MethodSpec {
  args: z.ZodTuple;
  result: z.ZodType;
}

/**
 * The one contract between the engine and every front door (desktop IPC, serve/agent WebSocket, CLI).
 * Each method is spelled once here: its argument tuple and its result, as zod schemas, so each door
 * validates what crosses it and the types flow from the schemas.
 */
const runId = z.string().min(1);
const ok = z.object({ id: z.string() });
const agentId = z.string().min(1).max(100);

export const SweepPlanResultSchema = z.object({
  trials: z.array(PlannedTrialSchema),
  contradictions: z.array(z.object({ label: z.string(), reason: z.string() })),
});

export const RunListSchema = z.object({
  runs: z.array(RunSummarySchema),
  /** files in the runs folder that could not be read, with why */
  problems: z.array(z.object({ file: z.string(), reason: z.string() })),
});

export const StorageUsageSchema = z.object({
  dataDir: z.string(),
  /** bytes: synthetic models and quantized variants (the cache) */
  modelsBytes: z.number(),
  runsBytes: z.number(),
  profilesBytes: z.number(),
  cacheBytes: z.number(),
});
export type StorageUsage = z.infer<typeof StorageUsageSchema>;

export const ExportedRunSchema = z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() });

export const workbenchMethods = {
  system: { args: z.tuple([]), result: SystemInfoSchema },
  /** the model catalog, for the run builder */
  catalog: { args: z.tuple([]), result: z.array(CatalogSummarySchema) },
  /** the trials a sweep would run, with their estimates (on the agent when one is named); nothing runs */
  planSweep: { args: z.tuple([SweepSpecSchema, agentId.optional()]), result: SweepPlanResultSchema },
  /**
   * start a sweep in the background (one at a time per machine), here or on an agent; progress arrives
   * as events, and an agent's finished run is copied into this workbench's history
   */
  startSweep: {
    args: z.tuple([SweepSpecSchema, z.string().max(200).optional(), agentId.optional()]),
    result: z.object({ runId: z.string(), trials: z.number().int() }),
  },
  cancelSweep: { args: z.tuple([runId]), result: z.object({ cancelled: z.boolean() }) },
  listRuns: { args: z.tuple([]), result: RunListSchema },
  loadRun: { args: z.tuple([runId]), result: RunDocumentSchema },
  renameRun: { args: z.tuple([runId, z.string().min(1).max(200)]), result: ok },
  tagRun: { args: z.tuple([runId, z.array(z.string().min(1)), z.boolean().optional()]), result: ok },
  deleteRun: { args: z.tuple([runId]), result: ok },
  restoreRun: { args: z.tuple([runId]), result: ok },
  exportRun: { args: z.tuple([runId, z.enum(['html', 'md', 'csv', 'json'])]), result: ExportedRunSchema },
  /** store a run file's text from another machine (validated; never overwrites) */
  importRun: {
    args: z.tuple([z.string().max(64 * 1024 * 1024)]),
    result: z.object({ id: z.string(), originalId: z.string() }),
  },
  /** device presets and this machine (with its measured bandwidth) */
  deviceTargets: { args: z.tuple([]), result: z.array(DeviceTargetSchema) },
  /** KV pressure, fit verdicts and trade-offs of a run against targets (ids or name=…,ram=…,bandwidth=…) */
  analyzeRun: {
    args: z.tuple([
      runId,
      z.object({ targets: z.array(z.string()).optional(), goal: LatencyGoalSchema.optional() }),
    ]),
    result: RunAnalysisSchema,
  },
  /** this machine's memory read bandwidth: cached, or measured once (a few seconds) */
  memoryBandwidth: {
    args: z.tuple([]),
    result: z.object({ bytesPerSecond: z.number(), method: z.string(), measuredAt: z.string() }),
  },
  /** what the data folder holds, bytes per part */
  storage: { args: z.tuple([]), result: StorageUsageSchema },
  /** delete the model variant cache (synthetic builds, quantized variants); refused while a sweep runs */
  clearModelCache: { args: z.tuple([]), result: z.object({ freedBytes: z.number() }) },
  /** the remote agents this workbench knows, with their connection state and System facts */
  listAgents: { args: z.tuple([]), result: z.array(AgentInfoSchema) },
  /** connect to an agent (`edge-workbench serve` on a board) and remember it; refused tokens are errors */
  addAgent: { args: z.tuple([AddAgentRequestSchema]), result: AgentInfoSchema },
  /** forget an agent (its copied runs stay in the history) */
  removeAgent: { args: z.tuple([agentId]), result: ok },
} satisfies Record<WorkbenchMethodName, MethodSpec>;

/** What a caller passes: zod's input types, so defaults may be left out. */
export type WorkbenchMethodArgs<M extends WorkbenchMethodName> = z.input<
  (typeof workbenchMethods)[M]['args']
>;
export type WorkbenchMethodResult<M extends WorkbenchMethodName> = z.infer<
  (typeof workbenchMethods)[M]['result']
>;

/** The engine's surface: one async function per method. */
export type WorkbenchApi = {
  [M in WorkbenchMethodName]: (...args: WorkbenchMethodArgs<M>) => Promise<WorkbenchMethodResult<M>>;
};

/** The engine's events (sweep progress), to which each door subscribes for its clients. */
export interface WorkbenchEvents {
  /** returns the unsubscribe function */
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
}
