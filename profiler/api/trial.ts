import { z } from 'zod';

/**
 * One trial: one model variant × one execution-provider setting × one context depth × one prompt /
 * generation length, measured in its own process (ARCHITECTURE.md, "The trial"). The request and the
 * result are versioned JSON: the CLI's `run --json`, the run store and the UI all carry these shapes.
 */

export const ExecutionProviderSchema = z.enum(['cpu', 'webgpu', 'cuda', 'dml', 'coreml']);
export type ExecutionProvider = z.infer<typeof ExecutionProviderSchema>;

export const GraphOptimizationLevelSchema = z.enum(['disabled', 'basic', 'extended', 'all']);

const tokenCount = z.number().int().positive();

/** Which model: a catalog id (built synthetic, cached) or a folder / .onnx on disk. */
export const TrialModelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('catalog'),
    id: z.string().min(1),
    /** config.json-style what-if overrides, e.g. { num_hidden_layers: 4 } */
    overrides: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    style: z.enum(['fused', 'standard']).default('fused'),
    /** synthetic weights depend only on this seed */
    seed: z.number().int().nonnegative().default(0),
  }),
  z.object({
    kind: z.literal('folder'),
    /** a model folder (Optimum, genai) or an .onnx file */
    path: z.string().min(1),
    /** Optimum dtype variant label ('' = fp32, 'q4', 'fp16', …) */
    variant: z.string().optional(),
  }),
]);
export type TrialModel = z.infer<typeof TrialModelSchema>;

export const TrialSpecSchema = z.object({
  model: TrialModelSchema,
  /** quantization preset of the variant (fp32, fp16, int8, int8-dyn, int4, int4-b128-asym, q4f16) */
  quant: z.string().default('fp32'),
  /** the KV cache's dtype when it should differ from the preset's own */
  kvDtype: z.enum(['float32', 'float16']).optional(),
  /** tokens the session is sized for; depth + prompt + generate must fit */
  contextTokens: tokenCount.default(2048),
  /** tokens in the timed prefill (P) */
  promptTokens: tokenCount.default(128),
  /** timed greedy decode steps (G) */
  generateTokens: tokenCount.default(64),
  /** tokens put in the KV cache before the timed part, untimed (llama-bench -d) */
  depthTokens: z.number().int().nonnegative().default(0),
  /** exact prompt ids; default: seeded ids */
  promptIds: z.array(z.number().int().nonnegative()).optional(),
  /** a text prompt, for model folders with a tokenizer.json */
  promptText: z.string().optional(),
  /** seeds the default prompt ids */
  promptSeed: z.number().int().nonnegative().default(0),
  ep: ExecutionProviderSchema.default('cpu'),
  /** onnxruntime intra-op threads; default: onnxruntime's own choice (physical cores) */
  threads: z.number().int().positive().max(1024).optional(),
  graphOptimizationLevel: GraphOptimizationLevelSchema.default('all'),
  enableCpuMemArena: z.boolean().default(true),
  enableMemPattern: z.boolean().default(true),
  /** extra session config entries, e.g. { 'session.qdq_matmulnbits_accuracy_level': '4' } */
  sessionConfig: z.record(z.string(), z.string()).default({}),
  /** full prefill + decode runs before the timed repetitions */
  warmupRuns: z.number().int().nonnegative().default(1),
  /** timed repetitions (R) */
  repetitions: z.number().int().positive().max(1000).default(5),
  /** run onnxruntime's profiler on one extra, untimed repetition */
  profileOps: z.boolean().default(false),
  /** seconds; the trial is stopped and recorded as failed past it */
  timeLimitSeconds: z.number().positive().default(900),
});
export type TrialSpec = z.infer<typeof TrialSpecSchema>;
export type TrialSpecInput = z.input<typeof TrialSpecSchema>;

/** Summary statistics of one metric over repetitions (sample std, n − 1). */
export const StatsSchema = z.object({
  n: z.number().int().nonnegative(),
  mean: z.number(),
  std: z.number(),
  median: z.number(),
  min: z.number(),
  max: z.number(),
  /** coefficient of variation, std / mean */
  cv: z.number(),
});
export type Stats = z.infer<typeof StatsSchema>;

export const RepetitionSchema = z.object({
  /** ms, prefill run() call to the first generated token id (prefill + argmax) */
  ttftMs: z.number(),
  /** prompt tokens / prefill seconds */
  prefillTokensPerSecond: z.number(),
  /** ms per decode step: run() with one token + past → argmax; every sample */
  decodeStepMs: z.array(z.number()),
  /** generate tokens / sum of decode step seconds */
  decodeTokensPerSecond: z.number(),
  generatedTokenIds: z.array(z.number().int()),
});
export type Repetition = z.infer<typeof RepetitionSchema>;

export const OpTimeSchema = z.object({
  /** operator type, domain-prefixed when not ONNX's ('com.microsoft.GroupQueryAttention') */
  opType: z.string(),
  /** ms summed over the phase's runs */
  totalMs: z.number(),
  /** share of the phase's node time, 0–1 */
  share: z.number(),
  /** kernel invocations */
  count: z.number().int(),
});
export const NodeTimeSchema = z.object({ node: z.string(), opType: z.string(), totalMs: z.number() });
export const OpBreakdownSchema = z.object({
  prefill: z.array(OpTimeSchema),
  decode: z.array(OpTimeSchema),
  /** slowest nodes per phase */
  prefillNodes: z.array(NodeTimeSchema),
  decodeNodes: z.array(NodeTimeSchema),
  /** the raw profile, for chrome://tracing / Perfetto */
  profileFile: z.string(),
});
export type OpBreakdown = z.infer<typeof OpBreakdownSchema>;

export const RooflineSchema = z.object({
  /** bytes/s, measured on this machine (how: `bandwidthMethod`) */
  bandwidthBytesPerSecond: z.number(),
  bandwidthMethod: z.string(),
  /** weights + KV read per decode token at this trial's depth, bytes */
  bytesPerDecodeToken: z.number(),
  /** bandwidth ÷ bytes per token: the best decode tok/s memory allows */
  boundTokensPerSecond: z.number(),
  /** measured decode tok/s ÷ bound */
  efficiency: z.number(),
});
export type Roofline = z.infer<typeof RooflineSchema>;

export const MemorySampleSchema = z.object({ tMs: z.number(), rssBytes: z.number() });

export const TrialFailureSchema = z.object({
  kind: z.enum(['invalid', 'crash', 'out-of-memory', 'timeout', 'error', 'cancelled']),
  message: z.string(),
});
export type TrialFailure = z.infer<typeof TrialFailureSchema>;

export const TRIAL_RESULT_VERSION = 1;

export const TrialEnvironmentSchema = z.object({
  /** the machine's name: `serve --name`, else its hostname (older results may not say) */
  device: z.string().optional(),
  cpu: z.string(),
  physicalCores: z.number().int(),
  logicalCores: z.number().int(),
  totalMemoryBytes: z.number(),
  os: z.string(),
  gpus: z.array(z.string()),
  onnxruntimeVersion: z.string(),
  nodeVersion: z.string(),
  appVersion: z.string(),
});
export type TrialEnvironment = z.infer<typeof TrialEnvironmentSchema>;

export const TrialResultSchema = z.object({
  schemaVersion: z.literal(TRIAL_RESULT_VERSION),
  status: z.enum(['ok', 'failed']),
  failure: TrialFailureSchema.optional(),
  spec: TrialSpecSchema,
  environment: TrialEnvironmentSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  model: z
    .object({
      label: z.string(),
      modelFile: z.string(),
      layout: z.string(),
      /** content hash of the variant (model file + external data sizes and names) */
      variantHash: z.string(),
      parameters: z.number(),
      /** bytes of initializers the session loads */
      weightsBytes: z.number(),
      /** .onnx + external data on disk, bytes */
      fileBytes: z.number(),
      numLayers: z.number().int(),
      kvHeads: z.number().int(),
      headDim: z.number().int(),
      kvDtype: z.string(),
      maxContextTokens: z.number().int().nullable(),
    })
    .optional(),
  session: z
    .object({
      ep: ExecutionProviderSchema,
      /** null: onnxruntime's default */
      intraOpThreads: z.number().int().nullable(),
      graphOptimizationLevel: GraphOptimizationLevelSchema,
      enableCpuMemArena: z.boolean(),
      enableMemPattern: z.boolean(),
      sessionConfig: z.record(z.string(), z.string()),
    })
    .optional(),
  /** ms, InferenceSession.create, cold (first in the process) */
  loadMs: z.number().optional(),
  rssBeforeLoadBytes: z.number().optional(),
  rssAfterLoadBytes: z.number().optional(),
  /** the trial process's maximum resident set, bytes */
  peakRssBytes: z.number().optional(),
  /** the parent's samples of the child's RSS (~20 ms apart) */
  memoryTimeline: z.array(MemorySampleSchema).default([]),
  promptTokenIds: z.array(z.number().int()).default([]),
  /** ids generated in the first timed repetition */
  generatedTokenIds: z.array(z.number().int()).default([]),
  generatedText: z.string().optional(),
  warmupRuns: z.number().int().default(0),
  repetitions: z.array(RepetitionSchema).default([]),
  summary: z
    .object({
      ttftMs: StatsSchema,
      prefillTokensPerSecond: StatsSchema,
      decodeTokensPerSecond: StatsSchema,
      /** over every decode step of every repetition, ms */
      perTokenMs: z.object({ p50: z.number(), p90: z.number(), p99: z.number(), mean: z.number() }),
      /** CV of decode or prefill tok/s over 5% */
      noisy: z.boolean(),
    })
    .optional(),
  kvCache: z
    .object({
      /** tokens in the cache after the last decode step */
      tokens: z.number().int(),
      /** Σ present tensors' bytes after the last step */
      exactBytes: z.number(),
      /** 2 · layers · kv_heads · head_dim · bytes per element · tokens */
      analyticBytes: z.number(),
      bytesPerToken: z.number(),
    })
    .optional(),
  opBreakdown: OpBreakdownSchema.optional(),
  roofline: RooflineSchema.optional(),
});
export type TrialResult = z.infer<typeof TrialResultSchema>;

/**
 * What a running trial tells its parent. `memory` events come from the supervisor, not the trial: a throttled
 * RSS sample of the trial process (~4 per second) for live memory charts; they carry no step or repetition.
 */
export const TrialProgressSchema = z.object({
  phase: z.enum(['prepare', 'load', 'warmup', 'depth', 'prefill', 'decode', 'profile', 'done', 'memory']),
  /** repetition index, 0-based; warmups count separately */
  repetition: z.number().int().optional(),
  step: z.number().int().optional(),
  totalSteps: z.number().int().optional(),
  /** ms of the step just finished (decode) */
  stepMs: z.number().optional(),
  tokenId: z.number().int().optional(),
  /** decoded text of that token, when a tokenizer is present */
  text: z.string().optional(),
  message: z.string().optional(),
  /** bytes; the trial process's resident memory (`memory` events) */
  rssBytes: z.number().optional(),
  /** ms since the trial process started, stamped by the supervisor on everything the process reports */
  elapsedMs: z.number().optional(),
});
export type TrialProgress = z.infer<typeof TrialProgressSchema>;
