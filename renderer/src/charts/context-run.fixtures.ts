import type { RunDocument, TrialResult } from '../../../profiler/api';
import { depthRun, KEYS } from './test-fixtures';

/**
 * A context sweep as trial schema 2 records it: MobileLLM-R1 140M int4 at contexts 512, 4K and 32K and
 * fp32 at 512 and 4K, each at the end of its window (depth C − P − G, synthetic fill), int4 in a shared
 * KV buffer and fp32 growing it; fp32 at 512 ran once (n = 1), fp32 at 4K has a timeline above its
 * high-water mark. Beside them a model folder on WebGPU: an all-positions logits export, no roofline.
 */

const MIB = 1024 * 1024; // bytes
const KV_BYTES_PER_TOKEN = 23_040; // 2 · 15 layers · 3 KV heads · 64 · 4 bytes
const PROMPT = 128;
const GENERATE = 64;

export const CONTEXT_KEYS = {
  int4c512: 'r1-140m|int4|ctx512|dend',
  int4c4096: 'r1-140m|int4|ctx4096|dend',
  int4c32768: 'r1-140m|int4|ctx32768|dend',
  fp32c512: 'r1-140m|fp32|ctx512|dend',
  fp32c4096: 'r1-140m|fp32|ctx4096|dend',
  folder: 'qwen3|q4|ctx2048|dend|webgpu',
} as const;

interface Point {
  contextTokens: number;
  buffer: 'grow' | 'shared';
  /** tok/s: mean, sd, median */
  decode: [number, number, number];
  perTokenP50Ms: number;
  ttftMedianMs: number;
  peakRssBytes: number;
  repetitions?: number;
  /** bytes; above the peak: the high-water mark missed memory */
  timelineMaxBytes?: number;
}

function atContext(base: TrialResult, point: Point): TrialResult {
  const result = structuredClone(base);
  const depthTokens = point.contextTokens - PROMPT - GENERATE;
  const n = point.repetitions ?? 5;
  result.schemaVersion = 2;
  result.spec = {
    ...result.spec,
    contextTokens: point.contextTokens,
    depthTokens,
    depthSource: 'context',
    fill: 'synthetic',
    kvBuffer: 'auto',
    repetitions: n,
  };
  result.kvSetup = {
    depthTokens,
    fill: 'synthetic',
    fillSource: 'seeded values',
    buffer: point.buffer,
    ...(point.buffer === 'shared' ? { bufferTokens: point.contextTokens } : {}),
  };
  const [mean, std, median] = point.decode;
  const summary = result.summary!;
  summary.decodeTokensPerSecond = {
    n,
    mean,
    std: n > 1 ? std : 0,
    median,
    min: mean - std,
    max: mean + std,
    cv: n > 1 ? std / mean : 0,
  };
  summary.prefillTokensPerSecond = { ...summary.prefillTokensPerSecond, n };
  summary.ttftMs = { ...summary.ttftMs, n, median: point.ttftMedianMs };
  summary.perTokenMs = { ...summary.perTokenMs, p50: point.perTokenP50Ms };
  summary.samplingMs = { p50: 0.11, mean: 0.12, max: 0.31 };
  summary.noisy = false;
  const timelineMaxBytes = point.timelineMaxBytes ?? point.peakRssBytes - 3 * MIB;
  const consistent = timelineMaxBytes <= point.peakRssBytes;
  // the engine reports the timeline's top when the high-water mark is below it
  result.peakRssBytes = consistent ? point.peakRssBytes : timelineMaxBytes;
  result.peakRss = { source: 'VmHWM', timelineMaxBytes, sampleIntervalMs: 20, consistent };
  const cachedTokens = point.contextTokens;
  result.kvCache = {
    tokens: cachedTokens,
    exactBytes: KV_BYTES_PER_TOKEN * cachedTokens,
    analyticBytes: KV_BYTES_PER_TOKEN * cachedTokens,
    bytesPerToken: KV_BYTES_PER_TOKEN,
  };
  result.logits = { positions: 'last', prefillBytes: 513_024, lastPositionBytes: 513_024 };
  const roofline = result.roofline!;
  const bytesPerDecodeToken = result.model!.weightsBytes + KV_BYTES_PER_TOKEN * (cachedTokens - 32);
  const boundTokensPerSecond = 61.4e9 / bytesPerDecodeToken;
  result.roofline = {
    ...roofline,
    bandwidthMethod: 'streaming read, 16 workers × 256 MiB, best of 5 (spread 2.1%)',
    bandwidthMeasuredAt: '2025-06-02T09:00:00.000Z',
    kernelBandwidthBytesPerSecond: 24.8e9,
    kernelBandwidthMethod: 'onnxruntime fp32 GEMV, 512 MiB matrix, best of 5',
    weightBytesPerDecodeToken: result.model!.weightsBytes,
    kvBytesPerDecodeToken: bytesPerDecodeToken - result.model!.weightsBytes,
    bytesPerDecodeToken,
    boundTokensPerSecond,
    efficiency: median / boundTokensPerSecond,
  };
  return result;
}

/** A folder model on WebGPU: every position's logits, the cache back on the host, no bandwidth for it. */
function folderOnWebGpu(base: TrialResult): TrialResult {
  const result = atContext(base, {
    contextTokens: 2048,
    buffer: 'grow',
    decode: [88.2, 1.5, 88.0],
    perTokenP50Ms: 11.3,
    ttftMedianMs: 95.1,
    peakRssBytes: 1210 * MIB,
  });
  result.spec = {
    ...result.spec,
    model: { kind: 'folder', path: '/models/qwen3-0.6b-onnx', variant: 'q4' },
    quant: 'fp32',
    ep: 'webgpu',
  };
  result.logits = { positions: 'all', prefillBytes: 128 * 151_936 * 4, lastPositionBytes: 151_936 * 4 };
  delete result.roofline;
  result.rooflineUnavailable =
    'not measured for this provider: onnxruntime-node cannot time a GEMV on webgpu here — run `system --measure-bandwidth`';
  result.presentOnHost = true;
  return result;
}

export function contextRun(): RunDocument {
  const depths = depthRun();
  const int4 = depths.trials.find((trial) => trial.key === KEYS.int4d0)!.result;
  const fp32 = depths.trials.find((trial) => trial.key === KEYS.fp32d0)!.result;
  const trials = [
    {
      key: CONTEXT_KEYS.int4c512,
      result: atContext(int4, {
        contextTokens: 512,
        buffer: 'shared',
        decode: [120.1, 1.8, 120.4],
        perTokenP50Ms: 8.3,
        ttftMedianMs: 118.0,
        peakRssBytes: 262 * MIB,
      }),
    },
    {
      key: CONTEXT_KEYS.int4c4096,
      result: atContext(int4, {
        contextTokens: 4096,
        buffer: 'shared',
        decode: [101.5, 2.0, 101.9],
        perTokenP50Ms: 9.8,
        ttftMedianMs: 121.5,
        peakRssBytes: 361 * MIB,
      }),
    },
    {
      key: CONTEXT_KEYS.int4c32768,
      result: atContext(int4, {
        contextTokens: 32_768,
        buffer: 'shared',
        decode: [52.3, 0.9, 52.4],
        perTokenP50Ms: 19.1,
        ttftMedianMs: 140.2,
        peakRssBytes: 1001 * MIB,
      }),
    },
    {
      key: CONTEXT_KEYS.fp32c512,
      result: atContext(fp32, {
        contextTokens: 512,
        buffer: 'grow',
        decode: [63.0, 1.1, 63.2],
        perTokenP50Ms: 15.8,
        ttftMedianMs: 150.3,
        peakRssBytes: 700 * MIB,
        repetitions: 1,
      }),
    },
    {
      key: CONTEXT_KEYS.fp32c4096,
      result: atContext(fp32, {
        contextTokens: 4096,
        buffer: 'grow',
        decode: [55.1, 1.4, 55.3],
        perTokenP50Ms: 18.1,
        ttftMedianMs: 171.9,
        peakRssBytes: 780 * MIB,
        timelineMaxBytes: 812 * MIB,
      }),
    },
    { key: CONTEXT_KEYS.folder, result: folderOnWebGpu(fp32) },
  ];
  return {
    ...depths,
    schemaVersion: 2,
    id: 'r1-140m-contexts',
    name: 'MobileLLM-R1 140M: contexts 512 to 32K',
    sweep: {
      ...depths.sweep,
      contexts: [512, 4096, 32_768],
      depths: ['end'],
      kvBuffers: ['auto'],
      fill: 'synthetic',
    },
    trials,
    quality: [],
  };
}
