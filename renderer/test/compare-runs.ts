import type { ExecutionProvider, OpBreakdown, RunDocument } from '../../profiler/api';
import type { QuantPresetName } from '../../common/preset-names';
import { comparedTrials, isMeasured, type MeasuredTrial } from '../src/charts/compared-trial';
import { threadsLabel } from '../src/charts/scaling-data';
import { qualityReport, runDocument } from '../../common/test/run-document';
import {
  failedTrial,
  measuredTrial,
  quietSamples,
  R1_140M_FP32,
  R1_140M_INT4,
  timings,
  trialSpec,
  withMedian,
  type MeasuredTrialInput,
} from '../../common/test/trial-result';

/**
 * Run documents for the Compare tests, shaped like a laptop CPU's measurements (trial schema 1, the
 * depth given and filled by running the model): MobileLLM-R1 140M at fp32 and int4, each at depth 0
 * and 2048 (int4 with an op profile and a quality report), 950M int4 that ran out of memory; a second
 * run with SmolLM2-135M q4f16 and an fp16 KV cache; and a thread sweep. Each trial is given by what its
 * five repetitions measured; the decode rates are chosen so that their mean ± sd and median read as the
 * tests name them (61.8 ± 1.2 tok/s, median 62.1, …).
 */

const MIB = 1024 * 1024; // bytes
const GENERATE = 64;

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

/** A schema 1 trial at context 4096 on 8 threads, the roofline over the laptop's 61.4 GB/s. */
function laptopTrial(
  model: string,
  quant: QuantPresetName,
  depthTokens: number,
  input: MeasuredTrialInput = {},
): MeasuredTrialInput {
  const spec = trialSpec({
    model: { kind: 'catalog', id: model },
    quant,
    contextTokens: 4096,
    depthTokens,
    fill: 'model',
    threads: 8,
    ...input.spec,
  });
  return {
    ...input,
    schemaVersion: 1,
    spec,
    // schema 1's roofline read the whole cache of the trial's last step
    roofline: {
      bandwidthBytesPerSecond: 61.4e9,
      bandwidthMethod: 'Float64Array copy, 256 MiB, best of 5',
      kvTokens: spec.depthTokens + spec.promptTokens + spec.generateTokens,
    },
  };
}

/**
 * The depth run's measured trials, as inputs: the thread sweep starts from them (and the context run,
 * common/test/context-run.ts, from the same two at depth 0).
 */
const DEPTH_TRIALS = {
  fp32d0: laptopTrial('mobilellm-r1-140m', 'fp32', 0, {
    model: { ...R1_140M_FP32, label: 'mobilellm-r1-140m · fp32' },
    samples: quietSamples(),
    peakRssBytes: 706 * MIB,
  }),
  fp32d2048: laptopTrial('mobilellm-r1-140m', 'fp32', 2048, {
    model: { ...R1_140M_FP32, label: 'mobilellm-r1-140m · fp32' },
    samples: {
      ttftMs: [212.9, 211.2, 216.0, 212.1, 214.3],
      // sd 31.2 (5.1%) with decode's 2.9 (6.0%): noisy
      prefillTokensPerSecond: [604.2, 578.2, 651.1, 588.4, 636.6],
      decodeTokensPerSecond: [47.9, 45, 52.6, 46.6, 49.4],
      decodeStepMs: timings(5, GENERATE, { p50: 20.8, p90: 22.3, p99: 27.5 }),
    },
    peakRssBytes: 771 * MIB,
  }),
  int4d0: laptopTrial('mobilellm-r1-140m', 'int4', 0, {
    model: { ...R1_140M_INT4, label: 'mobilellm-r1-140m · int4' },
    samples: {
      ttftMs: [117.8, 115.9, 121.0, 116.7, 119.6],
      prefillTokensPerSecond: [1101.2, 1061.8, 1108.6, 1094.6, 1101.3],
      // mean 118.4, sd 2.3, median 119.0 exactly: no five one- or two-decimal rates have all three
      decodeTokensPerSecond: [119, 115.2, 121.14529868602932, 117.1, 119.55470131397071],
      decodeStepMs: timings(5, GENERATE, { p50: 8.4, p90: 8.9, p99: 10.7 }),
    },
    peakRssBytes: 268 * MIB,
    extra: { opBreakdown: INT4_OPS },
  }),
  int4d2048: laptopTrial('mobilellm-r1-140m', 'int4', 2048, {
    model: { ...R1_140M_INT4, label: 'mobilellm-r1-140m · int4' },
    samples: {
      ttftMs: [160.1, 157.6, 162.7, 159.6, 162.4],
      prefillTokensPerSecond: [805.5, 787.1, 815.3, 792.4, 810.7],
      // mean 84.0, sd 1.9, median 84.6 exactly (as above)
      decodeTokensPerSecond: [84.6, 81.1, 85.88541019662499, 83.2, 85.21458980337499],
      decodeStepMs: timings(5, GENERATE, { p50: 11.8, p90: 12.6, p99: 15.2 }),
    },
    peakRssBytes: 333 * MIB,
  }),
} satisfies Record<string, MeasuredTrialInput>;

/** Run 1: see the file comment. */
export function depthRun(): RunDocument {
  return runDocument({
    id: 'r1-140m-depths',
    name: 'MobileLLM-R1 140M: fp32 vs int4 by depth',
    schemaVersion: 1,
    trials: [
      ...(['fp32d0', 'fp32d2048', 'int4d0', 'int4d2048'] as const).map((key) => ({
        key: KEYS[key],
        result: measuredTrial(DEPTH_TRIALS[key]),
      })),
      {
        key: KEYS.big,
        result: failedTrial({
          schemaVersion: 1,
          spec: laptopTrial('mobilellm-r1-950m', 'int4', 0).spec,
          failure: { kind: 'out-of-memory', message: OOM_MESSAGE },
        }),
      },
    ],
    quality: [{ modelKey: 'mobilellm-r1-140m fused', quant: 'int4', report: qualityReport(0.0213, 0.912) }],
  });
}

/** Run 2: one SmolLM2 trial with an fp16 cache, no quality. */
export function smolRun(): RunDocument {
  const smol = laptopTrial('smollm2-135m', 'q4f16', 0, {
    spec: { kvDtype: 'float16' },
    model: {
      label: 'smollm2-135m · q4f16 · KV float16',
      weightsBytes: 118_500_352,
      numLayers: 30,
      kvHeads: 3,
      headDim: 64,
      kvDtype: 'float16',
      maxContextTokens: 8192,
    },
    samples: {
      ttftMs: [134.6, 132.1, 137.2, 134.1, 136.9],
      prefillTokensPerSecond: [960.4, 921.7, 983.2, 945.1, 964.6],
      // mean 101.7, sd 4.4, median 102.3
      decodeTokensPerSecond: [102.3, 95.9, 107.9, 99.7, 102.7],
      decodeStepMs: timings(5, GENERATE, { p50: 9.8, p90: 10.4, p99: 12.9 }),
    },
    peakRssBytes: 241 * MIB,
  });
  return runDocument({
    id: 'smol-q4f16',
    name: 'SmolLM2 135M q4f16',
    schemaVersion: 1,
    trials: [{ key: KEYS.smol, result: measuredTrial(smol) }],
  });
}

/**
 * The depth run with a thread sweep of MobileLLM-R1 140M int4 at depth 0 beside it (threads 1, 2, 4 and
 * onnxruntime's default on the CPU, default and 4 on WebGPU; its own trial ran at 8), its other trials
 * each at 8 threads. Each variant's repetitions are the depth-0 trial's, scaled to its median.
 */
export function threadsRun(): RunDocument {
  const doc = depthRun();
  const base = DEPTH_TRIALS.int4d0;
  const samples = { ...quietSamples(), ...base.samples };
  // the variants name their own threads, or none: onnxruntime's default
  const spec = { ...base.spec };
  delete spec.threads;
  const variant = (ep: ExecutionProvider, threads: number | undefined, decode: number, prefill: number) => ({
    key: `int4|${ep}|t${threadsLabel(threads)}`,
    result: measuredTrial({
      ...base,
      spec: { ...spec, ep, ...(threads === undefined ? {} : { threads }) },
      samples: {
        ...samples,
        decodeTokensPerSecond: withMedian(samples.decodeTokensPerSecond, decode),
        prefillTokensPerSecond: withMedian(samples.prefillTokensPerSecond, prefill),
      },
    }),
  });
  // listed out of order: the chart sorts
  return runDocument({
    id: doc.id,
    name: doc.name,
    schemaVersion: 1,
    trials: [
      ...doc.trials,
      variant('cpu', 4, 101.5, 900.1),
      variant('cpu', undefined, 117.2, 1090.4),
      variant('cpu', 1, 31.0, 260.2),
      variant('webgpu', undefined, 140.3, 2400.8),
      variant('cpu', 2, 58.8, 505.7),
      variant('webgpu', 4, 138.9, 2390.0),
    ],
    quality: doc.quality,
  });
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

/**
 * Run 4: a tiny folder model (2 MiB of weights: it decodes from the CPU's caches, at a few percent of
 * what the memory-bandwidth bound allows) beside MobileLLM-R1 140M fp32, on the same 61.4 GB/s.
 */
export function tinyBesideR1Run(): RunDocument {
  return runDocument({
    id: 'tiny-beside-140m',
    schemaVersion: 1,
    trials: [
      { key: KEYS.fp32d0, result: measuredTrial(DEPTH_TRIALS.fp32d0) },
      {
        key: 'tiny',
        result: measuredTrial(
          laptopTrial('mobilellm-r1-140m', 'fp32', 0, {
            spec: { model: { kind: 'folder', path: '/models/ui-tiny' } },
            model: { ...R1_140M_FP32, weightsBytes: 2 * MIB, label: 'ui-tiny · fp32' },
            samples: quietSamples(),
            peakRssBytes: 90 * MIB,
          }),
        ),
      },
    ],
  });
}
