import {
  RUN_DOCUMENT_KIND,
  RUN_DOCUMENT_VERSION,
  RunDocumentSchema,
  TRIAL_RESULT_VERSION,
  TrialResultSchema,
  TrialSpecSchema,
  type DeviceTarget,
  type LatencyGoal,
  type RunAnalysis,
  type RunDocument,
  type Stats,
  type TrialEnvironment,
  type TrialResult,
  type TrialSpec,
} from '../api';
import { customTarget, presetTargets, thisMachineTarget } from '../../common/analysis/device-targets';
import { qualityFixture } from '../../common/analysis/analysis-fixtures';
import { analyzeRun } from '../../common/analysis/run-analysis';
import { modelKey } from '../../common/labels';

/**
 * A realistic run document for the exporters' tests and the HTML report's browser story: MobileLLM-R1
 * 140M at fp32 and int4 measured (ok), 950M int4 failed (a crash), 950M fp32 skipped (will not fit).
 * Trial schema 2: each at the end of its 2048-token window (depth 1856, synthetic fill), int4 in a
 * shared KV buffer, fp32 growing it, sampling timed apart, peak RSS read from VmHWM. Numbers are shaped like
 * a laptop CPU's; statistics are computed from the raw samples, so they agree.
 */

const MIB = 1024 * 1024; // bytes

export const FIXTURE_ENVIRONMENT: TrialEnvironment = {
  cpu: 'AMD Ryzen 7 7840U w/ Radeon 780M Graphics',
  physicalCores: 8,
  logicalCores: 16,
  totalMemoryBytes: 32 * 1024 * MIB,
  os: 'Ubuntu 24.04.2 LTS (linux 6.8.0-57-generic, x64)',
  gpus: ['AMD Radeon 780M (512 MiB)'],
  onnxruntimeVersion: '1.30.0',
  nodeVersion: 'v20.19.4',
  appVersion: '0.1.0',
};

function stats(samples: readonly number[]): Stats {
  const n = samples.length;
  const mean = samples.reduce((sum, value) => sum + value, 0) / n;
  const std = n > 1 ? Math.sqrt(samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    n,
    mean,
    std,
    median: percentile(samples, 0.5),
    min: Math.min(...samples),
    max: Math.max(...samples),
    cv: std / mean,
  };
}

/** linear interpolation between the closest ranks */
function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const lowValue = sorted[low] ?? 0;
  return lowValue + ((sorted[Math.ceil(rank)] ?? lowValue) - lowValue) * (rank - low);
}

export function specOf(id: string, quant: string, contextTokens = 2048, repetitions = 5): TrialSpec {
  return TrialSpecSchema.parse({
    model: { kind: 'catalog', id },
    quant,
    contextTokens,
    promptTokens: 128,
    generateTokens: 64,
    repetitions,
    warmupRuns: 1,
    threads: 8,
  });
}

export const keyOf = (spec: TrialSpec): string =>
  `${spec.model.kind === 'catalog' ? spec.model.id : spec.model.path}|${spec.quant}|ctx${spec.contextTokens}` +
  `|d${spec.depthTokens}|pp${spec.promptTokens}|tg${spec.generateTokens}|${spec.ep}|t${spec.threads ?? 'default'}`;

export interface Shape {
  /** ms, prefill of the 128-token prompt */
  prefillMs: number;
  /** ms, first decode step; later steps grow with the KV cache */
  stepMs: number;
  weightsBytes: number;
  peakRssBytes: number;
  rssAfterLoadBytes: number;
  kvBytesPerToken: number;
  /** ms, InferenceSession.create */
  loadMs: number;
  /** how the cache was held (what 'auto' resolved to) */
  buffer: 'grow' | 'shared';
}

export function okResult(spec: TrialSpec, label: string, shape: Shape): TrialResult {
  // deterministic jitter: the same document every time
  const jitter = (seed: number): number => Math.sin(seed * 12.9898) * 0.5;
  const repetitions = Array.from({ length: spec.repetitions }, (_, rep) => {
    const prefillMs = shape.prefillMs * (1 + 0.03 * jitter(rep + 1));
    const ttftMs = prefillMs + 0.35; // the prefill run() + its argmax
    // a repetition-wide drift (clock, cache state) plus per-step noise and a periodic stall
    const repScale = 1 + 0.03 * jitter(rep + 3);
    const decodeStepMs = Array.from(
      { length: spec.generateTokens },
      (_, step) =>
        shape.stepMs * repScale * (1 + step / 900 + 0.04 * jitter(rep * 100 + step + 7)) +
        (step % 16 === 15 ? 1.2 : 0),
    );
    const decodeSeconds = decodeStepMs.reduce((sum, value) => sum + value, 0) / 1000;
    return {
      ttftMs,
      prefillMs,
      prefillTokensPerSecond: spec.promptTokens / (prefillMs / 1000),
      decodeStepMs,
      samplingMs: decodeStepMs.map((_, step) => 0.3 + 0.05 * jitter(rep * 50 + step)),
      decodeTokensPerSecond: spec.generateTokens / decodeSeconds,
      generatedTokenIds: Array.from(
        { length: spec.generateTokens },
        (_, step) => 1000 + ((step * 37) % 5000),
      ),
    };
  });
  const allSteps = repetitions.flatMap((repetition) => repetition.decodeStepMs);
  const allSampling = repetitions.flatMap((repetition) => repetition.samplingMs);
  const prefill = stats(repetitions.map((repetition) => repetition.prefillTokensPerSecond));
  const decode = stats(repetitions.map((repetition) => repetition.decodeTokensPerSecond));
  const rssBeforeLoadBytes = 58 * MIB;
  const kvTokens = spec.depthTokens + spec.promptTokens + spec.generateTokens;
  // bytes one decode step reads: the weights, and the cache at the mean depth of the decode steps
  const kvReadBytes =
    shape.kvBytesPerToken * (spec.depthTokens + spec.promptTokens + (spec.generateTokens - 1) / 2);
  const bytesPerDecodeToken = shape.weightsBytes + kvReadBytes;
  const timeline = Array.from({ length: 160 }, (_, index) => {
    const tMs = index * 20;
    const loaded = Math.min(1, tMs / 600);
    const rssBytes =
      rssBeforeLoadBytes +
      (shape.rssAfterLoadBytes - rssBeforeLoadBytes) * loaded +
      (tMs > 700 ? (shape.peakRssBytes - shape.rssAfterLoadBytes) * Math.min(1, (tMs - 700) / 1500) : 0);
    return { tMs, rssBytes: Math.round(rssBytes) };
  });
  return TrialResultSchema.parse({
    schemaVersion: TRIAL_RESULT_VERSION,
    status: 'ok',
    spec,
    environment: FIXTURE_ENVIRONMENT,
    startedAt: '2025-06-02T09:14:03.120Z',
    finishedAt: '2025-06-02T09:14:09.870Z',
    model: {
      label,
      modelFile: `/home/ada/.config/Edge LLM Workbench/models/${spec.quant}/model.onnx`,
      layout: 'synthetic-fused',
      variantHash: `sha256:${spec.quant === 'fp32' ? '4f1c9a' : '9be27d'}0c55e1`,
      parameters: 140_248_512,
      weightsBytes: shape.weightsBytes,
      fileBytes: shape.weightsBytes + 412_334,
      numLayers: 15,
      kvHeads: 3,
      headDim: 64,
      kvDtype: 'float32',
      maxContextTokens: 32_768,
    },
    session: {
      ep: spec.ep,
      intraOpThreads: spec.threads ?? null,
      graphOptimizationLevel: 'all',
      enableCpuMemArena: true,
      enableMemPattern: true,
      sessionConfig: {},
    },
    loadMs: shape.loadMs,
    rssBeforeLoadBytes,
    rssAfterLoadBytes: shape.rssAfterLoadBytes,
    peakRssBytes: shape.peakRssBytes,
    peakRss: {
      source: 'VmHWM',
      timelineMaxBytes: Math.max(...timeline.map((sample) => sample.rssBytes)),
      sampleIntervalMs: 20,
      consistent: true,
    },
    memoryTimeline: timeline,
    kvSetup: {
      depthTokens: spec.depthTokens,
      fill: 'synthetic',
      fillSource: 'seeded values',
      buffer: shape.buffer,
      ...(shape.buffer === 'shared' ? { bufferTokens: spec.contextTokens } : {}),
    },
    // the synthetic graphs return the last position's logits only: one row of the 128,256-token vocabulary
    logits: { positions: 'last', prefillBytes: 128_256 * 4, lastPositionBytes: 128_256 * 4 },
    warmupRuns: spec.warmupRuns,
    repetitions,
    generatedTokenIds: repetitions[0]?.generatedTokenIds ?? [],
    summary: {
      ttftMs: stats(repetitions.map((repetition) => repetition.ttftMs)),
      prefillTokensPerSecond: prefill,
      decodeTokensPerSecond: decode,
      perTokenMs: {
        p50: percentile(allSteps, 0.5),
        p90: percentile(allSteps, 0.9),
        p99: percentile(allSteps, 0.99),
        mean: allSteps.reduce((sum, value) => sum + value, 0) / allSteps.length,
      },
      samplingMs: {
        p50: percentile(allSampling, 0.5),
        mean: allSampling.reduce((sum, value) => sum + value, 0) / allSampling.length,
        max: Math.max(...allSampling),
      },
      // one repetition has no spread: never noisy
      noisy: decode.n > 1 && (prefill.cv > 0.05 || decode.cv > 0.05),
    },
    kvCache: {
      tokens: kvTokens,
      exactBytes: shape.kvBytesPerToken * kvTokens,
      analyticBytes: shape.kvBytesPerToken * kvTokens,
      bytesPerToken: shape.kvBytesPerToken,
    },
    roofline: {
      bandwidthBytesPerSecond: 61.4e9,
      bandwidthMethod: 'streaming read, 16 workers × 256 MiB, best of 5 (spread 2.1%)',
      bandwidthMeasuredAt: '2025-06-02T09:00:00.000Z',
      kernelBandwidthBytesPerSecond: 24.8e9,
      kernelBandwidthMethod: 'onnxruntime fp32 GEMV, 512 MiB matrix, best of 5 (spread 1.4%)',
      weightBytesPerDecodeToken: shape.weightsBytes,
      kvBytesPerDecodeToken: kvReadBytes,
      bytesPerDecodeToken,
      boundTokensPerSecond: 61.4e9 / bytesPerDecodeToken,
      efficiency: decode.median / (61.4e9 / bytesPerDecodeToken),
    },
  });
}

export interface FixtureOptions {
  name?: string;
  /** the failed trial's message */
  failureMessage?: string;
}

export const FIXTURE_FAILURE_MESSAGE =
  "Non-zero status code returned while running MatMulNBits node. Name:'/model/layers.3/mlp/gate_proj/MatMulNBits' " +
  'Status Message: bad allocation\nThe trial process exited with code 134.';
export const FIXTURE_SKIP_REASON =
  'will not fit: estimated peak 4.3 GiB exceeds the memory budget of 4.0 GiB';

/** The example run: see the file comment. Parsed by the schema, so it is a valid document. */
export function exampleRunDocument(options: FixtureOptions = {}): RunDocument {
  const fp32 = specOf('mobilellm-r1-140m', 'fp32');
  const int4 = specOf('mobilellm-r1-140m', 'int4');
  const bigInt4 = specOf('mobilellm-r1-950m', 'int4');
  const bigFp32 = specOf('mobilellm-r1-950m', 'fp32');
  const kvBytesPerToken = 2 * 15 * 3 * 64 * 4; // 2 · layers · kv heads · head dim · fp32 bytes
  const estimate = (peakBytes: number, fit: 'fits' | 'will-not-fit') => ({
    weightsBytes: peakBytes * 0.7,
    kvBytes: kvBytesPerToken * 192,
    overheadBytes: peakBytes * 0.3,
    peakBytes,
    seconds: 9,
    fit,
    basis: 'catalog shapes × preset bytes per weight; overhead 25% + 64 MiB',
  });
  return RunDocumentSchema.parse({
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: RUN_DOCUMENT_VERSION,
    id: 'r1-140m-fp32-vs-int4',
    name: options.name ?? 'MobileLLM-R1: fp32 vs int4 on the laptop CPU',
    tags: ['laptop', 'cpu'],
    createdAt: '2025-06-02T09:13:58.004Z',
    updatedAt: '2025-06-02T09:14:31.552Z',
    status: 'completed',
    sweep: {
      models: [
        { kind: 'catalog', id: 'mobilellm-r1-140m' },
        { kind: 'catalog', id: 'mobilellm-r1-950m' },
      ],
      quants: ['fp32', 'int4'],
      contexts: [2048],
      depths: ['end'],
      prompts: [128],
      gens: [64],
      eps: ['cpu'],
      threads: [8],
      warmupRuns: 1,
      repetitions: 5,
      memoryBudgetBytes: 4 * 1024 * MIB,
      measureQuality: false,
    },
    environment: FIXTURE_ENVIRONMENT,
    plan: [
      { key: keyOf(fp32), spec: fp32, estimate: estimate(720 * MIB, 'fits') },
      { key: keyOf(int4), spec: int4, estimate: estimate(260 * MIB, 'fits') },
      { key: keyOf(bigFp32), spec: bigFp32, estimate: estimate(4.3 * 1024 * MIB, 'will-not-fit') },
      { key: keyOf(bigInt4), spec: bigInt4, estimate: estimate(980 * MIB, 'fits') },
    ],
    trials: [
      {
        key: keyOf(fp32),
        result: okResult(fp32, 'mobilellm-r1-140m · fp32', {
          prefillMs: 84.6,
          stepMs: 10.4,
          weightsBytes: 561_000_000,
          peakRssBytes: 706 * MIB,
          rssAfterLoadBytes: 612 * MIB,
          kvBytesPerToken,
          loadMs: 412.7,
          buffer: 'grow',
        }),
      },
      {
        key: keyOf(int4),
        result: okResult(int4, 'mobilellm-r1-140m · int4', {
          prefillMs: 117.3,
          stepMs: 6.1,
          weightsBytes: 181_000_000,
          peakRssBytes: 268 * MIB,
          rssAfterLoadBytes: 214 * MIB,
          kvBytesPerToken,
          loadMs: 188.2,
          buffer: 'shared',
        }),
      },
      {
        key: keyOf(bigInt4),
        result: TrialResultSchema.parse({
          schemaVersion: TRIAL_RESULT_VERSION,
          status: 'failed',
          failure: { kind: 'crash', message: options.failureMessage ?? FIXTURE_FAILURE_MESSAGE },
          spec: bigInt4,
          environment: FIXTURE_ENVIRONMENT,
          startedAt: '2025-06-02T09:14:10.002Z',
          finishedAt: '2025-06-02T09:14:31.501Z',
        }),
      },
    ],
    skipped: [{ key: keyOf(bigFp32), reason: FIXTURE_SKIP_REASON }],
  });
}

/**
 * exampleRunDocument() with a quality entry for int4 (KL 0.0213 nats, top-1 agreement 94.1%), so its
 * analysis has a measured KL to weigh against fp32.
 */
export function exampleRunWithQuality(options: FixtureOptions = {}): RunDocument {
  const doc = exampleRunDocument(options);
  const model = doc.sweep.models[0]!;
  return {
    ...doc,
    quality: [{ modelKey: modelKey(model), quant: 'int4', report: qualityFixture(0.0213, 0.941) }],
  };
}

/** Two presets, a custom board (its name is the caller's: escaping tests make it hostile) and this machine. */
export function fixtureTargets(customName = 'Test board'): DeviceTarget[] {
  const preset = (id: string): DeviceTarget => presetTargets.find((target) => target.id === id)!;
  return [
    preset('phone-4gb'),
    preset('raspberry-pi-5-8gb'),
    customTarget(`name=${customName},id=board,ram=1GB,bandwidth=100GB/s,budget=600MB`),
    // the bandwidth the example trials' roofline measured, and their machine's RAM: nothing projected
    thisMachineTarget(61.4e9, FIXTURE_ENVIRONMENT.totalMemoryBytes!),
  ];
}

/**
 * decode ≥ 100 tok/s and TTFT ≤ 1000 ms at a 1024-token prompt: here int4 meets both and fp32 misses
 * the decode part; on the phone both miss; on the fast custom board int4's projected decode meets it,
 * but TTFT cannot be judged there, so its goal is unknown.
 */
export const FIXTURE_GOAL: LatencyGoal = {
  minDecodeTokensPerSecond: 100,
  maxTtftMs: 1000,
  ttftPromptTokens: 1024,
};

export interface AnalysisFixtureOptions {
  /** the custom target's name */
  customTargetName?: string;
  /** every published score's source, e.g. hostile text */
  scoreSource?: string;
}

/** The real analysis (analyzeRun) of `doc` against fixtureTargets() and FIXTURE_GOAL. */
export function exampleRunAnalysis(
  options: AnalysisFixtureOptions = {},
  doc: RunDocument = exampleRunWithQuality(),
): RunAnalysis {
  const analysis = analyzeRun(doc, { targets: fixtureTargets(options.customTargetName), goal: FIXTURE_GOAL });
  const source = options.scoreSource;
  if (source === undefined) return analysis;
  // as if the catalog's score source said so
  const accuracy = analysis.tradeoff.accuracy.map((model) => ({
    ...model,
    scores: model.scores.map((score) => ({ ...score, source })),
  }));
  return { ...analysis, tradeoff: { ...analysis.tradeoff, accuracy } };
}
