import { modelName } from '../labels';
import { summarizeRepetitions, type TrialSummary } from '../statistics';
import {
  TrialResultSchema,
  TrialSpecSchema,
  type Repetition,
  type Roofline,
  type TrialEnvironment,
  type TrialFailure,
  type TrialResult,
  type TrialSpec,
  type TrialSpecInput,
} from '../schemas/trial';

/**
 * The one TrialResult builder of the repository's tests (the renderer's, the engine's, the reports',
 * the analysis'). A measured trial is given as the engine records
 * it: what each timed repetition measured. Its summary comes from those samples through
 * common/statistics (the function the engine's trial runner uses), and so do the numbers derived from
 * it (KV bytes, the roofline's efficiency), so a fixture cannot state a summary its samples disagree
 * with. Specs and results go through the real schemas, so defaults are the engine's.
 */

const MIB = 1024 * 1024; // bytes

/** A laptop CPU, the machine the fixtures' runs are shaped after. */
export const ENVIRONMENT: TrialEnvironment = {
  cpu: 'AMD Ryzen 7 7840U w/ Radeon 780M Graphics',
  physicalCores: 8,
  logicalCores: 16,
  totalMemoryBytes: 32 * 1024 * MIB,
  os: 'Ubuntu 24.04.2 LTS (linux 6.8.0-57-generic, x64)',
  gpus: [],
  onnxruntimeVersion: '1.30.0',
  nodeVersion: 'v20.19.4',
  appVersion: '0.1.0',
};

/** A spec as the engine resolves it: MobileLLM-R1 140M fp32 at the schema's defaults, then `input`. */
export function trialSpec(input: Partial<TrialSpecInput> = {}): TrialSpec {
  return TrialSpecSchema.parse({ model: { kind: 'catalog', id: 'mobilellm-r1-140m' }, ...input });
}

/** What each timed repetition measured, one entry per repetition (all the same length). */
export interface RepetitionSamples {
  /** ms */
  ttftMs: readonly number[];
  prefillTokensPerSecond: readonly number[];
  decodeTokensPerSecond: readonly number[];
  /** ms of each decode step */
  decodeStepMs: readonly (readonly number[])[];
  /** ms of sampling per decode step (trial schema 2) */
  samplingMs?: readonly (readonly number[])[];
  /** ms of the prefill run() alone (trial schema 2) */
  prefillMs?: readonly number[];
  /** the tokens each repetition generated; none by default */
  generatedTokenIds?: readonly (readonly number[])[];
}

/**
 * `repetitions × steps` timings, dealt round-robin into repetitions, whose percentiles over all of them
 * (linear interpolation between ranks, as the summary reads them) are exactly `p50`, `p90` and `p99`:
 * each percentile's two neighbouring ranks hold its value, and the ranks between rise linearly, from
 * `min` (default 97% of p50) to `max` (default 110% of p99).
 */
export function timings(
  repetitions: number,
  steps: number,
  figures: { p50: number; p90: number; p99: number; min?: number; max?: number },
): number[][] {
  const count = repetitions * steps;
  const anchors = new Map<number, number>();
  const anchor = (index: number, value: number) => {
    const held = anchors.get(index);
    if (held !== undefined && held !== value)
      throw new Error(`timings: ${count} samples are too few to hold p50, p90 and p99 apart`);
    anchors.set(index, value);
  };
  for (const [p, value] of [
    [50, figures.p50],
    [90, figures.p90],
    [99, figures.p99],
  ] as const) {
    const rank = (p / 100) * (count - 1);
    anchor(Math.floor(rank), value);
    anchor(Math.ceil(rank), value);
  }
  if (!anchors.has(0)) anchors.set(0, figures.min ?? figures.p50 * 0.97);
  if (!anchors.has(count - 1)) anchors.set(count - 1, figures.max ?? figures.p99 * 1.1);
  const ranks = [...anchors.keys()].sort((a, b) => a - b);
  const sorted = Array.from({ length: count }, (_, index) => {
    const above = ranks.findIndex((rank) => rank >= index);
    const high = ranks[above]!;
    if (high === index) return anchors.get(index)!;
    const low = ranks[above - 1]!;
    const [from, to] = [anchors.get(low)!, anchors.get(high)!];
    return from + ((to - from) * (index - low)) / (high - low);
  });
  return Array.from({ length: repetitions }, (_, rep) =>
    sorted.filter((_, index) => index % repetitions === rep),
  );
}

/**
 * `samples` scaled so that their median is `median` (exactly: the middle sample becomes it), keeping
 * their spread relative to it, as the same configuration measured faster or slower would.
 */
export function withMedian(samples: readonly number[], median: number): number[] {
  const middle = [...samples].sort((a, b) => a - b)[(samples.length - 1) / 2];
  if (middle === undefined) throw new Error(`withMedian: ${samples.length} samples have no middle one`);
  return samples.map((sample) => (sample === middle ? median : (sample * median) / middle));
}

function repetitionsOf(samples: RepetitionSamples): Repetition[] {
  const count = samples.decodeTokensPerSecond.length;
  for (const [name, values] of Object.entries(samples))
    if ((values as readonly unknown[]).length !== count)
      throw new Error(
        `trial fixture: ${name} has ${(values as readonly unknown[]).length} repetitions, decode ${count}`,
      );
  return Array.from({ length: count }, (_, rep) => ({
    ttftMs: samples.ttftMs[rep]!,
    prefillTokensPerSecond: samples.prefillTokensPerSecond[rep]!,
    decodeTokensPerSecond: samples.decodeTokensPerSecond[rep]!,
    decodeStepMs: [...samples.decodeStepMs[rep]!],
    ...(samples.samplingMs ? { samplingMs: [...samples.samplingMs[rep]!] } : {}),
    ...(samples.prefillMs ? { prefillMs: samples.prefillMs[rep]! } : {}),
    generatedTokenIds: [...(samples.generatedTokenIds?.[rep] ?? [])],
  }));
}

/** The variant that ran, as the engine inspects it. */
export interface ModelFacts {
  label?: string;
  /** bytes of initializers */
  weightsBytes: number;
  numLayers: number;
  kvHeads: number;
  headDim: number;
  kvDtype: 'float32' | 'float16';
  maxContextTokens: number | null;
  parameters?: number;
}

/** MobileLLM-R1 140M at fp32. */
export const R1_140M_FP32: ModelFacts = {
  weightsBytes: 560_994_048,
  numLayers: 15,
  kvHeads: 3,
  headDim: 64,
  kvDtype: 'float32',
  maxContextTokens: 32_768,
};

/** MobileLLM-R1 140M at int4 (int4 MatMul weights, the embedding block-quantized). */
export const R1_140M_INT4: ModelFacts = { ...R1_140M_FP32, weightsBytes: 181_043_200 };

/**
 * The roofline's inputs; the builder divides the bandwidth by the bytes a decode step reads (the
 * weights and `kvTokens` tokens of cache) and the measured median decode rate by that bound.
 */
export interface RooflineInput extends Partial<
  Omit<Roofline, 'bytesPerDecodeToken' | 'boundTokensPerSecond' | 'efficiency'>
> {
  bandwidthBytesPerSecond: number;
  bandwidthMethod: string;
  /** tokens of cache one decode step reads */
  kvTokens: number;
}

export interface MeasuredTrialInput {
  schemaVersion?: 1 | 2;
  spec?: Partial<TrialSpecInput>;
  model?: Partial<ModelFacts>;
  /** each repetition's measurements; by default five quiet ones of R1 140M fp32 on the laptop */
  samples?: Partial<RepetitionSamples>;
  /** bytes; default: weights plus 100 MiB */
  peakRssBytes?: number;
  /** the machine it ran on; default ENVIRONMENT */
  environment?: TrialEnvironment;
  roofline?: RooflineInput;
  /** what else the result records (kvSetup, logits, peakRss, opBreakdown, …), as the engine writes it */
  extra?: Partial<TrialResult>;
}

/**
 * Repetitions of MobileLLM-R1 140M fp32 at depth 0 on the laptop, five of them by default (decode mean
 * 61.8, sd 1.2, median 62.1; TTFT median 152.4 ms; p50 16.1 ms per token).
 */
export function quietSamples(repetitions = 5, generateTokens = 64): RepetitionSamples {
  const take = (values: number[]) => Array.from({ length: repetitions }, (_, rep) => values[rep % 5]!);
  return {
    ttftMs: take([152.4, 150.9, 155.6, 151.7, 153.8]),
    prefillTokensPerSecond: take([845.0, 814.6, 865.9, 829.8, 856.2]),
    decodeTokensPerSecond: take([62.1, 60.14, 62.96, 61.02, 62.78]),
    decodeStepMs: timings(repetitions, generateTokens, { p50: 16.1, p90: 17.0, p99: 19.4 }),
  };
}

/** The model block of a result: what the engine inspected of the variant that ran. */
function modelOf(spec: TrialSpec, facts: ModelFacts): NonNullable<TrialResult['model']> {
  return {
    label: facts.label ?? `${modelName(spec.model)} · ${spec.quant}`,
    modelFile: `/home/ada/.config/Edge LLM Workbench/models/${spec.quant}/model.onnx`,
    layout: 'synthetic-fused',
    variantHash: `sha256:${spec.quant}0c55e1`,
    parameters: facts.parameters ?? 140_248_512,
    weightsBytes: facts.weightsBytes,
    fileBytes: facts.weightsBytes + 412_334,
    numLayers: facts.numLayers,
    kvHeads: facts.kvHeads,
    headDim: facts.headDim,
    kvDtype: facts.kvDtype,
    maxContextTokens: facts.maxContextTokens,
  };
}

const sequenceTokens = (spec: TrialSpec) => spec.depthTokens + spec.promptTokens + spec.generateTokens;

/** A trial that ran: see the file comment. Its repetition count is the samples'. */
export function measuredTrial(input: MeasuredTrialInput = {}): TrialResult {
  const given = Object.values(input.samples ?? {})[0];
  const required = ['ttftMs', 'prefillTokensPerSecond', 'decodeTokensPerSecond', 'decodeStepMs'] as const;
  // the quiet defaults only fill what was not given (a few short repetitions cannot hold their percentiles)
  const complete = required.every((name) => input.samples?.[name] !== undefined);
  const samples: RepetitionSamples = {
    ...(complete ? {} : quietSamples(given?.length, input.spec?.generateTokens)),
    ...input.samples,
  } as RepetitionSamples;
  const repetitions = repetitionsOf(samples);
  // an ok trial ran every repetition its spec asked for
  const spec = trialSpec({ ...input.spec, repetitions: repetitions.length });
  const facts = { ...R1_140M_FP32, ...input.model };
  const summary = summarizeRepetitions(repetitions);
  const bytesPerToken =
    2 * facts.numLayers * facts.kvHeads * facts.headDim * (facts.kvDtype === 'float16' ? 2 : 4);
  const tokens = sequenceTokens(spec);
  const schemaVersion = input.schemaVersion ?? 2;
  return TrialResultSchema.parse({
    schemaVersion,
    status: 'ok',
    spec,
    environment: input.environment ?? ENVIRONMENT,
    startedAt: '2025-06-02T09:14:03.120Z',
    finishedAt: '2025-06-02T09:14:09.870Z',
    model: modelOf(spec, facts),
    loadMs: 300,
    rssBeforeLoadBytes: 58 * MIB,
    rssAfterLoadBytes: 58 * MIB + facts.weightsBytes,
    peakRssBytes: input.peakRssBytes ?? facts.weightsBytes + 100 * MIB,
    memoryTimeline: [],
    warmupRuns: spec.warmupRuns,
    repetitions,
    summary,
    kvCache: {
      tokens,
      exactBytes: bytesPerToken * tokens,
      analyticBytes: bytesPerToken * tokens,
      bytesPerToken,
    },
    ...(input.roofline
      ? { roofline: rooflineOf(input.roofline, facts.weightsBytes, bytesPerToken, summary, schemaVersion) }
      : {}),
    ...input.extra,
  });
}

function rooflineOf(
  input: RooflineInput,
  weightsBytes: number,
  kvBytesPerToken: number,
  summary: TrialSummary,
  schemaVersion: 1 | 2,
): Roofline {
  const { kvTokens, ...recorded } = input;
  const kvBytesPerDecodeToken = kvBytesPerToken * kvTokens;
  const bytesPerDecodeToken = weightsBytes + kvBytesPerDecodeToken;
  const boundTokensPerSecond = input.bandwidthBytesPerSecond / bytesPerDecodeToken;
  return {
    ...recorded,
    // schema 1 recorded the total only
    ...(schemaVersion === 2 ? { weightBytesPerDecodeToken: weightsBytes, kvBytesPerDecodeToken } : {}),
    bytesPerDecodeToken,
    boundTokensPerSecond,
    // as the engine: the median decode rate
    efficiency: summary.decodeTokensPerSecond!.median / boundTokensPerSecond,
  };
}

export interface FailedTrialInput {
  schemaVersion?: 1 | 2;
  spec?: Partial<TrialSpecInput>;
  failure: TrialFailure;
  /** the machine it ran on; default ENVIRONMENT */
  environment?: TrialEnvironment;
  /** the variant, when the trial failed after opening it (over R1_140M_FP32); none by default */
  model?: Partial<ModelFacts>;
  /** the supervisor's samples of the trial's RSS until it ended */
  memoryTimeline?: TrialResult['memoryTimeline'];
  peakRssBytes?: number;
}

/** A trial that failed: no repetitions, no summary, the failure and what memory was seen. */
export function failedTrial(input: FailedTrialInput): TrialResult {
  const spec = trialSpec(input.spec);
  return TrialResultSchema.parse({
    schemaVersion: input.schemaVersion ?? 2,
    status: 'failed',
    failure: input.failure,
    spec,
    ...(input.model ? { model: modelOf(spec, { ...R1_140M_FP32, ...input.model }) } : {}),
    environment: input.environment ?? ENVIRONMENT,
    startedAt: '2025-06-02T09:15:10.002Z',
    finishedAt: '2025-06-02T09:15:31.501Z',
    memoryTimeline: input.memoryTimeline ?? [],
    ...(input.peakRssBytes === undefined ? {} : { peakRssBytes: input.peakRssBytes }),
    warmupRuns: 0,
    repetitions: [],
  });
}
