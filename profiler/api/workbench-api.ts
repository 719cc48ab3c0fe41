import { z } from 'zod';
import type { WorkbenchMethodName } from './channels';
import { AddAgentRequestSchema, AgentInfoSchema } from '../../common/schemas/agents';
import { CatalogSummarySchema } from '../../common/schemas/catalog-summary';
import {
  PlannedTrialSchema,
  RunDocumentSchema,
  RunSummarySchema,
  SweepSpecSchema,
} from '../../common/schemas/run-document';
import type { WorkbenchEvent } from '../../common/schemas/workbench-events';
import { SystemInfoSchema } from '../../common/schemas/system-info';
import {
  DeviceTargetSchema,
  KvDtypeSchema,
  KvPressureReportSchema,
  LatencyGoalSchema,
  RunAnalysisSchema,
} from '../../common/schemas/targets';
import { ExecutionProviderSchema, ModelOverridesSchema } from '../../common/schemas/trial';

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

/** One measured read bandwidth: bytes/s, how it was measured, and how much its passes disagreed. */
export const BandwidthFigureSchema = z.object({
  /** bytes/s, from the best pass */
  bytesPerSecond: z.number().positive(),
  /** how it was measured, in words: buffers, workers or kernel, passes */
  method: z.string(),
  /** (median pass time − best pass time) ÷ best pass time; at most 0.1, else it is not measured */
  spread: z.number().nonnegative(),
});
export type BandwidthFigure = z.infer<typeof BandwidthFigureSchema>;

/**
 * The bandwidth a roofline divides by, for one execution provider. 'cpu': host RAM read by a streaming
 * read on every core (the bound), with `kernel` beside it = what onnxruntime's own GEMV kernel reaches
 * here. A GPU provider: a GEMV on that provider's device. Never the CPU's figure for a GPU provider:
 * when the device cannot be measured, or the machine was too noisy, it is 'not-measured' with why.
 */
export const RooflineBandwidthSchema = z.discriminatedUnion('status', [
  BandwidthFigureSchema.extend({
    status: z.literal('measured'),
    ep: ExecutionProviderSchema,
    /** ISO time of the measurement */
    measuredAt: z.string(),
    /** cpu only: what onnxruntime's own kernel (a GEMV) reaches here */
    kernel: BandwidthFigureSchema.optional(),
    /** true when read from the data folder's cache, false when measured just now */
    fromCache: z.boolean(),
  }),
  z.object({
    status: z.literal('not-measured'),
    ep: ExecutionProviderSchema,
    /** a sentence for people: "not measured: the machine was too noisy (spread 14% …) — run …" */
    reason: z.string(),
  }),
]);
export type RooflineBandwidth = z.infer<typeof RooflineBandwidthSchema>;

export const ExportedRunSchema = z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() });

/** The formats a run exports to: a self-contained HTML report, Markdown, tidy CSV, the run document. */
/** html, md, csv, json: reports of the run; jsonl: llama-bench's records of its tests, one JSON object a line */
export const ExportFormatSchema = z.enum(['html', 'md', 'csv', 'json', 'jsonl']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/**
 * Device targets: preset ids, this-machine, or a description (name=…,ram=…,bandwidth=…[,reserve=…|budget=…]),
 * in order. Left out or empty: every preset and this machine (when its bandwidth is measured).
 */
const targetSpecs = z.array(z.string().min(1).max(500)).max(100);

/** What a run is judged against: device targets and a latency goal. */
export const AnalysisRequestSchema = z.object({
  targets: targetSpecs.optional(),
  goal: LatencyGoalSchema.optional(),
});
export type AnalysisRequest = z.infer<typeof AnalysisRequestSchema>;

/**
 * How a run is exported. HTML and Markdown judge the run on device targets (the analysis sections), the
 * same for every door; CSV and JSON stay the run document's own data and ignore these options.
 */
export const ExportOptionsSchema = AnalysisRequestSchema.extend({
  /** html and md: false leaves the analysis out, the run's own tables only (default true) */
  analysis: z.boolean().optional(),
});
export type ExportOptions = z.infer<typeof ExportOptionsSchema>;

/** A catalog model's KV cache at a preset, judged on targets: what `edge-workbench kv` prints. */
export const KvPressureRequestSchema = z.object({
  /** a catalog id */
  model: z.string().min(1).max(200),
  overrides: ModelOverridesSchema.optional(),
  /** quantization preset: sets the weights and the default KV dtype (default fp32) */
  quant: z.string().min(1).max(100).optional(),
  /** the KV cache's dtype when not the preset's own */
  kvDtype: KvDtypeSchema.optional(),
  /** tokens: contexts to show besides 512…32K */
  contexts: z.array(z.number().int().positive()).max(100).optional(),
  targets: targetSpecs.optional(),
});
export type KvPressureRequest = z.infer<typeof KvPressureRequestSchema>;

const sweepStarted = z.object({ runId: z.string(), trials: z.number().int() });

export const workbenchMethods = {
  /**
   * this machine's facts: probed once and kept (the hardware does not change under a running engine);
   * `refresh: true` probes again (the System screen's Refresh)
   */
  system: {
    args: z.tuple([z.object({ refresh: z.boolean().optional() }).strict().optional()]),
    result: SystemInfoSchema,
  },
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
    result: sweepStarted,
  },
  /**
   * run the trials an interrupted (or cancelled) run of this workbench has not finished, in the
   * background like startSweep; finished trials are kept, not measured again
   */
  resumeSweep: { args: z.tuple([runId]), result: sweepStarted },
  cancelSweep: { args: z.tuple([runId]), result: z.object({ cancelled: z.boolean() }) },
  listRuns: { args: z.tuple([]), result: RunListSchema },
  loadRun: { args: z.tuple([runId]), result: RunDocumentSchema },
  /** the run's new name as stored (trimmed) */
  renameRun: {
    args: z.tuple([runId, z.string().min(1).max(200)]),
    result: z.object({ id: z.string(), name: z.string() }),
  },
  /** add tags (remove them with `true`); answers the run's tags now */
  tagRun: {
    args: z.tuple([runId, z.array(z.string().min(1)), z.boolean().optional()]),
    result: z.object({ id: z.string(), tags: z.array(z.string()) }),
  },
  deleteRun: { args: z.tuple([runId]), result: ok },
  restoreRun: { args: z.tuple([runId]), result: ok },
  /** the run as a file: the same text from every door (see ExportOptionsSchema) */
  exportRun: {
    args: z.tuple([runId, ExportFormatSchema, ExportOptionsSchema.optional()]),
    result: ExportedRunSchema,
  },
  /** store a run file's text from another machine (validated; never overwrites) */
  importRun: {
    args: z.tuple([z.string().max(64 * 1024 * 1024)]),
    result: z.object({ id: z.string(), originalId: z.string() }),
  },
  /**
   * device targets: the ones named (ids or descriptions, each id once), or every preset and this machine
   * (with its measured bandwidth)
   */
  deviceTargets: { args: z.tuple([targetSpecs.optional()]), result: z.array(DeviceTargetSchema) },
  /** KV pressure, fit verdicts and trade-offs of a run against targets (ids or name=…,ram=…,bandwidth=…) */
  analyzeRun: { args: z.tuple([runId, AnalysisRequestSchema]), result: RunAnalysisSchema },
  /** a catalog model's KV bytes per token and at each context, and the longest context each target holds */
  kvPressure: { args: z.tuple([KvPressureRequestSchema]), result: KvPressureReportSchema },
  /**
   * this machine's memory read bandwidth (the roofline's bound) and onnxruntime's GEMV beside it: cached,
   * or measured (a few seconds); `measure: true` measures again whatever the cache holds; `cachedOnly: true`
   * never measures (the cached figure, or 'not-measured' saying it was not measured yet): what a screen shows
   * on opening
   */
  memoryBandwidth: {
    args: z.tuple([
      z.object({ measure: z.boolean().optional(), cachedOnly: z.boolean().optional() }).strict().optional(),
    ]),
    result: RooflineBandwidthSchema,
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
