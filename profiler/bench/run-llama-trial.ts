import { createHash } from 'node:crypto';
import os from 'node:os';
import { open } from 'node:fs/promises';
import { variantLabel } from '../../common/labels';
import { ggufPresetMessage, ggufTypeOf } from '../../common/runtime-names';
import {
  TRIAL_RESULT_VERSION,
  type ExecutionProvider,
  type KvSetup,
  type RooflineBandwidth,
  type TrialEnvironment,
  type TrialResult,
  type TrialSpec,
} from '../api';
import { readGgufHeader } from '../models/gguf/gguf-reader';
import { summarizeGguf, type GgufSummary } from '../models/gguf/gguf-summary';
import { seededTokenIds } from '../runtime/prompt-ids';
import { prepareCatalogGguf, prepareCheckpointGguf } from './gguf-variant-cache';
import { isCheckpointBacked } from '../models/checkpoint/checkpoint-gguf';
import type { RunTrialDeps } from './run-trial';
import { superviseTrial } from './trial-host';
import { trialResultOf } from './trial-outcome';
import type { LlamaTrialRequest } from './trial-messages';
import { TrialInputError } from './trial-validation';

/** Tokens per llama_decode when the model fills the depth: llama-bench's default ubatch. */
const FILL_CHUNK_TOKENS = 512;
/** bytes per KV element: llama.cpp's default cache type is f16 */
const KV_ELEMENT_BYTES = 2;

/** What a llama.cpp trial cannot do, refused before any work with what to do instead. */
function checkLlamaSpec(spec: TrialSpec): void {
  const refuse = (message: string): never => {
    throw new TrialInputError(message);
  };
  const gguf = spec.model.kind === 'folder' && spec.model.path.toLowerCase().endsWith('.gguf');
  if (spec.model.kind === 'folder' && !gguf && !isCheckpointBacked(spec.model.path)) {
    refuse(
      `--runtime llama.cpp runs GGUF files: ${spec.model.path} is neither a .gguf nor an imported checkpoint ` +
        '(a folder `models import` wrote). Give a .gguf, a catalog id, or the imported folder; ' +
        '`edge-workbench models gguf <checkpoint folder | hub id>` writes a GGUF from real weights.',
    );
  }
  if (gguf) {
    if (spec.quant !== 'fp32') {
      refuse(
        `--quant ${spec.quant}: a .gguf runs as it is stored on llama.cpp; drop --quant (requantize it with llama-quantize).`,
      );
    }
  } else if (ggufTypeOf(spec.quant) === null) {
    refuse(ggufPresetMessage(spec.quant));
  }
  if (spec.kvDtype !== undefined)
    refuse('--kv-dtype: llama.cpp trials hold the cache in f16, its default; drop --kv-dtype.');
  if (spec.ep !== 'cpu' && spec.ep !== 'cuda') {
    refuse(
      `--ep ${spec.ep}: llama.cpp trials run on the cpu, or on cuda where node-llama-cpp's CUDA build is installed.`,
    );
  }
  if (spec.kvBuffer === 'grow')
    refuse('--kv-buffer grow: llama.cpp preallocates its cache and writes it in place; use auto.');
  if (spec.fill === 'synthetic' && spec.depthTokens > 0) {
    refuse(
      '--fill synthetic: llama.cpp offers no way to write values into its cache; llama.cpp trials fill the depth with the model (--fill model).',
    );
  }
  if (spec.profileOps)
    refuse('--profile-ops reads onnxruntime’s profiler: it has no llama.cpp counterpart here.');
  if (spec.promptText !== undefined || spec.fillText !== undefined) {
    refuse(
      '--prompt-text / --fill-text need a tokenizer: llama.cpp trials take --prompt-ids (synthetic GGUFs have no real vocabulary).',
    );
  }
}

function checkAgainstModel(spec: TrialSpec, summary: GgufSummary, file: string): void {
  if (summary.maxContextTokens !== null && spec.contextTokens > summary.maxContextTokens) {
    throw new TrialInputError(
      `--context ${spec.contextTokens} is longer than ${file}'s maximum of ${summary.maxContextTokens} tokens.`,
    );
  }
  const needed = spec.depthTokens + spec.promptTokens + spec.generateTokens;
  if (needed > spec.contextTokens) {
    throw new TrialInputError(
      `depth ${spec.depthTokens} + prompt ${spec.promptTokens} + generate ${spec.generateTokens} = ${needed} tokens ` +
        `do not fit the ${spec.contextTokens}-token context: lower one, or raise --context.`,
    );
  }
  const badId = spec.promptIds?.find((id) => id >= summary.vocabSize);
  if (badId !== undefined) {
    throw new TrialInputError(
      `--prompt-ids: ${badId} is outside the vocabulary (0 to ${summary.vocabSize - 1}).`,
    );
  }
}

/** A user's GGUF's identity without reading its tensors: its header bytes and its size. */
async function ggufFileHash(file: string): Promise<string> {
  const header = await readGgufHeader(file);
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(header.dataOffset);
    await handle.read(bytes, 0, bytes.length, 0);
    return createHash('sha256').update(bytes).update(String(header.fileBytes)).digest('hex').slice(0, 16);
  } finally {
    await handle.close();
  }
}

async function prepareGguf(spec: TrialSpec, deps: RunTrialDeps): Promise<{ file: string; hash: string }> {
  const { model } = spec;
  if (model.kind === 'folder' && model.path.toLowerCase().endsWith('.gguf')) {
    return { file: model.path, hash: await ggufFileHash(model.path) };
  }
  const type = ggufTypeOf(spec.quant)!;
  const message = `Writing ${model.kind === 'catalog' ? model.id : model.path} as GGUF ${type}`;
  deps.onProgress?.({ phase: 'prepare', message });
  const options = {
    onProgress: ({ writtenBytes, totalBytes }: { writtenBytes: number; totalBytes: number }) =>
      deps.onProgress?.({ phase: 'prepare', step: writtenBytes, totalSteps: totalBytes, message }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  return model.kind === 'catalog'
    ? prepareCatalogGguf(model, type, deps.dataDir, options)
    : prepareCheckpointGguf(model.path, type, deps.dataDir, options); // real weights, once per type
}

/**
 * One llama.cpp trial, end to end, as runTrial does for onnxruntime: validate before any work, write
 * (or reuse) the GGUF, run it in a fresh process, assemble the result.
 */
export async function runLlamaTrial(
  spec: TrialSpec,
  deps: RunTrialDeps,
  context: {
    environment: TrialEnvironment;
    startedAt: string;
    sampleIntervalMs: number;
    bandwidth: (ep: ExecutionProvider) => Promise<RooflineBandwidth>;
  },
): Promise<TrialResult> {
  const { environment, startedAt, sampleIntervalMs } = context;
  checkLlamaSpec(spec);
  const { file, hash } = await prepareGguf(spec, deps);
  const summary = summarizeGguf(await readGgufHeader(file));
  checkAgainstModel(spec, summary, file);
  const promptIds = spec.promptIds ?? seededTokenIds(spec.promptSeed, spec.promptTokens, summary.vocabSize);
  const fill: LlamaTrialRequest['fill'] =
    spec.depthTokens === 0
      ? { kind: 'none' }
      : {
          kind: 'model',
          ids: seededTokenIds(spec.promptSeed, spec.depthTokens, summary.vocabSize, 1),
          chunkTokens: FILL_CHUNK_TOKENS,
        };
  const kvBytesPerToken = 2 * summary.numLayers * summary.kvHeads * summary.headDim * KV_ELEMENT_BYTES;
  // physical cores, as llama-bench's default (the logical count where the OS does not say)
  const threads = spec.threads ?? environment.physicalCores ?? os.cpus().length;
  const request: LlamaTrialRequest = {
    runtime: 'llama.cpp',
    spec,
    modelFile: file,
    vocabSize: summary.vocabSize,
    promptIds,
    fill,
    backend: spec.ep === 'cuda' ? 'cuda' : 'cpu',
    threads,
    // the prompt in one llama_decode, as llama-bench's pp; at least its default ubatch of 512
    batchTokens: Math.max(FILL_CHUNK_TOKENS, spec.promptTokens),
    gpuLayers: spec.ep === 'cuda' ? summary.numLayers + 1 : 0, // every block and the output layer
    flashAttention: false,
    kvBytesPerToken,
    tensorTypes: summary.tensorTypes,
  };
  const kvSetup: KvSetup = {
    depthTokens: spec.depthTokens,
    fill: fill.kind,
    ...(fill.kind === 'model' ? { fillSource: 'seeded ids', fillChunkTokens: FILL_CHUNK_TOKENS } : {}),
    // one cache for the whole context, allocated up front and written in place
    buffer: 'shared',
    bufferTokens: spec.depthTokens + spec.promptTokens + spec.generateTokens,
  };
  const base: TrialResult = {
    schemaVersion: TRIAL_RESULT_VERSION,
    status: 'failed',
    spec,
    environment,
    startedAt,
    finishedAt: startedAt,
    model: {
      label: variantLabel(spec),
      modelFile: file,
      layout: 'gguf',
      variantHash: hash,
      parameters: summary.parameters,
      weightsBytes: summary.weightsBytes,
      fileBytes: summary.fileBytes,
      numLayers: summary.numLayers,
      kvHeads: summary.kvHeads,
      headDim: summary.headDim,
      kvDtype: 'float16',
      maxContextTokens: summary.maxContextTokens,
    },
    memoryTimeline: [],
    kvSetup,
    promptTokenIds: promptIds,
    generatedTokenIds: [],
    warmupRuns: spec.warmupRuns,
    repetitions: [],
  };
  const bandwidth = await context.bandwidth(spec.ep);
  const outcome = await superviseTrial(deps.launcher, request, {
    timeLimitMs: spec.timeLimitSeconds * 1000,
    sampleIntervalMs,
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  return trialResultOf(base, outcome, {
    kvBytesPerToken,
    weightBytesPerDecodeToken: summary.readPerDecodeTokenBytes,
    sampleIntervalMs,
    bandwidth,
    extra: (measurement) => ({
      // llama.cpp computes the last position's logits only
      logits: {
        positions: 'last',
        prefillBytes: measurement.prefillLogits.bytes,
        lastPositionBytes: measurement.prefillLogits.bytes,
      },
      ...(measurement.llamaCpp ? { llamaCpp: measurement.llamaCpp } : {}),
    }),
  });
}
