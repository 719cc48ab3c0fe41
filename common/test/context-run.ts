import type { RunDocument } from '../schemas/run-document';
import type { TrialResult } from '../schemas/trial';
import { qualityReport, runDocument } from './run-document';
import {
  measuredTrial,
  quietSamples,
  R1_140M_FP32,
  R1_140M_INT4,
  timings,
  trialSpec,
  type MeasuredTrialInput,
} from './trial-result';

/**
 * The one context run of the repository's tests (the renderer's Compare view and charts, the
 * reports' exporters). A context sweep as trial schema 2 records it: MobileLLM-R1 140M int4 at contexts 512, 4K and 32K and
 * fp32 at 512 and 4K, each at the end of its window (depth C − P − G, synthetic fill), int4 in a shared
 * KV buffer and fp32 growing it; fp32 at 512 ran once (n = 1), fp32 at 4K has a timeline above its
 * high-water mark. Beside them a model folder on WebGPU: an all-positions logits export, no roofline.
 * Its int4 quality was measured on the catalog's synthetic weights.
 */

const MIB = 1024 * 1024; // bytes
const PROMPT = 128;
const GENERATE = 64;

/** The model folder measured on WebGPU. */
export const FOLDER_PATH = '/models/qwen3-0.6b-onnx';
/** why the WebGPU trial has no roofline, as the engine words it */
export const NO_BANDWIDTH_REASON =
  'not measured for this provider: onnxruntime-node cannot time a GEMV on webgpu here — run `system --measure-bandwidth`';

/** The laptop's 8-thread trials of MobileLLM-R1 140M the sweep starts from (as the Compare runs' depth 0). */
const baseTrial = (
  quant: 'fp32' | 'int4',
  model: MeasuredTrialInput['model'],
  prefillTokensPerSecond: number[],
): MeasuredTrialInput => ({
  spec: trialSpec({
    model: { kind: 'catalog', id: 'mobilellm-r1-140m' },
    quant,
    contextTokens: 4096,
    depthTokens: 0,
    fill: 'model',
    threads: 8,
  }),
  model: { ...model, label: `mobilellm-r1-140m · ${quant}` },
  samples: { prefillTokensPerSecond },
});

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
  /** tok/s of each repetition (their count is the trial's) */
  decode: number[];
  /** ms, TTFT of each repetition */
  ttftMs: number[];
  perTokenP50Ms: number;
  peakRssBytes: number;
  /** bytes; above the peak: the high-water mark missed memory */
  timelineMaxBytes?: number;
}

/** `base`'s model at the end of `point`'s window, measured as schema 2 records it. */
function atContext(base: MeasuredTrialInput, point: Point): MeasuredTrialInput {
  const depthTokens = point.contextTokens - PROMPT - GENERATE;
  const n = point.decode.length;
  const prefill = { ...quietSamples(), ...base.samples }.prefillTokensPerSecond.slice(0, n);
  const timelineMaxBytes = point.timelineMaxBytes ?? point.peakRssBytes - 3 * MIB;
  const consistent = timelineMaxBytes <= point.peakRssBytes;
  return {
    ...base,
    schemaVersion: 2,
    spec: {
      ...base.spec,
      contextTokens: point.contextTokens,
      depthTokens,
      depthSource: 'context',
      fill: 'synthetic',
      kvBuffer: 'auto',
    },
    samples: {
      ttftMs: point.ttftMs,
      prefillTokensPerSecond: prefill,
      decodeTokensPerSecond: point.decode,
      decodeStepMs: timings(n, GENERATE, {
        p50: point.perTokenP50Ms,
        p90: point.perTokenP50Ms * 1.06,
        p99: point.perTokenP50Ms * 1.25,
      }),
      samplingMs: timings(n, GENERATE, { p50: 0.11, p90: 0.14, p99: 0.28 }),
    },
    // the engine reports the timeline's top when the high-water mark is below it
    peakRssBytes: consistent ? point.peakRssBytes : timelineMaxBytes,
    roofline: {
      bandwidthBytesPerSecond: 61.4e9,
      bandwidthMethod: 'streaming read, 16 workers × 256 MiB, best of 5 (spread 2.1%)',
      bandwidthMeasuredAt: '2025-06-02T09:00:00.000Z',
      kernelBandwidthBytesPerSecond: 24.8e9,
      kernelBandwidthMethod: 'onnxruntime fp32 GEMV, 512 MiB matrix, best of 5',
      // the mean over the decode steps: step i attends over depth + P + i cached tokens
      kvTokens: depthTokens + PROMPT + (GENERATE - 1) / 2,
    },
    extra: {
      kvSetup: {
        depthTokens,
        fill: 'synthetic',
        fillSource: 'seeded values',
        buffer: point.buffer,
        ...(point.buffer === 'shared' ? { bufferTokens: point.contextTokens } : {}),
      },
      peakRss: { source: 'VmHWM', timelineMaxBytes, sampleIntervalMs: 20, consistent },
      logits: { positions: 'last', prefillBytes: 513_024, lastPositionBytes: 513_024 },
    },
  };
}

/** A folder model on WebGPU: every position's logits, the cache back on the host, no bandwidth for it. */
function folderOnWebGpu(base: MeasuredTrialInput): TrialResult {
  const atEnd = atContext(base, {
    contextTokens: 2048,
    buffer: 'grow',
    decode: [88.0, 86.4, 90.1, 87.2, 89.3],
    ttftMs: [95.1, 93.6, 97.9, 94.2, 96.4],
    perTokenP50Ms: 11.3,
    peakRssBytes: 1210 * MIB,
  });
  return measuredTrial({
    ...atEnd,
    roofline: undefined,
    model: { ...base.model, label: undefined },
    spec: {
      ...atEnd.spec,
      model: { kind: 'folder', path: FOLDER_PATH, variant: 'q4' },
      quant: 'fp32',
      ep: 'webgpu',
    },
    extra: {
      ...atEnd.extra,
      logits: { positions: 'all', prefillBytes: 128 * 151_936 * 4, lastPositionBytes: 151_936 * 4 },
      rooflineUnavailable: NO_BANDWIDTH_REASON,
      presentOnHost: true,
    },
  });
}

export function contextRun(): RunDocument {
  const int4 = baseTrial('int4', R1_140M_INT4, [1101.2, 1061.8, 1108.6, 1094.6, 1101.3]);
  const fp32 = baseTrial('fp32', R1_140M_FP32, quietSamples().prefillTokensPerSecond.slice());
  const at = (base: MeasuredTrialInput, point: Point) => measuredTrial(atContext(base, point));
  return runDocument({
    id: 'r1-140m-contexts',
    name: 'MobileLLM-R1 140M: contexts 512 to 32K',
    trials: [
      {
        key: CONTEXT_KEYS.int4c512,
        result: at(int4, {
          contextTokens: 512,
          buffer: 'shared',
          decode: [120.4, 117.93, 122.37, 118.69, 121.11],
          ttftMs: [118.0, 116.2, 120.9, 117.1, 119.4],
          perTokenP50Ms: 8.3,
          peakRssBytes: 262 * MIB,
        }),
      },
      {
        key: CONTEXT_KEYS.int4c4096,
        result: at(int4, {
          contextTokens: 4096,
          buffer: 'shared',
          decode: [101.9, 98.6, 103.8, 100.6, 102.6],
          ttftMs: [121.5, 119.8, 124.3, 120.6, 122.8],
          perTokenP50Ms: 9.8,
          peakRssBytes: 361 * MIB,
        }),
      },
      {
        key: CONTEXT_KEYS.int4c32768,
        result: at(int4, {
          contextTokens: 32_768,
          buffer: 'shared',
          decode: [52.4, 51.0, 53.3, 52.0, 52.8],
          ttftMs: [140.2, 138.1, 143.6, 139.4, 141.9],
          perTokenP50Ms: 19.1,
          peakRssBytes: 1001 * MIB,
        }),
      },
      {
        key: CONTEXT_KEYS.fp32c512,
        result: at(fp32, {
          contextTokens: 512,
          buffer: 'grow',
          decode: [63.0],
          ttftMs: [150.3],
          perTokenP50Ms: 15.8,
          peakRssBytes: 700 * MIB,
        }),
      },
      {
        key: CONTEXT_KEYS.fp32c4096,
        result: at(fp32, {
          contextTokens: 4096,
          buffer: 'grow',
          decode: [55.3, 53.46, 57.14, 54.18, 55.42],
          ttftMs: [171.9, 169.8, 175.2, 170.7, 173.1],
          perTokenP50Ms: 18.1,
          peakRssBytes: 780 * MIB,
          timelineMaxBytes: 812 * MIB,
        }),
      },
      { key: CONTEXT_KEYS.folder, result: folderOnWebGpu(fp32) },
    ],
    quality: [{ modelKey: 'mobilellm-r1-140m fused', quant: 'int4', report: qualityReport(0.0213, 0.912) }],
    sweep: { depths: ['end'], fill: 'synthetic' },
  });
}
