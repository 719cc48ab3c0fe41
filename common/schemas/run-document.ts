import { z } from 'zod';
import { TrialQuantSchema } from '../quant-presets';
import { RuntimeSchema } from './runtime';
import { RunSourceSchema } from './agents';
import { QualityReportSchema } from './quality';
import {
  DepthFillSchema,
  ExecutionProviderSchema,
  KvBufferSchema,
  TrialEnvironmentSchema,
  TrialModelSchema,
  TrialResultSchema,
  TrialSpecSchema,
} from './trial';

/**
 * A run: one sweep, planned, measured trial by trial, and kept as one self-describing JSON document in
 * the data folder (`runs/<id>.json`). Versioned: a reader refuses a document from a newer version.
 */

const positive = z.number().int().positive();
const lengthTokens = z.number().int().nonnegative();

/** Lists per dimension; the planner takes their cartesian product. */
export const SweepSpecSchema = z.object({
  models: z.array(TrialModelSchema).min(1),
  /** quantization presets (common/quant-presets.ts) */
  quants: z.array(TrialQuantSchema).min(1).default(['fp32']),
  /** KV-cache dtypes; 'preset' keeps each preset's own */
  kvDtypes: z
    .array(z.enum(['preset', 'float32', 'float16']))
    .min(1)
    .default(['preset']),
  contexts: z.array(positive).min(1).default([2048]),
  /** tokens in the cache before the timed part; 'end': the end of each context window, C − P − G */
  depths: z
    .array(z.union([z.literal('end'), z.number().int().nonnegative()]))
    .min(1)
    .default(['end']),
  /** how depths are filled (TrialSpec.fill); default synthetic, model when fillText is given */
  fill: DepthFillSchema.optional(),
  /** real text to fill depths with (model folders with a tokenizer) */
  fillText: z.string().optional(),
  /**
   * real text as every trial's prompt, instead of seeded ids (model folders with a tokenizer, e.g.
   * imported real weights); `prompts` then only sizes the plan's estimates: the text's token count runs
   */
  promptText: z.string().min(1).optional(),
  /** wrap promptText in the model's chat template */
  chat: z.boolean().optional(),
  /** how the KV cache is held (TrialSpec.kvBuffer) */
  kvBuffers: z.array(KvBufferSchema).min(1).default(['auto']),
  /** prompt lengths P; 0 only in a run imported from llama-bench (its tg tests time no prefill) */
  prompts: z.array(lengthTokens).min(1).default([128]),
  /** decode steps G; 0 only in a run imported from llama-bench (its pp tests) */
  gens: z.array(lengthTokens).min(1).default([64]),
  /**
   * exact (prompt, generate) pairs (llama-bench -pg): when given, the trials' lengths are these pairs
   * instead of every prompt with every gen
   */
  promptGens: z
    .array(z.object({ prompt: positive, gen: positive }))
    .min(1)
    .optional(),
  eps: z.array(ExecutionProviderSchema).min(1).default(['cpu']),
  /** what runs each model (TrialSpec.runtime): onnxruntime, llama.cpp, or both side by side */
  runtimes: z.array(RuntimeSchema).min(1).default(['onnxruntime']),
  /** intra-op threads; null = onnxruntime's default */
  threads: z.array(positive.nullable()).min(1).default([null]),
  warmupRuns: z.number().int().nonnegative().default(1),
  repetitions: positive.default(5),
  profileOps: z.boolean().default(false),
  timeLimitSeconds: z.number().positive().default(900),
  /** s of cool-down before each trial after the first (llama-bench --delay), for boards that throttle */
  delaySeconds: z.number().nonnegative().default(0),
  promptSeed: z.number().int().nonnegative().default(0),
  /** bytes; trials whose estimated peak exceeds it are not run ("will not fit") */
  memoryBudgetBytes: z.number().positive().optional(),
  /** also measure each quantized variant's quality against its fp32 source */
  measureQuality: z.boolean().default(false),
});
export type SweepSpec = z.infer<typeof SweepSpecSchema>;
export type SweepSpecInput = z.input<typeof SweepSpecSchema>;

export const FitSchema = z.enum(['fits', 'tight', 'will-not-fit']);
export type Fit = z.infer<typeof FitSchema>;

/** What the planner expects of a trial before running it. */
export const TrialEstimateSchema = z.object({
  /** bytes of weights the session will load */
  weightsBytes: z.number().nonnegative(),
  /** bytes of KV cache at the trial's full length */
  kvBytes: z.number().nonnegative(),
  /** bytes: runtime, activations, arena (a fraction of weights plus a floor) */
  overheadBytes: z.number().nonnegative(),
  peakBytes: z.number().nonnegative(),
  /** s, wall clock, including load and warmups */
  seconds: z.number().nonnegative(),
  fit: FitSchema,
  /** how the numbers were obtained, for people */
  basis: z.string(),
});
export type TrialEstimate = z.infer<typeof TrialEstimateSchema>;

export const PlannedTrialSchema = z.object({
  /** stable identity of the configuration: resume matches finished trials by it */
  key: z.string(),
  spec: TrialSpecSchema,
  estimate: TrialEstimateSchema,
});
export type PlannedTrial = z.infer<typeof PlannedTrialSchema>;

export const RunTrialEntrySchema = z.object({ key: z.string(), result: TrialResultSchema });
export type RunTrialEntry = z.infer<typeof RunTrialEntrySchema>;

export const RunQualityEntrySchema = z.object({
  /** the model (catalog id + overrides + style, or folder) and preset the report is for */
  modelKey: z.string(),
  quant: z.string(),
  report: QualityReportSchema,
});
export type RunQualityEntry = z.infer<typeof RunQualityEntrySchema>;

/** 2: trials of schema 2 (depth at the end of the window by default, sampling apart, VmHWM peaks); 1 still reads */
export const RUN_DOCUMENT_VERSION = 2;
export const RUN_DOCUMENT_KIND = 'edge-llm-workbench-run';

export const RunStatusSchema = z.enum(['planned', 'running', 'completed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunDocumentSchema = z.object({
  kind: z.literal(RUN_DOCUMENT_KIND),
  schemaVersion: z.union([z.literal(1), z.literal(RUN_DOCUMENT_VERSION)]),
  /** file-name safe, unique in a store */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  name: z.string(),
  tags: z.array(z.string()).default([]),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: RunStatusSchema,
  sweep: SweepSpecSchema,
  environment: TrialEnvironmentSchema,
  plan: z.array(PlannedTrialSchema),
  /** finished trials (ok or failed), in the order they finished */
  trials: z.array(RunTrialEntrySchema),
  /** planned trials not run, with the reason (will not fit the budget) */
  skipped: z.array(z.object({ key: z.string(), reason: z.string() })).default([]),
  quality: z.array(RunQualityEntrySchema).default([]),
  /** set when the run was measured on a remote agent and copied here */
  source: RunSourceSchema.optional(),
});
export type RunDocument = z.infer<typeof RunDocumentSchema>;

/** A line of the runs list. */
export const RunSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  tags: z.array(z.string()),
  status: RunStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  trials: z.number().int(),
  planned: z.number().int(),
  failed: z.number().int(),
  /** bytes of the document */
  sizeBytes: z.number().int(),
  /** the machine it was measured on (older runs may not say) */
  device: z.string().optional(),
  /** the agent's URL, for runs copied from a remote agent */
  agentUrl: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
