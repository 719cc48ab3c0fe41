import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TRIAL_RESULT_VERSION,
  sequenceTokens,
  windowEndDepth,
  type ExecutionProvider,
  type KvSetup,
  type ModelInspection,
  type RooflineBandwidth,
  type SystemInfo,
  type MeasuredEnvironment,
  type TrialModel,
  type TrialProgress,
  type TrialResult,
  type TrialSpec,
  type TrialSpecInput,
} from '../api';
import { variantLabel } from '../../common/labels';
import { resolvePreset, runsAsStored } from '../../common/quant-presets';
import { quantizeVariant } from '../../quantization/quantize-variant';
import { inspectModel, modelFileHash } from '../models/loader';
import type { DepthFill, KvBuffer } from '../runtime/decoder-runner';
import { bandwidthForRoofline } from '../runtime/memory-bandwidth';
import { loadTokenizer, type TextTokenizer } from '../runtime/text-tokenizer';
import { seededTokenIds } from '../runtime/prompt-ids';
import { superviseTrial, type TrialProcessLauncher } from './trial-host';
import { trialResultOf } from './trial-outcome';
import type { TrialRequest } from './trial-messages';
import {
  checkTrialAgainstModel,
  modelMaxContext,
  parseTrialSpec,
  TrialInputError,
  vocabSizeOf,
} from './trial-validation';
import { prepareCatalogVariant } from './variant-cache';
import { runLlamaTrial } from './run-llama-trial';

export interface RunTrialDeps {
  launcher: TrialProcessLauncher;
  /** runs, model variants and caches live here */
  dataDir: string;
  /** this machine and runtime, recorded with every result */
  system: () => Promise<SystemInfo>;
  /**
   * the bandwidth the roofline divides by, for the trial's execution provider; default: measured once
   * and cached in dataDir
   */
  bandwidth?: (ep: ExecutionProvider) => Promise<RooflineBandwidth>;
  /** ms between the parent's RSS samples of the trial process; default per OS (see sampleIntervalMs) */
  sampleIntervalMs?: number;
  onProgress?: (progress: TrialProgress) => void;
  signal?: AbortSignal;
}

export function environmentOf(info: SystemInfo): MeasuredEnvironment {
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
    ...(info.app.commit ? { buildCommit: info.app.commit } : {}),
  };
}

interface PreparedModel {
  inspection: ModelInspection;
  hash: string;
  label: string;
}

interface PreparedSource {
  inspection: ModelInspection;
  hash: string;
  /** the model as it was opened: a folder's dtype variant as found */
  model: TrialModel;
}

/** The fp32 model a trial starts from: a catalog model's cached synthetic variant, or a folder. */
async function prepareSource(spec: TrialSpec, deps: RunTrialDeps): Promise<PreparedSource> {
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
    return { inspection: await inspectModel(variant.dir), hash: variant.hash, model };
  }
  const inspection = await inspectModel(
    model.path,
    model.variant === undefined ? {} : { variant: model.variant },
  );
  const hash = await modelFileHash(inspection.modelFile, inspection.externalFiles);
  return {
    inspection,
    hash,
    model: { ...model, ...(inspection.variant ? { variant: inspection.variant } : {}) },
  };
}

/** The variant a trial measures: the source itself for fp32, else its quantized copy (cached). */
async function prepareModel(spec: TrialSpec, deps: RunTrialDeps): Promise<PreparedModel> {
  const source = await prepareSource(spec, deps);
  const label = variantLabel({ ...spec, model: source.model });
  if (runsAsStored(spec)) return { inspection: source.inspection, hash: source.hash, label };
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
  // the variant cache's identity: its text must not change under cached variants and stored results
  const kv = spec.kvDtype ? `, KV ${spec.kvDtype}` : '';
  return { inspection, hash: `${source.hash}-${spec.quant}${kv}`, label };
}

/** Tokens per run when the model fills the depth: llama.cpp's default ubatch, and memory-safe at 32K. */
export const FILL_CHUNK_TOKENS = 512;

/**
 * Prompt ids from --prompt-text; the depth, when it was the end of the window, follows the prompt's
 * real length.
 */
function applyPromptText(spec: TrialSpec, tokenizer: TextTokenizer | null, where: string): void {
  if (spec.promptText === undefined) return;
  if (!tokenizer) {
    throw new TrialInputError(
      `${where} has no tokenizer.json, so --prompt-text cannot be encoded: give --prompt-ids, or use a model folder with its tokenizer.`,
    );
  }
  if (spec.chat) {
    const ids = tokenizer.encodeChat(spec.promptText);
    if (!ids) {
      throw new TrialInputError(
        `${where} has no chat template (chat_template in tokenizer_config.json, or chat_template.jinja): drop --chat, or import the checkpoint with its tokenizer files.`,
      );
    }
    spec.promptIds = ids;
  } else {
    spec.promptIds = tokenizer.encode(spec.promptText);
  }
  spec.promptTokens = spec.promptIds.length;
  if (spec.promptTokens === 0)
    throw new TrialInputError('--prompt-text encodes to no tokens: give some text.');
  if (spec.depthSource === 'context') {
    const depth = windowEndDepth(spec);
    if (depth === null) {
      throw new TrialInputError(
        `--prompt-text is ${spec.promptTokens} tokens: with ${spec.generateTokens} to generate it does not fit the ` +
          `${spec.contextTokens}-token context. Raise --context or shorten the text.`,
      );
    }
    spec.depthTokens = depth;
  }
}

/** What fills the cache to its depth: seeded values, or the model over seeded ids or the user's text. */
function depthFillOf(
  spec: TrialSpec,
  tokenizer: TextTokenizer | null,
  vocabSize: number,
  where: string,
): DepthFill {
  if (spec.depthTokens === 0) return { kind: 'none' };
  if (spec.fill === 'synthetic') {
    if (spec.fillText !== undefined) {
      throw new TrialInputError(
        '--fill-text fills the context by running the model over the text: drop --fill synthetic (or the text).',
      );
    }
    return { kind: 'synthetic', tokens: spec.depthTokens, seed: spec.promptSeed };
  }
  let ids: number[];
  if (spec.fillText === undefined) {
    ids = seededTokenIds(spec.promptSeed, spec.depthTokens, vocabSize, 1);
  } else {
    if (!tokenizer) {
      throw new TrialInputError(`${where} has no tokenizer.json, so --fill-text cannot be encoded.`);
    }
    const text = tokenizer.encode(spec.fillText);
    if (text.length === 0) throw new TrialInputError('--fill-text encodes to no tokens: give some text.');
    // the text, repeated until the depth is reached: a long document is what a full context holds
    ids = Array.from({ length: spec.depthTokens }, (_, i) => text[i % text.length]!);
  }
  return { kind: 'model', ids, chunkTokens: FILL_CHUNK_TOKENS };
}

/**
 * 'auto' is the shared buffer where the graph allows it on the CPU provider (as onnxruntime-genai runs
 * such graphs), else grow; a GPU provider's outputs come back to host memory, so nothing is shared there.
 */
function kvBufferOf(spec: TrialSpec, inspection: ModelInspection): KvBuffer {
  const capable = inspection.signature.canShareKvBuffer;
  if (spec.kvBuffer === 'shared') {
    if (!capable) {
      throw new TrialInputError(
        `${inspection.modelFile} cannot hold its KV cache in a shared buffer: only graphs whose past inputs feed ` +
          'GroupQueryAttention alone can (the fused style, onnxruntime-genai exports). Use --kv-buffer grow.',
      );
    }
    if (spec.ep !== 'cpu') {
      throw new TrialInputError(
        `--kv-buffer shared needs the cpu provider: onnxruntime-node returns ${spec.ep} outputs in host memory, so the cache cannot be written in place.`,
      );
    }
    return 'shared';
  }
  if (spec.kvBuffer === 'grow') return 'grow';
  return capable && spec.ep === 'cpu' ? 'shared' : 'grow';
}

function kvSetupOf(fill: DepthFill, spec: TrialSpec, kvBuffer: KvBuffer): KvSetup {
  const buffer =
    kvBuffer === 'shared' ? { buffer: kvBuffer, bufferTokens: sequenceTokens(spec) } : { buffer: kvBuffer };
  if (fill.kind === 'none') return { depthTokens: 0, fill: 'none', ...buffer };
  if (fill.kind === 'synthetic') {
    return { depthTokens: fill.tokens, fill: 'synthetic', fillSource: 'seeded values', ...buffer };
  }
  return {
    depthTokens: fill.ids.length,
    fill: 'model',
    fillSource: spec.fillText === undefined ? 'seeded ids' : 'text',
    fillChunkTokens: fill.chunkTokens,
    ...buffer,
  };
}

/**
 * The parent's RSS sampling interval: Linux reads /proc (cheap) every 20 ms; on macOS and Windows each
 * sample spawns `ps` / `wmic`, which would disturb the timed decode, so they sample 4× a second.
 */
export function sampleIntervalMs(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? 20 : 250;
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
  if (spec.runtime === 'llama.cpp') {
    return runLlamaTrial(spec, deps, {
      environment,
      startedAt,
      sampleIntervalMs: deps.sampleIntervalMs ?? sampleIntervalMs(),
      bandwidth: deps.bandwidth ?? defaultBandwidth(deps.dataDir, environment),
    });
  }
  const prepared = await prepareModel(spec, deps);
  const { inspection } = prepared;
  const vocabSize = vocabSizeOf(inspection);
  const { signature } = inspection;
  const tokenizer = spec.model.kind === 'folder' ? loadTokenizer(path.dirname(inspection.modelFile)) : null;
  applyPromptText(spec, tokenizer, inspection.path);
  const promptIds = spec.promptIds ?? seededTokenIds(spec.promptSeed, spec.promptTokens, vocabSize);
  checkTrialAgainstModel(spec, inspection, vocabSize);
  const fill = depthFillOf(spec, tokenizer, vocabSize, inspection.path);
  const kvBuffer = kvBufferOf(spec, inspection);
  const bandwidth = await (deps.bandwidth ?? defaultBandwidth(deps.dataDir, environment))(spec.ep);

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
    fill,
    kvBuffer,
    profileDir,
  };
  const kvBytesPerToken = inspection.kvBytesPerToken ?? 0;
  const intervalMs = deps.sampleIntervalMs ?? sampleIntervalMs();
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
      parameters: inspection.parameters.learned,
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
    kvSetup: kvSetupOf(fill, spec, kvBuffer),
    promptTokenIds: promptIds,
    generatedTokenIds: [],
    warmupRuns: spec.warmupRuns,
    repetitions: [],
    ...(spec.ep === 'cpu' ? {} : { presentOnHost: true }),
  };
  try {
    const outcome = await superviseTrial(deps.launcher, request, {
      timeLimitMs: spec.timeLimitSeconds * 1000,
      sampleIntervalMs: intervalMs,
      ...(deps.onProgress ? { onProgress: withText(deps.onProgress, tokenizer) } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    return trialResultOf(base, outcome, {
      kvBytesPerToken,
      weightBytesPerDecodeToken: inspection.bytes.readPerDecodeToken,
      sampleIntervalMs: intervalMs,
      bandwidth,
      extra: (measurement) => ({
        logits: {
          positions: measurement.prefillLogits.rows > 1 ? 'all' : 'last',
          prefillBytes: measurement.prefillLogits.bytes,
          lastPositionBytes:
            (measurement.prefillLogits.bytes / Math.max(1, measurement.prefillLogits.rows)) | 0,
        },
        ...(tokenizer
          ? { generatedText: tokenizer.decode(measurement.repetitions[0]?.generatedTokenIds ?? []) }
          : {}),
        ...(measurement.opBreakdown ? { opBreakdown: measurement.opBreakdown } : {}),
      }),
    });
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

function defaultBandwidth(dataDir: string, environment: MeasuredEnvironment) {
  return (ep: ExecutionProvider): Promise<RooflineBandwidth> =>
    bandwidthForRoofline(dataDir, environment, { ep });
}
