import { z } from 'zod';
import { TrialQuantSchema } from '../quant-presets';
import { LlamaBenchRecordSchema } from './llama-bench-record';
import { RuntimeSchema } from './runtime';

export { RuntimeSchema, trialRuntime, type Runtime } from './runtime';

/**
 * One trial: one model variant × one execution-provider setting × one context depth × one prompt /
 * generation length, measured in its own process (ARCHITECTURE.md, "The trial"). The request and the
 * result are versioned JSON: the CLI's `run --json`, the run store and the UI all carry these shapes.
 */

export const ExecutionProviderSchema = z.enum(['cpu', 'webgpu', 'cuda', 'dml', 'coreml']);
export type ExecutionProvider = z.infer<typeof ExecutionProviderSchema>;

export const GraphOptimizationLevelSchema = z.enum(['disabled', 'basic', 'extended', 'all']);

const tokenCount = z.number().int().positive();
const lengthTokens = z.number().int().nonnegative();

/** config.json-style what-if overrides of a catalog model, e.g. { num_hidden_layers: 4 } */
export const ModelOverridesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Which model: a catalog id (built synthetic, cached) or a folder / .onnx on disk. */
export const TrialModelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('catalog'),
    id: z.string().min(1),
    overrides: ModelOverridesSchema.default({}),
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

/** How the cache is filled to its depth before the timed part (untimed). */
export const DepthFillSchema = z.enum(['synthetic', 'model']);
export type DepthFillMethod = z.infer<typeof DepthFillSchema>;

/**
 * How the KV cache is held: 'grow' (Optimum: present comes back one token longer and is fed back as
 * past), 'shared' (onnxruntime-genai's past_present_share_buffer: one preallocated buffer of the sequence's
 * length, written in place by GroupQueryAttention), 'auto' (shared where the graph allows, else grow).
 */
export const KvBufferSchema = z.enum(['auto', 'grow', 'shared']);
export type KvBufferChoice = z.infer<typeof KvBufferSchema>;

const TrialSpecFieldsSchema = z.object({
  model: TrialModelSchema,
  /**
   * what runs the model (absent: onnxruntime): onnxruntime (an ONNX variant) or llama.cpp (a GGUF file:
   * a catalog model written as GGUF with the same seeded weights, a user's .gguf as the model path, or
   * imported llama-bench results)
   */
  runtime: RuntimeSchema.optional(),
  /**
   * quantization preset of the variant (common/quant-presets.ts: fp32, fp16, int8, int8-dyn, int4, …), or
   * the GGUF type llama.cpp ran (Q4_0, Q8_0, F32, …) in imported llama-bench results
   */
  quant: TrialQuantSchema.default('fp32'),
  /** the KV cache's dtype when it should differ from the preset's own */
  kvDtype: z.enum(['float32', 'float16']).optional(),
  /** tokens the session is sized for (C); depth + prompt + generate must fit */
  contextTokens: tokenCount.default(2048),
  /**
   * tokens in the timed prefill (P). 0 only in an imported llama-bench tg record, which timed no prefill;
   * a trial run here refuses it (trial-validation.ts)
   */
  promptTokens: lengthTokens.default(128),
  /** timed greedy decode steps (G); 0 only in an imported llama-bench pp record */
  generateTokens: lengthTokens.default(64),
  /**
   * tokens in the KV cache before the timed part (llama-bench -d). Absent: the end of the context
   * window, C − P − G, so the cache holds C tokens after the last step
   */
  depthTokens: z.number().int().nonnegative().optional(),
  /** where depthTokens came from: 'context' (C − P − G) or 'given' (explicitly) */
  depthSource: z.enum(['context', 'given']).optional(),
  /**
   * how the depth is filled: 'synthetic' writes seeded values straight into the cache (attention
   * costs the same whatever the values; the memory is really held), 'model' runs the model over the
   * tokens. Default: 'model' when fillText is given, else 'synthetic'
   */
  fill: DepthFillSchema.optional(),
  /** real text to fill the depth with (encoded with the model folder's tokenizer, repeated to length) */
  fillText: z.string().optional(),
  kvBuffer: KvBufferSchema.default('auto'),
  /** exact prompt ids; default: seeded ids */
  promptIds: z.array(z.number().int().nonnegative()).optional(),
  /** a text prompt, for model folders with a tokenizer.json */
  promptText: z.string().optional(),
  /** wrap promptText in the model's chat template (one user turn, the assistant's turn opened) */
  chat: z.boolean().optional(),
  /** seeds the default prompt ids, the depth's ids and the synthetic fill's values */
  promptSeed: z.number().int().nonnegative().default(0),
  ep: ExecutionProviderSchema.default('cpu'),
  /**
   * onnxruntime intra-op threads; default: onnxruntime's own choice (physical cores). llama.cpp: its
   * compute threads; default: this machine's physical cores (always set explicitly, and recorded)
   */
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

/** The depth C − P − G (the end of the context window), or null when P + G alone overflow C. */
export function windowEndDepth(spec: {
  contextTokens: number;
  promptTokens: number;
  generateTokens: number;
}): number | null {
  const depth = spec.contextTokens - spec.promptTokens - spec.generateTokens;
  return depth >= 0 ? depth : null;
}

/** Tokens the KV cache holds after a trial's last decode step: depth + P + G (C at the default depth). */
export function sequenceTokens(spec: {
  depthTokens: number;
  promptTokens: number;
  generateTokens: number;
}): number {
  return spec.depthTokens + spec.promptTokens + spec.generateTokens;
}

/**
 * A trial as run: the depth resolved (the end of the window unless given) and the fill chosen, so a
 * stored result always says what it measured.
 */
export const TrialSpecSchema = TrialSpecFieldsSchema.transform((spec, ctx) => {
  const promptTokens = spec.promptIds?.length ?? spec.promptTokens;
  let { depthTokens, depthSource } = spec;
  if (depthTokens === undefined) {
    // a text prompt's length is known once it is encoded: the runner sets the depth then
    const depth = spec.promptText === undefined ? windowEndDepth({ ...spec, promptTokens }) : 0;
    if (depth === null) {
      ctx.issues.push({
        code: 'custom',
        input: spec.contextTokens,
        path: ['contextTokens'],
        message:
          `prompt ${promptTokens} + generate ${spec.generateTokens} = ${promptTokens + spec.generateTokens} tokens ` +
          `do not fit the ${spec.contextTokens}-token context: raise the context or lower the prompt / generate lengths`,
      });
      return z.NEVER;
    }
    depthTokens = depth;
    depthSource = 'context';
  }
  return {
    ...spec,
    depthTokens,
    depthSource: depthSource ?? 'given',
    // llama.cpp cannot be handed cache values: its depth is always filled by the model
    fill: spec.fill ?? (spec.fillText === undefined && spec.runtime !== 'llama.cpp' ? 'synthetic' : 'model'),
  };
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
  /** ms, the prefill run() call to the first generated token id: prefill + sampling, what a user waits for */
  ttftMs: z.number(),
  /** ms, the prefill run() alone (absent in results of schema 1, whose TTFT was the only prefill time) */
  prefillMs: z.number().optional(),
  /** prompt tokens / prefill seconds (run() alone; schema 1: prefill + sampling) */
  prefillTokensPerSecond: z.number(),
  /** ms per decode step: run() with one token + past, sampling excluded (schema 1: included); every sample */
  decodeStepMs: z.array(z.number()),
  /** ms per decode step spent sampling (the argmax over the logits); absent in schema 1 */
  samplingMs: z.array(z.number()).optional(),
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
  /**
   * ms of the profiled sequence: inside onnxruntime (its profiler's model_run) and around it, as the
   * step times are measured (run() through onnxruntime-node, which also converts inputs and copies
   * every output — the whole KV cache, at each step — into JS buffers). The difference is the binding's.
   */
  runTimes: z
    .object({
      prefillInsideMs: z.number(),
      prefillWallMs: z.number(),
      /** medians over the decode steps */
      decodeInsideMs: z.number(),
      decodeWallMs: z.number(),
    })
    .optional(),
});
export type OpBreakdown = z.infer<typeof OpBreakdownSchema>;

export const RooflineSchema = z.object({
  /**
   * bytes/s the bound divides by: this machine's memory read bandwidth (schema 2: a streaming read on
   * every core; schema 1: an onnxruntime fp32 GEMV), measured as `bandwidthMethod` says
   */
  bandwidthBytesPerSecond: z.number(),
  bandwidthMethod: z.string(),
  /** ISO time the bandwidth was measured */
  bandwidthMeasuredAt: z.string().optional(),
  /** what onnxruntime's own fp32 GEMV reaches here, bytes/s: a kernel's figure, beside the bound */
  kernelBandwidthBytesPerSecond: z.number().optional(),
  kernelBandwidthMethod: z.string().optional(),
  /**
   * bytes one decode step reads, mean over the timed steps: `weightBytesPerDecodeToken` + the KV cache
   * at that depth (schema 1: every initializer + KV)
   */
  bytesPerDecodeToken: z.number(),
  /** every weight a MatMul / norm reads, one row of each gathered table (embeddings, rotary caches) */
  weightBytesPerDecodeToken: z.number().optional(),
  /** KV bytes per token × mean cached tokens over the decode steps */
  kvBytesPerDecodeToken: z.number().optional(),
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

/** 2: depth defaults to the end of the context window, sampling apart, peak RSS the trial's own (VmHWM). */
export const TRIAL_RESULT_VERSION = 2;

export const TrialEnvironmentSchema = z.object({
  /** the machine's name: `serve --name`, else its hostname (older results may not say) */
  device: z.string().optional(),
  cpu: z.string(),
  /* every result measured here has each field; an imported llama-bench record lacks those it does not
     record (cores, memory, OS, onnxruntime, Node.js): absent, shown as not recorded */
  physicalCores: z.number().int().optional(),
  logicalCores: z.number().int().optional(),
  totalMemoryBytes: z.number().optional(),
  os: z.string().optional(),
  gpus: z.array(z.string()),
  onnxruntimeVersion: z.string().optional(),
  nodeVersion: z.string().optional(),
  /** the app (or, for a llama.cpp record, llama.cpp's build) that measured it */
  appVersion: z.string(),
  /** the source commit of that build, where known */
  buildCommit: z.string().optional(),
});
export type TrialEnvironment = z.infer<typeof TrialEnvironmentSchema>;
/** An environment probed here: every field a trial run by this app records. */
export type MeasuredEnvironment = TrialEnvironment &
  Required<
    Pick<
      TrialEnvironment,
      'physicalCores' | 'logicalCores' | 'totalMemoryBytes' | 'os' | 'onnxruntimeVersion' | 'nodeVersion'
    >
  >;

/** What filled the cache and how it was held while the trial ran. */
export const KvSetupSchema = z.object({
  /** tokens in the cache before the timed prefill */
  depthTokens: z.number().int().nonnegative(),
  /** 'none' at depth 0; 'synthetic': seeded values; 'model': the model run over `fillSource` */
  fill: z.enum(['none', 'synthetic', 'model']),
  /** what the fill was made of: 'seeded values', 'seeded ids', 'text' */
  fillSource: z.string().optional(),
  /** tokens per fill run (model fill) */
  fillChunkTokens: z.number().int().positive().optional(),
  buffer: z.enum(['grow', 'shared']),
  /** 'shared': rows each preallocated key / value buffer holds (the context) */
  bufferTokens: z.number().int().positive().optional(),
});
export type KvSetup = z.infer<typeof KvSetupSchema>;

/** What a llama.cpp trial ran with: the library's build and the context's settings. */
export const LlamaCppSetupSchema = z.object({
  /** node-llama-cpp's version and its label of the bundled llama.cpp ("v0.4.0") */
  bindingVersion: z.string(),
  release: z.string(),
  /** the library's own llama_commit() / llama_build_number(), read from it; null where unreadable */
  commit: z.string().nullable(),
  buildNumber: z.number().int().nullable(),
  /** the compute backend the library ran on: 'cpu', 'cuda', 'vulkan', 'metal' */
  backend: z.string(),
  /** compute threads, set explicitly (node-llama-cpp's own default oversubscribes small machines) */
  threads: z.number().int().positive(),
  /** tokens per llama_decode call (n_batch = n_ubatch) */
  batchTokens: z.number().int().positive(),
  /** KV cells the context holds */
  contextCells: z.number().int().positive(),
  flashAttention: z.boolean(),
  /** layers offloaded to the GPU (0 on the CPU) */
  gpuLayers: z.number().int().nonnegative(),
  /** libuv's pool size in the trial process: 1, see README "llama.cpp trials" */
  uvThreadpoolSize: z.number().int().positive().nullable(),
  /** the GGUF's own tensor types, by count, e.g. { Q4_0: 169, F32: 61 } */
  tensorTypes: z.record(z.string(), z.number().int()),
});
export type LlamaCppSetup = z.infer<typeof LlamaCppSetupSchema>;

/** The logits a prefill returns: one row (last position) or one per prompt token. */
export const LogitsCostSchema = z.object({
  positions: z.enum(['last', 'all']),
  /** bytes of logits one timed prefill returned */
  prefillBytes: z.number().nonnegative(),
  /** bytes the last position alone would need: the difference is what an all-positions export costs */
  lastPositionBytes: z.number().nonnegative(),
});
export type LogitsCost = z.infer<typeof LogitsCostSchema>;

/** How peak RSS was read: the trial process's own high-water mark, and the sampled timeline's top. */
export const PeakRssCheckSchema = z.object({
  /** 'VmHWM' (Linux /proc/self/status, reset at exec), 'maxRSS' (getrusage: macOS, Windows) */
  source: z.string(),
  /** bytes, the largest sample of the memory timeline */
  timelineMaxBytes: z.number().nonnegative(),
  /** ms between the timeline's samples */
  sampleIntervalMs: z.number().positive(),
  /** false when the sampled timeline tops the high-water mark by more than its sampling could explain */
  consistent: z.boolean(),
});

/**
 * Schema 1 filled a depth by running the model over seeded ids; its spec has no `fill`, which would
 * otherwise default to 'synthetic'. Everything else of schema 1 reads as it was written (its fields
 * say, where they differ, what schema 1 measured).
 */
function fromSchema1(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const result = value as { schemaVersion?: unknown; spec?: unknown };
  if (result.schemaVersion !== 1 || typeof result.spec !== 'object' || result.spec === null) return value;
  return { ...result, spec: { fill: 'model', ...result.spec } };
}

const TrialResultFieldsSchema = z.object({
  schemaVersion: z.union([z.literal(1), z.literal(TRIAL_RESULT_VERSION)]),
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
      /** learned parameters (ModelInspection.parameters.learned): the same for every variant of a model */
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
  /**
   * ms, InferenceSession.create, the first in the trial's process; the model file is usually in the
   * OS page cache (just built, quantized or read), so this is not a cold-disk load
   */
  loadMs: z.number().optional(),
  rssBeforeLoadBytes: z.number().optional(),
  rssAfterLoadBytes: z.number().optional(),
  /**
   * the trial process's own peak resident set, bytes (schema 2: VmHWM on Linux; schema 1: getrusage's
   * maxRSS, which on Linux starts at the launching process's resident memory)
   */
  peakRssBytes: z.number().optional(),
  peakRss: PeakRssCheckSchema.optional(),
  /** the parent's samples of the child's RSS (interval: peakRss.sampleIntervalMs; schema 1: ~20 ms) */
  memoryTimeline: z.array(MemorySampleSchema).default([]),
  kvSetup: KvSetupSchema.optional(),
  logits: LogitsCostSchema.optional(),
  promptTokenIds: z.array(z.number().int()).default([]),
  /** ids generated in the first timed repetition */
  generatedTokenIds: z.array(z.number().int()).default([]),
  generatedText: z.string().optional(),
  warmupRuns: z.number().int().default(0),
  repetitions: z.array(RepetitionSchema).default([]),
  /**
   * Every trial run here has all of it. An imported llama-bench record has what llama-bench measured: a
   * pp record its prefill tok/s, a tg record its decode tok/s; the rest is absent (not measured), never 0.
   */
  summary: z
    .object({
      ttftMs: StatsSchema.optional(),
      prefillTokensPerSecond: StatsSchema.optional(),
      decodeTokensPerSecond: StatsSchema.optional(),
      /** over every decode step of every repetition, ms (run() alone; schema 1: sampling included) */
      perTokenMs: z
        .object({ p50: z.number(), p90: z.number(), p99: z.number(), mean: z.number() })
        .optional(),
      /** ms of sampling (argmax) per decode step, over every step; absent in schema 1 */
      samplingMs: z.object({ p50: z.number(), mean: z.number(), max: z.number() }).optional(),
      /** CV of decode or prefill tok/s over 5%; false too with one repetition, which has no spread */
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
  /** llama.cpp trials: the build and context settings they ran with */
  llamaCpp: LlamaCppSetupSchema.optional(),
  roofline: RooflineSchema.optional(),
  /** why there is no roofline: no bandwidth measured for this provider, or the machine was too noisy */
  rooflineUnavailable: z.string().optional(),
  /**
   * true when the present tensors (the KV cache) came back to host memory after every step: onnxruntime-node
   * returns outputs in CPU memory, so a GPU provider's cache crosses the bus each step
   */
  presentOnHost: z.boolean().optional(),
  /**
   * set on a trial read from another tool's output (`runs import` of llama-bench's json, jsonl or csv):
   * the record as read, so it exports back unchanged; what the record lacks is absent above, not 0
   */
  imported: z
    .object({ format: z.literal('llama-bench'), file: z.string(), record: LlamaBenchRecordSchema })
    .optional(),
});
export const TrialResultSchema = z.preprocess(fromSchema1, TrialResultFieldsSchema);
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
