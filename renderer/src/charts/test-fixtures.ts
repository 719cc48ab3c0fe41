import type { QuantPresetName } from '../../../common/quant-presets';
import type {
  OpBreakdown,
  RunDocument,
  Stats,
  TrialEnvironment,
  TrialResult,
  TrialSpec,
} from '../../../profiler/api';
import { comparedTrials, isMeasured, type MeasuredTrial } from './compared-trial';

/**
 * Run documents for the Compare tests, shaped like a laptop CPU's measurements: MobileLLM-R1 140M at fp32
 * and int4, each at depth 0 and 2048 (int4 with an op profile and a quality report), 950M int4 that ran
 * out of memory; and a second run with SmolLM2-135M q4f16 and an fp16 KV cache. Derived numbers (KV bytes,
 * roofline) are computed from the inputs the way the engine computes them, so the documents agree.
 */

const MIB = 1024 * 1024; // bytes
const BANDWIDTH_BYTES_PER_SECOND = 61.4e9;

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

function spec(
  id: string,
  quant: QuantPresetName,
  depthTokens: number,
  kvDtype?: 'float16' | 'float32',
): TrialSpec {
  return {
    model: { kind: 'catalog', id, overrides: {}, style: 'fused', seed: 0 },
    quant,
    ...(kvDtype ? { kvDtype } : {}),
    contextTokens: 4096,
    promptTokens: 128,
    generateTokens: 64,
    depthTokens,
    // schema 1 runs: the depth was given, and filled by running the model
    depthSource: 'given',
    fill: 'model',
    kvBuffer: 'auto',
    promptSeed: 0,
    ep: 'cpu',
    threads: 8,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    sessionConfig: {},
    warmupRuns: 1,
    repetitions: 5,
    profileOps: false,
    timeLimitSeconds: 900,
  };
}

function stats(mean: number, std: number, median: number): Stats {
  return { n: 5, mean, std, median, min: mean - 2 * std, max: mean + 2 * std, cv: std / mean };
}

interface Measured {
  decode: [mean: number, std: number, median: number];
  prefill: [mean: number, std: number, median: number];
  ttftMedianMs: number;
  perTokenMs: { p50: number; p90: number; p99: number; mean: number };
  weightsBytes: number;
  peakRssBytes: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  kvDtype: 'float32' | 'float16';
  maxContextTokens: number;
  noisy?: boolean;
  opBreakdown?: OpBreakdown;
}

/** `schema2`: the fields trial schema 2 adds (kvSetup, peakRss, logits, sampling, the bandwidth pair). */
function ok(
  trialSpec: TrialSpec,
  label: string,
  measured: Measured,
  schema2?: Partial<TrialResult>,
): TrialResult {
  const bytesPerToken =
    2 * measured.layers * measured.kvHeads * measured.headDim * (measured.kvDtype === 'float16' ? 2 : 4);
  const tokens = trialSpec.depthTokens + trialSpec.promptTokens + trialSpec.generateTokens;
  const kvBytes = bytesPerToken * tokens;
  const bytesPerDecodeToken = measured.weightsBytes + kvBytes;
  const boundTokensPerSecond = BANDWIDTH_BYTES_PER_SECOND / bytesPerDecodeToken;
  const decode = stats(...measured.decode);
  return {
    schemaVersion: 1,
    status: 'ok',
    spec: trialSpec,
    environment: ENVIRONMENT,
    startedAt: '2025-06-02T09:14:03.120Z',
    finishedAt: '2025-06-02T09:14:09.870Z',
    model: {
      label,
      modelFile: `/home/ada/.config/Edge LLM Workbench/models/${trialSpec.quant}/model.onnx`,
      layout: 'synthetic-fused',
      variantHash: `sha256:${trialSpec.quant}0c55e1`,
      parameters: 140_248_512,
      weightsBytes: measured.weightsBytes,
      fileBytes: measured.weightsBytes + 412_334,
      numLayers: measured.layers,
      kvHeads: measured.kvHeads,
      headDim: measured.headDim,
      kvDtype: measured.kvDtype,
      maxContextTokens: measured.maxContextTokens,
    },
    loadMs: 300,
    rssBeforeLoadBytes: 58 * MIB,
    rssAfterLoadBytes: 58 * MIB + measured.weightsBytes,
    peakRssBytes: measured.peakRssBytes,
    memoryTimeline: [],
    promptTokenIds: [],
    generatedTokenIds: [],
    warmupRuns: 1,
    repetitions: [],
    summary: {
      ttftMs: stats(measured.ttftMedianMs + 0.4, 2.1, measured.ttftMedianMs),
      prefillTokensPerSecond: stats(...measured.prefill),
      decodeTokensPerSecond: decode,
      perTokenMs: measured.perTokenMs,
      noisy: measured.noisy ?? false,
    },
    kvCache: { tokens, exactBytes: kvBytes, analyticBytes: kvBytes, bytesPerToken },
    ...(measured.opBreakdown ? { opBreakdown: measured.opBreakdown } : {}),
    roofline: {
      bandwidthBytesPerSecond: BANDWIDTH_BYTES_PER_SECOND,
      bandwidthMethod: 'Float64Array copy, 256 MiB, best of 5',
      bytesPerDecodeToken,
      boundTokensPerSecond,
      efficiency: decode.median / boundTokensPerSecond, // as the engine: the median
    },
    ...(schema2 ? { schemaVersion: 2, ...schema2 } : {}),
  };
}

const R1_140M = { layers: 15, kvHeads: 3, headDim: 64, maxContextTokens: 32_768 } as const;

export const INT4_OPS: OpBreakdown = {
  prefill: [
    { opType: 'com.microsoft.MatMulNBits', totalMs: 61.2, share: 0.58, count: 106 },
    { opType: 'com.microsoft.GroupQueryAttention', totalMs: 21.1, share: 0.2, count: 15 },
    { opType: 'com.microsoft.SimplifiedLayerNormalization', totalMs: 8.4, share: 0.08, count: 31 },
    { opType: 'Mul', totalMs: 6.3, share: 0.06, count: 45 },
    { opType: 'com.microsoft.GatherBlockQuantized', totalMs: 4.2, share: 0.04, count: 1 },
    { opType: 'Sigmoid', totalMs: 4.2, share: 0.04, count: 15 },
  ],
  decode: [
    { opType: 'com.microsoft.MatMulNBits', totalMs: 248.0, share: 0.62, count: 6784 },
    { opType: 'com.microsoft.GroupQueryAttention', totalMs: 92.0, share: 0.23, count: 960 },
    { opType: 'com.microsoft.SimplifiedLayerNormalization', totalMs: 24.0, share: 0.06, count: 1984 },
    { opType: 'Mul', totalMs: 20.0, share: 0.05, count: 2880 },
    { opType: 'Sigmoid', totalMs: 16.0, share: 0.04, count: 960 },
  ],
  prefillNodes: [],
  decodeNodes: [],
  profileFile: '/home/ada/.config/Edge LLM Workbench/profiles/int4.json',
};

export const KEYS = {
  fp32d0: 'mobilellm-r1-140m|fp32|ctx4096|d0|pp128|tg64|cpu|t8',
  fp32d2048: 'mobilellm-r1-140m|fp32|ctx4096|d2048|pp128|tg64|cpu|t8',
  int4d0: 'mobilellm-r1-140m|int4|ctx4096|d0|pp128|tg64|cpu|t8',
  int4d2048: 'mobilellm-r1-140m|int4|ctx4096|d2048|pp128|tg64|cpu|t8',
  big: 'mobilellm-r1-950m|int4|ctx4096|d0|pp128|tg64|cpu|t8',
  smol: 'smollm2-135m|q4f16|ctx4096|d0|pp128|tg64|cpu|t8',
} as const;

export const OOM_MESSAGE =
  'The trial process ran out of memory (peak 3.9 GiB) while creating the session; try int4 or a smaller context.';

/** Run 1: see the file comment. */
export function depthRun(): RunDocument {
  const trials: RunDocument['trials'] = [
    {
      key: KEYS.fp32d0,
      result: ok(spec('mobilellm-r1-140m', 'fp32', 0), 'mobilellm-r1-140m · fp32', {
        ...R1_140M,
        decode: [61.8, 1.2, 62.1],
        prefill: [842.3, 20.5, 845.0],
        ttftMedianMs: 152.4,
        perTokenMs: { p50: 16.1, p90: 17.0, p99: 19.4, mean: 16.2 },
        weightsBytes: 560_994_048,
        peakRssBytes: 706 * MIB,
        kvDtype: 'float32',
      }),
    },
    {
      key: KEYS.fp32d2048,
      result: ok(spec('mobilellm-r1-140m', 'fp32', 2048), 'mobilellm-r1-140m · fp32', {
        ...R1_140M,
        decode: [48.3, 2.9, 47.9],
        prefill: [611.7, 31.2, 604.2],
        ttftMedianMs: 212.9,
        perTokenMs: { p50: 20.8, p90: 22.3, p99: 27.5, mean: 20.9 },
        weightsBytes: 560_994_048,
        peakRssBytes: 771 * MIB,
        kvDtype: 'float32',
        noisy: true,
      }),
    },
    {
      key: KEYS.int4d0,
      result: ok(spec('mobilellm-r1-140m', 'int4', 0), 'mobilellm-r1-140m · int4', {
        ...R1_140M,
        decode: [118.4, 2.3, 119.0],
        prefill: [1093.5, 18.4, 1101.2],
        ttftMedianMs: 117.8,
        perTokenMs: { p50: 8.4, p90: 8.9, p99: 10.7, mean: 8.5 },
        weightsBytes: 181_043_200,
        peakRssBytes: 268 * MIB,
        kvDtype: 'float32',
        opBreakdown: INT4_OPS,
      }),
    },
    {
      key: KEYS.int4d2048,
      result: ok(spec('mobilellm-r1-140m', 'int4', 2048), 'mobilellm-r1-140m · int4', {
        ...R1_140M,
        decode: [84.0, 1.9, 84.6],
        prefill: [802.2, 12.0, 805.5],
        ttftMedianMs: 160.1,
        perTokenMs: { p50: 11.8, p90: 12.6, p99: 15.2, mean: 11.9 },
        weightsBytes: 181_043_200,
        peakRssBytes: 333 * MIB,
        kvDtype: 'float32',
      }),
    },
    {
      key: KEYS.big,
      result: {
        schemaVersion: 1,
        status: 'failed',
        failure: { kind: 'out-of-memory', message: OOM_MESSAGE },
        spec: spec('mobilellm-r1-950m', 'int4', 0),
        environment: ENVIRONMENT,
        startedAt: '2025-06-02T09:15:10.002Z',
        finishedAt: '2025-06-02T09:15:31.501Z',
        memoryTimeline: [],
        promptTokenIds: [],
        generatedTokenIds: [],
        warmupRuns: 0,
        repetitions: [],
      },
    },
  ];
  return document('r1-140m-depths', 'MobileLLM-R1 140M: fp32 vs int4 by depth', trials, [
    {
      modelKey: 'mobilellm-r1-140m fused',
      quant: 'int4',
      report: qualityReport(0.0213, 0.912),
    },
  ]);
}

/** Run 2: one SmolLM2 trial with an fp16 cache, no quality. */
export function smolRun(): RunDocument {
  return document('smol-q4f16', 'SmolLM2 135M q4f16', [
    {
      key: KEYS.smol,
      result: ok(spec('smollm2-135m', 'q4f16', 0, 'float16'), 'smollm2-135m · q4f16 · KV float16', {
        layers: 30,
        kvHeads: 3,
        headDim: 64,
        maxContextTokens: 8192,
        decode: [101.7, 4.4, 102.3],
        prefill: [955.0, 25.1, 960.4],
        ttftMedianMs: 134.6,
        perTokenMs: { p50: 9.8, p90: 10.4, p99: 12.9, mean: 9.9 },
        weightsBytes: 118_500_352,
        peakRssBytes: 241 * MIB,
        kvDtype: 'float16',
      }),
    },
  ]);
}

function document(
  id: string,
  name: string,
  trials: RunDocument['trials'],
  quality: RunDocument['quality'] = [],
): RunDocument {
  return {
    kind: 'edge-llm-workbench-run',
    schemaVersion: 1,
    id,
    name,
    tags: [],
    createdAt: '2025-06-02T09:13:58.004Z',
    updatedAt: '2025-06-02T09:16:31.552Z',
    status: 'completed',
    sweep: {
      models: trials.map(({ result }) => result.spec.model),
      quants: [...new Set(trials.map(({ result }) => result.spec.quant))],
      kvDtypes: ['preset'],
      contexts: [4096],
      depths: [...new Set(trials.map(({ result }) => result.spec.depthTokens))],
      kvBuffers: ['auto'],
      prompts: [128],
      gens: [64],
      eps: ['cpu'],
      threads: [8],
      warmupRuns: 1,
      repetitions: 5,
      profileOps: false,
      timeLimitSeconds: 900,
      promptSeed: 0,
      measureQuality: quality.length > 0,
    },
    environment: ENVIRONMENT,
    plan: [],
    trials,
    skipped: [],
    quality,
  };
}

function qualityReport(klMean: number, top1Agreement: number): RunDocument['quality'][number]['report'] {
  const model = (path: string, weightsBytes: number) => ({
    path,
    modelFile: `${path}/model.onnx`,
    weightsBytes,
    diskBytes: weightsBytes + 412_334,
    parameters: 140_248_512,
  });
  return {
    reference: model('/models/fp32', 560_994_048),
    variant: model('/models/int4', 181_043_200),
    sequences: 4,
    positionsPerSequence: 128,
    continuationTokens: 32,
    overall: {
      klMean,
      klP99: klMean * 6,
      klMax: klMean * 11,
      top1Agreement,
      maxAbsLogitError: 2.41,
      meanAbsLogitError: 0.183,
      identicalContinuations: 0.5,
      meanIdenticalPrefix: 19.5,
    },
    perPosition: [],
    bytes: {
      variantOnDisk: 181_455_534,
      referenceOnDisk: 561_406_382,
      variantWeights: 181_043_200,
      referenceWeights: 560_994_048,
      variantBytesPerParameter: 1.29,
      referenceBytesPerParameter: 4,
      compression: 3.1,
    },
    tokenSource: 'seeded',
    seed: 0,
  };
}

/** The measured trials of the given runs, as the store hands them to the charts. */
export function measuredOf(...docs: RunDocument[]): MeasuredTrial[] {
  return comparedTrials(docs).filter(isMeasured);
}

/** The trial with this key in the given run's measured trials. */
export function trialByKey(trials: readonly MeasuredTrial[], key: string): MeasuredTrial {
  const found = trials.find((trial) => trial.key === key);
  if (!found) throw new Error(`fixture has no trial ${key}`);
  return found;
}
