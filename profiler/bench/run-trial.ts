import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TRIAL_RESULT_VERSION,
  type ModelInspection,
  type SystemInfo,
  type TrialEnvironment,
  type TrialProgress,
  type TrialResult,
  type TrialSpec,
  type TrialSpecInput,
} from '../api';
import { resolvePreset } from '../../quantization/presets';
import { quantizeVariant } from '../../quantization/quantize-variant';
import { inspectModel, modelFileHash } from '../models/loader';
import { cachedMemoryBandwidth, memoryBandwidthKey } from '../runtime/memory-bandwidth';
import { roofline } from '../runtime/roofline';
import { loadTokenizer, type TextTokenizer } from '../runtime/text-tokenizer';
import { seededTokenIds } from '../runtime/prompt-ids';
import { NOISY_CV, percentile, summarize } from '../runtime/statistics';
import { superviseTrial, type TrialProcessLauncher } from './trial-host';
import type { TrialMeasurement, TrialRequest } from './trial-messages';
import {
  checkTrialAgainstModel,
  modelMaxContext,
  parseTrialSpec,
  TrialInputError,
  vocabSizeOf,
} from './trial-validation';
import { prepareCatalogVariant } from './variant-cache';

export interface RunTrialDeps {
  launcher: TrialProcessLauncher;
  /** runs, model variants and caches live here */
  dataDir: string;
  /** this machine and runtime, recorded with every result */
  system: () => Promise<SystemInfo>;
  /** measured memory read bandwidth for the roofline; default: measured once and cached in dataDir */
  bandwidth?: (threads: number | undefined) => Promise<{ bytesPerSecond: number; method: string }>;
  onProgress?: (progress: TrialProgress) => void;
  signal?: AbortSignal;
}

export function environmentOf(info: SystemInfo): TrialEnvironment {
  return {
    ...(info.device ? { device: info.device.name } : {}),
    cpu: info.cpu.name,
    physicalCores: info.cpu.physicalCores,
    logicalCores: info.cpu.logicalCores,
    totalMemoryBytes: info.memory.totalBytes,
    os: `${info.os.distro} ${info.os.release} (${info.os.platform} ${info.os.arch})`,
    gpus: info.gpus.map((gpu) => `${gpu.vendor} ${gpu.model}`),
    onnxruntimeVersion: info.onnxruntime.version,
    nodeVersion: info.runtime.nodeVersion,
    appVersion: info.app.version,
  };
}

interface PreparedModel {
  inspection: ModelInspection;
  hash: string;
  label: string;
}

/** The fp32 model a trial starts from: a catalog model's cached synthetic variant, or a folder. */
async function prepareSource(spec: TrialSpec, deps: RunTrialDeps): Promise<PreparedModel> {
  const { model } = spec;
  if (model.kind === 'catalog') {
    deps.onProgress?.({ phase: 'prepare', message: `Preparing ${model.id} (${model.style})` });
    const variant = await prepareCatalogVariant(model, deps.dataDir, {
      onProgress: ({ writtenBytes, totalBytes }) =>
        deps.onProgress?.({
          phase: 'prepare',
          step: writtenBytes,
          totalSteps: totalBytes,
          message: `Building ${model.id}`,
        }),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const inspection = await inspectModel(variant.dir);
    const overrides = Object.entries(model.overrides)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    return {
      inspection,
      hash: variant.hash,
      label: `${model.id}${overrides ? ` [${overrides}]` : ''} (${model.style}`,
    };
  }
  const inspection = await inspectModel(
    model.path,
    model.variant === undefined ? {} : { variant: model.variant },
  );
  const hash = await modelFileHash(inspection.modelFile, inspection.externalFiles);
  return { inspection, hash, label: `${path.basename(model.path)} (${inspection.variant || 'model'}` };
}

/** The variant a trial measures: the source itself for fp32, else its quantized copy (cached). */
async function prepareModel(spec: TrialSpec, deps: RunTrialDeps): Promise<PreparedModel> {
  const source = await prepareSource(spec, deps);
  const kv = spec.kvDtype ? `, KV ${spec.kvDtype}` : '';
  if (spec.quant === 'fp32' && !spec.kvDtype) return { ...source, label: `${source.label}, fp32)` };
  deps.onProgress?.({ phase: 'prepare', message: `Quantizing to ${spec.quant}` });
  const sourcePath =
    spec.model.kind === 'folder' && spec.model.variant === undefined
      ? spec.model.path
      : source.inspection.modelFile;
  const variant = await quantizeVariant(sourcePath, {
    preset: spec.quant,
    options: resolvePreset(spec.quant, spec.kvDtype ? { kvDtype: spec.kvDtype } : {}),
    dataDir: deps.dataDir,
    onProgress: ({ doneTensors, totalTensors }) =>
      deps.onProgress?.({
        phase: 'prepare',
        step: doneTensors,
        totalSteps: totalTensors,
        message: `Quantizing to ${spec.quant}`,
      }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const inspection = await inspectModel(variant.modelFile);
  return {
    inspection,
    hash: `${source.hash}-${spec.quant}${kv}`,
    label: `${source.label}, ${spec.quant}${kv})`,
  };
}

function summaryOf(measurement: TrialMeasurement): NonNullable<TrialResult['summary']> {
  const reps = measurement.repetitions;
  const decode = summarize(reps.map((rep) => rep.decodeTokensPerSecond));
  const prefill = summarize(reps.map((rep) => rep.prefillTokensPerSecond));
  const steps = reps.flatMap((rep) => rep.decodeStepMs);
  return {
    ttftMs: summarize(reps.map((rep) => rep.ttftMs)),
    prefillTokensPerSecond: prefill,
    decodeTokensPerSecond: decode,
    perTokenMs: {
      p50: percentile(steps, 50),
      p90: percentile(steps, 90),
      p99: percentile(steps, 99),
      mean: steps.reduce((sum, ms) => sum + ms, 0) / steps.length,
    },
    noisy: decode.n > 1 && (decode.cv > NOISY_CV || prefill.cv > NOISY_CV),
  };
}

/**
 * One trial, end to end: validate (before any work), prepare the variant, run it in a fresh process,
 * and assemble the result. A trial that fails while running comes back as status 'failed' with the
 * reason; bad input throws TrialInputError.
 */
export async function runTrial(input: TrialSpecInput, deps: RunTrialDeps): Promise<TrialResult> {
  const startedAt = new Date().toISOString();
  const spec = parseTrialSpec(input);
  const environment = environmentOf(await deps.system());
  const prepared = await prepareModel(spec, deps);
  const { inspection } = prepared;
  const vocabSize = vocabSizeOf(inspection);
  const { signature } = inspection;
  const tokenizer = spec.model.kind === 'folder' ? loadTokenizer(path.dirname(inspection.modelFile)) : null;
  if (spec.promptText !== undefined) {
    if (!tokenizer) {
      throw new TrialInputError(
        `${inspection.path} has no tokenizer.json, so --prompt-text cannot be encoded: give --prompt-ids, or use a model folder with its tokenizer.`,
      );
    }
    spec.promptIds = tokenizer.encode(spec.promptText);
    spec.promptTokens = spec.promptIds.length;
    if (spec.promptTokens === 0)
      throw new TrialInputError('--prompt-text encodes to no tokens: give some text.');
  }
  const promptIds = spec.promptIds ?? seededTokenIds(spec.promptSeed, spec.promptTokens, vocabSize);
  checkTrialAgainstModel(spec, inspection, vocabSize);
  const depthIds = seededTokenIds(spec.promptSeed, spec.depthTokens, vocabSize, 1);
  const bandwidth = await (deps.bandwidth ?? defaultBandwidth(deps.dataDir, environment))(spec.threads);

  // a kept profile goes to the data folder (the result points at it); otherwise a throwaway folder
  const profileDir = spec.profileOps
    ? path.join(deps.dataDir, 'profiles', `${startedAt.replace(/[:.]/g, '-')}-${prepared.hash}`)
    : mkdtempSync(path.join(os.tmpdir(), 'ew-trial-'));
  const request: TrialRequest = {
    spec,
    modelFile: inspection.modelFile,
    signature,
    vocabSize,
    promptIds,
    depthIds,
    profileDir,
  };
  const kvBytesPerToken = inspection.kvBytesPerToken ?? 0;
  const base: TrialResult = {
    schemaVersion: TRIAL_RESULT_VERSION,
    status: 'failed',
    spec,
    environment,
    startedAt,
    finishedAt: startedAt,
    model: {
      label: prepared.label,
      modelFile: inspection.modelFile,
      layout: inspection.layout,
      variantHash: prepared.hash,
      parameters: inspection.parameters.total,
      weightsBytes: inspection.bytes.weights,
      fileBytes: inspection.bytes.onnxFile + inspection.bytes.externalData,
      numLayers: signature.numLayers,
      kvHeads: signature.kvHeads ?? 0,
      headDim: signature.headDim ?? 0,
      kvDtype: signature.kvDtype,
      maxContextTokens: modelMaxContext(inspection),
    },
    session: {
      ep: spec.ep,
      intraOpThreads: spec.threads ?? null,
      graphOptimizationLevel: spec.graphOptimizationLevel,
      enableCpuMemArena: spec.enableCpuMemArena,
      enableMemPattern: spec.enableMemPattern,
      sessionConfig: spec.sessionConfig,
    },
    memoryTimeline: [],
    promptTokenIds: promptIds,
    generatedTokenIds: [],
    warmupRuns: spec.warmupRuns,
    repetitions: [],
  };
  try {
    const outcome = await superviseTrial(deps.launcher, request, {
      timeLimitMs: spec.timeLimitSeconds * 1000,
      ...(deps.onProgress ? { onProgress: withText(deps.onProgress, tokenizer) } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const finishedAt = new Date().toISOString();
    const { measurement } = outcome;
    if (!measurement) {
      return {
        ...base,
        finishedAt,
        memoryTimeline: outcome.memoryTimeline,
        ...(outcome.failure ? { failure: outcome.failure } : {}),
      };
    }
    const summary = summaryOf(measurement);
    const kvTokensDuringDecode = spec.depthTokens + spec.promptTokens + (spec.generateTokens - 1) / 2; // mean cached tokens
    return {
      ...base,
      status: 'ok',
      finishedAt,
      memoryTimeline: outcome.memoryTimeline,
      loadMs: measurement.loadMs,
      rssBeforeLoadBytes: measurement.rssBeforeLoadBytes,
      rssAfterLoadBytes: measurement.rssAfterLoadBytes,
      peakRssBytes: measurement.peakRssBytes,
      generatedTokenIds: measurement.repetitions[0]?.generatedTokenIds ?? [],
      ...(tokenizer
        ? { generatedText: tokenizer.decode(measurement.repetitions[0]?.generatedTokenIds ?? []) }
        : {}),
      repetitions: measurement.repetitions,
      summary,
      kvCache: {
        tokens: measurement.kvCache.tokens,
        exactBytes: measurement.kvCache.exactBytes,
        analyticBytes: kvBytesPerToken * measurement.kvCache.tokens,
        bytesPerToken: kvBytesPerToken,
      },
      ...(measurement.opBreakdown ? { opBreakdown: measurement.opBreakdown } : {}),
      roofline: roofline({
        bandwidthBytesPerSecond: bandwidth.bytesPerSecond,
        method: bandwidth.method,
        weightsBytes: inspection.bytes.weights,
        kvBytesPerToken,
        kvTokens: kvTokensDuringDecode,
        measuredDecodeTokensPerSecond: summary.decodeTokensPerSecond.median,
      }),
    };
  } finally {
    if (!spec.profileOps) rmSync(profileDir, { recursive: true, force: true });
  }
}

/**
 * Adds the decoded text of each token of the first timed repetition, as the delta of the decoded
 * sequence (a token's text can depend on its neighbours).
 */
function withText(onProgress: (progress: TrialProgress) => void, tokenizer: TextTokenizer | null) {
  if (!tokenizer) return onProgress;
  const ids: number[] = [];
  let shown = '';
  return (progress: TrialProgress): void => {
    if (progress.phase === 'decode' && progress.repetition === 0 && progress.tokenId !== undefined) {
      ids.push(progress.tokenId);
      const text = tokenizer.decode(ids);
      onProgress({ ...progress, text: text.slice(shown.length) });
      shown = text;
      return;
    }
    onProgress(progress);
  };
}

function defaultBandwidth(dataDir: string, environment: TrialEnvironment) {
  return async (threads: number | undefined) => {
    return cachedMemoryBandwidth(
      dataDir,
      memoryBandwidthKey(environment, threads),
      threads === undefined ? {} : { threads },
    );
  };
}
