import { z } from 'zod';

/**
 * Device targets and what the workbench concludes about them: KV pressure, "does this configuration fit
 * that device, and how fast would it decode there", and the speed / memory / quality trade-off. The
 * analysis lives in common/analysis (device-targets, kv-pressure, fit-verdict, tradeoff); these shapes
 * are what the CLI, the UI and the reports share.
 *
 * Every number that was not measured where it is shown carries `projected: true` or a `basis` that says
 * how it was obtained (ARCHITECTURE.md: every number measured — or labelled).
 */

const bytes = z.number().nonnegative();
const positiveBytes = z.number().positive();
const tokens = z.number().int().nonnegative();
/** a share, 0–1 */
const fraction = z.number().min(0).max(1);
/** nats; KL divergence is never negative */
const nats = z.number().nonnegative();

export const DeviceTargetKindSchema = z.enum(['preset', 'this-machine', 'custom']);
export type DeviceTargetKind = z.infer<typeof DeviceTargetKindSchema>;

/**
 * Where a target's bandwidth comes from. 'nominal': a published theoretical peak (bus width × transfer
 * rate) — sustained reads reach only part of it, so projections from it are optimistic. 'measured': this
 * machine's measured read bandwidth (profiler/runtime/memory-bandwidth: a streaming read on every core). 'user': typed in by a person.
 */
export const BandwidthBasisSchema = z.enum(['nominal', 'measured', 'user']);
export type BandwidthBasis = z.infer<typeof BandwidthBasisSchema>;

export const DeviceTargetSchema = z
  .object({
    /** stable id for the CLI and reports, e.g. "phone-8gb" */
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    name: z.string().min(1),
    kind: DeviceTargetKindSchema,
    /** bytes of RAM the device has */
    totalMemoryBytes: positiveBytes,
    /** bytes held back for the OS, other apps and carve-outs (GPU, modem) */
    reservedMemoryBytes: bytes,
    /** bytes the model's process may use: total − reserved. Every fit verdict is against this budget. */
    memoryBytes: positiveBytes,
    /** how the reserve was chosen, in words */
    memoryNote: z.string(),
    /** bytes/s of memory read bandwidth */
    bandwidthBytesPerSecond: z.number().positive(),
    bandwidthBasis: BandwidthBasisSchema,
    /** where the memory and bandwidth figures come from */
    source: z.string().min(1),
    notes: z.string(),
  })
  .refine((target) => target.memoryBytes <= target.totalMemoryBytes, {
    message: 'memoryBytes (the model budget) cannot exceed totalMemoryBytes',
    path: ['memoryBytes'],
  });
export type DeviceTarget = z.infer<typeof DeviceTargetSchema>;

/** What a person needs from the device; every field optional, an empty goal checks nothing. */
export const LatencyGoalSchema = z.object({
  /** tokens/s the decode must at least reach on the target */
  minDecodeTokensPerSecond: z.number().positive().optional(),
  /** ms, time to first token the prefill must stay under */
  maxTtftMs: z.number().positive().optional(),
  /** tokens of prompt the TTFT goal is for (e.g. 1024); default: the trial's own prompt length */
  ttftPromptTokens: z.number().int().positive().optional(),
});
export type LatencyGoal = z.infer<typeof LatencyGoalSchema>;

// ---------------------------------------------------------------- KV pressure

export const KvDtypeSchema = z.enum(['float32', 'float16']);
export type KvDtype = z.infer<typeof KvDtypeSchema>;

/** The KV cache at one context length. */
export const KvAtContextSchema = z.object({
  contextTokens: tokens,
  /** bytes of KV cache holding `contextTokens` tokens */
  kvBytes: bytes,
  /**
   * KV bytes ÷ (weights + KV bytes): the KV cache's share of the bytes a decode step reads at this
   * context (a step reads every weight once and the whole cache once)
   */
  kvShareOfDecodeBytes: fraction,
  /** past the model's own maximum context: shown for scale, not runnable as published */
  beyondModelMax: z.boolean(),
});
export type KvAtContext = z.infer<typeof KvAtContextSchema>;

/** One context against one target's budget. */
export const KvBudgetShareSchema = z.object({
  contextTokens: tokens,
  /** KV bytes ÷ the target's budget (ARCHITECTURE.md "KV pressure") */
  kvShareOfBudget: z.number().nonnegative(),
  /** (weights + overhead + KV) ÷ budget */
  totalShareOfBudget: z.number().nonnegative(),
  fits: z.boolean(),
});
export type KvBudgetShare = z.infer<typeof KvBudgetShareSchema>;

export const KvTargetFitSchema = z.object({
  targetId: z.string(),
  targetName: z.string(),
  /** bytes, the target's model budget */
  memoryBytes: positiveBytes,
  /** bytes left for the KV cache: budget − weights − overhead; negative when those alone overflow */
  kvRoomBytes: z.number(),
  /** tokens; the longest context whose cache fits in `kvRoomBytes`, capped at the model's maximum */
  maxContextTokens: tokens,
  /**
   * 'memory': the budget decides; 'model-max-context': the model's own limit comes first;
   * 'weights-do-not-fit': weights + overhead alone exceed the budget (maxContextTokens is 0)
   */
  limitedBy: z.enum(['memory', 'model-max-context', 'weights-do-not-fit']),
  /** KV share of decode bytes at `maxContextTokens`; null when nothing fits */
  kvShareOfDecodeBytesAtMax: fraction.nullable(),
  perContext: z.array(KvBudgetShareSchema),
});
export type KvTargetFit = z.infer<typeof KvTargetFitSchema>;

export const KvPressureReportSchema = z.object({
  /** the model the report is for, as people name it */
  label: z.string(),
  kvDtype: KvDtypeSchema,
  /** bytes each token of context adds: 2 · layers · kv_heads · head_dim · bytes per element */
  bytesPerToken: positiveBytes,
  /** bytes of weights the session loads */
  weightsBytes: bytes,
  /** bytes of runtime, arena and activations beside weights and KV */
  overheadBytes: bytes,
  /** tokens; null where the model does not say */
  modelMaxContextTokens: tokens.nullable(),
  contexts: z.array(KvAtContextSchema),
  targets: z.array(KvTargetFitSchema),
  /** how weights and overhead were obtained (measured or estimated), for people */
  basis: z.string(),
});
export type KvPressureReport = z.infer<typeof KvPressureReportSchema>;

/** Decode slowdown with context depth, from trials of one configuration at several depths. */
export const DecodeSlowdownSchema = z.object({
  /** the configuration (everything but depth), as people name it */
  label: z.string(),
  points: z.array(
    z.object({
      depthTokens: tokens,
      /** ms, the trial's mean per-token decode latency */
      perTokenMs: z.number().nonnegative(),
    }),
  ),
  depths: z.array(tokens),
  /** ms per token added per 1,000 tokens of depth: the least-squares slope × 1000 */
  msPer1KTokens: z.number(),
  /** ms, the fitted per-token latency at depth 0 (the line's intercept) */
  perTokenMsAtDepth0: z.number(),
  /** msPer1KTokens ÷ perTokenMsAtDepth0 × 100; null when the intercept is not positive */
  percentPer1KTokens: z.number().nullable(),
  /** goodness of the line, 0–1; null when every point has the same latency */
  rSquared: z.number().nullable(),
});
export type DecodeSlowdown = z.infer<typeof DecodeSlowdownSchema>;

// ---------------------------------------------------------------- fit verdict

/** Memory against a target's budget: over TIGHT_SHARE (80%) of it is 'tight', over 100% does not fit. */
export const MemoryFitSchema = z.enum(['fits', 'tight', 'does-not-fit', 'unknown']);
export type MemoryFit = z.infer<typeof MemoryFitSchema>;

export const GoalStatusSchema = z.enum(['meets', 'misses', 'unknown', 'no-goal']);
export type GoalStatus = z.infer<typeof GoalStatusSchema>;

export const FitVerdictSchema = z.object({
  targetId: z.string(),
  targetName: z.string(),
  /** the configuration, as people name it */
  trialLabel: z.string(),
  /** the trial ran on this target (this machine), so nothing needs projecting */
  ranOnTarget: z.boolean(),
  memory: z.object({
    /** bytes the configuration needs at its full context; null when nothing says */
    needBytes: bytes.nullable(),
    /** bytes, the target's budget */
    budgetBytes: positiveBytes,
    /** need ÷ budget */
    shareOfBudget: z.number().nonnegative().nullable(),
    fit: MemoryFitSchema,
    /** 'peak-rss': measured here; 'estimate': weights + KV + overhead; 'none': no basis */
    source: z.enum(['peak-rss', 'estimate', 'none']),
    projected: z.boolean(),
    basis: z.string(),
  }),
  decode: z.object({
    /** tokens/s measured here (median over repetitions) */
    measuredTokensPerSecond: z.number().nonnegative().nullable(),
    /** tokens/s on the target */
    tokensPerSecond: z.number().nonnegative().nullable(),
    /** target bandwidth ÷ the bandwidth measured here */
    bandwidthRatio: z.number().positive().nullable(),
    projected: z.boolean(),
    basis: z.string(),
  }),
  ttft: z.object({
    /** ms, measured here at the trial's own prompt (median over repetitions) */
    measuredMs: z.number().nonnegative().nullable(),
    /** tokens of prompt `ms` is for */
    promptTokens: tokens,
    /** ms, measured here, scaled to `promptTokens` when the goal asks for another prompt length */
    ms: z.number().nonnegative().nullable(),
    /** TTFT is never projected to another device: prefill is compute-bound (see basis) */
    projected: z.literal(false),
    basis: z.string(),
  }),
  latency: z.object({
    /** 'misses' if any goal misses, 'meets' if every goal given meets, 'unknown' otherwise */
    status: GoalStatusSchema,
    decode: GoalStatusSchema,
    ttft: GoalStatusSchema,
    /** one line per goal, for people */
    reasons: z.array(z.string()),
  }),
});
export type FitVerdict = z.infer<typeof FitVerdictSchema>;

// ---------------------------------------------------------------- trade-off

export const TradeoffQualitySchema = z.object({
  /** KL(p_fp32 ‖ p_variant), nats */
  klMean: nats,
  top1Agreement: fraction,
  /** 'measured': the run's quality entry; 'reference': the fp32 variant itself (KL 0, agreement 1) */
  source: z.enum(['measured', 'reference']),
});
export type TradeoffQuality = z.infer<typeof TradeoffQualitySchema>;

/** One measured configuration on the speed / memory / quality chart. */
export const TradeoffPointSchema = z.object({
  /** the trial's key in the run */
  key: z.string(),
  label: z.string(),
  /** the run's name for the model (what quality entries are keyed by) */
  modelKey: z.string(),
  quant: z.string(),
  /** null: the preset's own */
  kvDtype: KvDtypeSchema.nullable(),
  contextTokens: tokens,
  depthTokens: tokens,
  promptTokens: tokens,
  generateTokens: tokens,
  ep: z.string(),
  /** null: onnxruntime's default */
  threads: z.number().int().positive().nullable(),
  /** tokens/s, median over repetitions */
  decodeTokensPerSecond: z.number().nonnegative(),
  /** bytes, the trial's peak RSS */
  memoryBytes: bytes,
  /** null where the run has no quality entry for this model and quant */
  quality: TradeoffQualitySchema.nullable(),
  /** points are compared only with the same workload (depth, prompt and generate lengths) */
  workload: z.string(),
  paretoOptimal: z.boolean(),
  /** keys of the points that dominate this one; empty when Pareto-optimal */
  dominatedBy: z.array(z.string()),
});
export type TradeoffPoint = z.infer<typeof TradeoffPointSchema>;

export const PublishedBenchmarkSchema = z.enum(['math500', 'gsm8k', 'aime24', 'aime25', 'liveCodeBenchV6']);
export type PublishedBenchmark = z.infer<typeof PublishedBenchmarkSchema>;

/** A published score beside the cost measured here. */
export const AccuracyPerCostSchema = z.object({
  benchmark: PublishedBenchmarkSchema,
  /** percent, 0–100, as published (not re-measured here) */
  percent: z.number().min(0).max(100),
  /** where the score comes from */
  source: z.string(),
  /** percent ÷ weights GiB (GiB = 2^30 bytes) */
  percentPerWeightsGiB: z.number().nonnegative(),
  /** percent ÷ per-token p50 ms: the score per ms of decode latency */
  percentPerTokenMs: z.number().nonnegative(),
});
export type AccuracyPerCost = z.infer<typeof AccuracyPerCostSchema>;

export const ModelAccuracyCostSchema = z.object({
  /** the trial's key in the run */
  key: z.string(),
  modelId: z.string(),
  displayName: z.string(),
  quant: z.string(),
  /** bytes of weights the session loaded */
  weightsBytes: positiveBytes,
  /** ms, per-token decode latency p50 */
  perTokenP50Ms: z.number().positive(),
  scores: z.array(AccuracyPerCostSchema),
  /** what the published scores do and do not say about this variant */
  note: z.string(),
});
export type ModelAccuracyCost = z.infer<typeof ModelAccuracyCostSchema>;

export const TradeoffAnalysisSchema = z.object({
  points: z.array(TradeoffPointSchema),
  accuracy: z.array(ModelAccuracyCostSchema),
  /** how points are compared, for people */
  basis: z.string(),
});
export type TradeoffAnalysis = z.infer<typeof TradeoffAnalysisSchema>;

// ---------------------------------------------------------------- a run's analysis

/** One measured configuration judged on every target of the analysis, in `RunAnalysis.targets` order. */
export const TrialVerdictsSchema = z.object({
  /** the trial's key in the run */
  key: z.string(),
  /** the configuration, as people name it (trialLabel: a folder model by the folder's name) */
  label: z.string(),
  /** the same with a folder model's whole path (trialTitle), for a hover title; absent in older answers */
  title: z.string().optional(),
  verdicts: z.array(FitVerdictSchema),
});
export type TrialVerdicts = z.infer<typeof TrialVerdictsSchema>;

/**
 * Everything the workbench concludes about a run against a set of device targets, as plain data: the
 * caller (CLI, engine) computes it with common/analysis/run-analysis.ts and hands it to the exporters.
 */
export const RunAnalysisSchema = z.object({
  /** the run's id */
  runId: z.string(),
  targets: z.array(DeviceTargetSchema),
  /** the latency goal the verdicts were judged against; {} when none was given */
  goal: LatencyGoalSchema,
  /** tokens; the contexts of every KV pressure report (512…32K plus the run's own) */
  contextsTokens: z.array(tokens),
  /** one per distinct model variant (model, quant, KV dtype) among the run's ok trials */
  kvPressure: z.array(KvPressureReportSchema),
  /** per configuration that ran at two or more depths; empty otherwise */
  decodeSlowdown: z.array(DecodeSlowdownSchema),
  /** one per ok trial, in the run's order */
  verdicts: z.array(TrialVerdictsSchema),
  tradeoff: TradeoffAnalysisSchema,
  /** bytes/s, the memory bandwidths the run's trials measured (distinct, ascending); what projections divide by */
  hereBandwidthsBytesPerSecond: z.array(z.number().positive()),
  /** how projected numbers were obtained and what they assume, for people; stated once under the verdicts */
  projectionBasis: z.string(),
});
export type RunAnalysis = z.infer<typeof RunAnalysisSchema>;
