import type { TrialEstimate, TrialModel, TrialSpec } from '../api';
import { kvBytesPerToken, parameterCount, resolveModel, uniqueParameterCount } from '../../common/catalog';
import { resolvePreset, runsAsStored } from '../../common/quant-presets';
import { runtimeOverheadBytes, runtimeOverheadText } from '../../common/analysis/kv-pressure';
import { budgetFit, decodeSeconds, prefillSeconds } from './estimate-rates';
import { estimateLlamaTrial } from './llama-estimate';

/**
 * What a trial should need before it runs: weights + the KV cache as the trial will hold it + runtime
 * overhead, and how long it should take. Estimates only — the trial measures the real numbers.
 */

/** What a folder model's inspection says, for the variant the trial opens. */
export interface FolderFacts {
  /** learned parameters */
  parameters: number;
  /** bytes of the variant's initializers, as stored (its real dtype) */
  weightsBytes: number;
  /** KV bytes per token at the variant's own KV dtype */
  kvBytesPerToken: number;
  /** bytes per KV element of the variant (2 for a float16 cache) */
  kvElementBytes: number;
  vocabSize: number | null;
  hiddenSize: number | null;
  tiedEmbeddings: boolean;
  /** past inputs feed GroupQueryAttention alone: 'auto' holds the cache in a shared buffer */
  canShareKvBuffer: boolean;
}

export interface EstimateContext {
  /** bytes/s of memory read bandwidth (measured, cached) — or a stated default */
  bandwidthBytesPerSecond: number;
  bandwidthSource: string;
  /** folder models, by folderKey() */
  folders?: ReadonlyMap<string, FolderFacts>;
}

/** A folder model's key in EstimateContext.folders: the folder and the variant opened. */
export function folderKey(model: Extract<TrialModel, { kind: 'folder' }>): string {
  return `${model.path}#${model.variant ?? ''}`;
}

/**
 * Weight bytes per learned parameter of each preset: 4-bit codes plus one scale per block (block 32,
 * fp32 scales: 0.5 + 4/32 = 0.625 B), 8-bit likewise (1.125 B), int8-dyn 1 B (per-column scales are
 * negligible), fp16 2 B, fp32 4 B.
 */
export function bytesPerParameter(quant: string): number {
  const options = resolvePreset(quant);
  if (options.weights === 'float32') return 4;
  if (options.weights === 'float16') return 2;
  if (options.weights === 'dynamic-int8') return 1 + 4 / 1024;
  return options.bits / 8 + (options.activations === 'float16' ? 2 : 4) / options.blockSize;
}

/**
 * bytes of the embedding table a preset keeps in float beside its quantized weights: int8-dyn leaves
 * the Gather's fp32 table as it is (4 B per element) and quantizes the head apart, so a tied table is
 * held twice and an untied one stays fp32. Other presets quantize the table (GatherBlockQuantized) or
 * keep everything float.
 */
function keptEmbeddingBytes(
  quant: string,
  table: { vocab: number; hidden: number; tied: boolean } | null,
): number {
  const options = resolvePreset(quant);
  if (!table || options.quantizeEmbeddings || options.weights === 'float32' || options.weights === 'float16')
    return 0;
  const elements = table.vocab * table.hidden;
  // counted at bytesPerParameter already when untied (it is a parameter); tied: the head's copy is
  return table.tied ? elements * 4 : elements * (4 - bytesPerParameter(quant));
}

function kvElementBytes(quant: string, kvDtype: TrialSpec['kvDtype']): number {
  const dtype = kvDtype ?? resolvePreset(quant).kvDtype;
  return dtype === 'float16' ? 2 : 4;
}

/**
 * Caches held at once, in units of the full cache, measured on this project's machine (see the README's
 * benchmark table): onnxruntime-node returns every output as a new JS buffer, so a shared buffer is held
 * beside the copy the last step returned; a growing cache also has onnxruntime's own present while the
 * next past is still alive.
 */
export const KV_COPIES_HELD = { shared: 2, grow: 3 } as const;

interface ModelFacts {
  parameters: number;
  weightsBytes: number;
  kvPerToken: number;
  canShare: boolean;
  basis: string;
}

function modelFacts(spec: TrialSpec, context: EstimateContext): ModelFacts {
  if (spec.model.kind === 'catalog') {
    const { spec: model } = resolveModel(spec.model.id, spec.model.overrides);
    const stored = uniqueParameterCount(model);
    const table = { vocab: model.vocabSize, hidden: model.hiddenSize, tied: model.tieWordEmbeddings };
    return {
      parameters: parameterCount(model),
      weightsBytes: stored * bytesPerParameter(spec.quant) + keptEmbeddingBytes(spec.quant, table),
      kvPerToken: kvBytesPerToken(model, kvElementBytes(spec.quant, spec.kvDtype)),
      canShare: spec.model.style === 'fused',
      basis: `weights from the parameter count at ${bytesPerParameter(spec.quant)} B/parameter`,
    };
  }
  const folder = context.folders?.get(folderKey(spec.model));
  if (!folder)
    return { parameters: 0, weightsBytes: 0, kvPerToken: 0, canShare: false, basis: 'weights unknown' };
  const asIs = runsAsStored(spec);
  const table =
    folder.vocabSize && folder.hiddenSize
      ? { vocab: folder.vocabSize, hidden: folder.hiddenSize, tied: folder.tiedEmbeddings }
      : null;
  return {
    parameters: folder.parameters,
    weightsBytes: asIs
      ? folder.weightsBytes
      : folder.parameters * bytesPerParameter(spec.quant) + keptEmbeddingBytes(spec.quant, table),
    kvPerToken: asIs ? folder.kvBytesPerToken : kvBytesAt(folder, kvElementBytes(spec.quant, spec.kvDtype)),
    canShare: folder.canShareKvBuffer,
    basis: asIs
      ? "weights: the variant's initializers as stored"
      : `weights from the learned parameter count at ${bytesPerParameter(spec.quant)} B/parameter`,
  };
}

/** A folder's KV bytes per token at another element size. */
function kvBytesAt(folder: FolderFacts, elementBytes: number): number {
  return (folder.kvBytesPerToken / folder.kvElementBytes) * elementBytes;
}

export function estimateTrial(
  spec: TrialSpec,
  context: EstimateContext,
  budgetBytes: number | undefined,
): TrialEstimate {
  if (spec.runtime === 'llama.cpp') return estimateLlamaTrial(spec, context, budgetBytes);
  const facts = modelFacts(spec, context);
  const { weightsBytes, kvPerToken, parameters } = facts;
  const shared =
    spec.kvBuffer === 'shared' || (spec.kvBuffer === 'auto' && facts.canShare && spec.ep === 'cpu');
  const tokens = spec.depthTokens + spec.promptTokens + spec.generateTokens;
  const kvBytes = kvPerToken * tokens; // a shared buffer is sized to the sequence too (trial-measure.ts)
  const copies = shared ? KV_COPIES_HELD.shared : KV_COPIES_HELD.grow;
  const overheadBytes = runtimeOverheadBytes(weightsBytes, spec.quant) + (copies - 1) * kvBytes;
  const peakBytes = weightsBytes + kvBytes + overheadBytes;

  // time: load at ~1 GB/s; a decode step reads the weights and the cache and copies the cache out
  // (copies − 1 times), memory-bound at 60% of the bandwidth; prefill (and a model fill) ~ 2·params
  // FLOPs per token at 20 GFLOP/s (a CPU-class guess); every full run is warmups + repetitions
  const meanKvBytes = kvPerToken * (spec.depthTokens + spec.promptTokens + spec.generateTokens / 2);
  const stepBytes = weightsBytes + meanKvBytes + (copies - 1) * meanKvBytes;
  const decodeTime = decodeSeconds(spec.generateTokens, stepBytes, context.bandwidthBytesPerSecond);
  const filledByModel = spec.fill === 'model' ? spec.depthTokens : 0;
  const prefillTime = prefillSeconds(spec.promptTokens + filledByModel, parameters);
  const runs = spec.warmupRuns + spec.repetitions;
  const seconds =
    weightsBytes / 1e9 +
    runs * (decodeTime + prefillTime) +
    (spec.profileOps ? 2 * (decodeTime + prefillTime) : 0);

  const fit = budgetFit(peakBytes, budgetBytes);
  return {
    weightsBytes,
    kvBytes,
    overheadBytes,
    peakBytes,
    seconds,
    fit,
    basis:
      `estimated: ${facts.basis}, KV at ${tokens} tokens${shared ? ' (a shared buffer)' : ''} ` +
      `held ${copies}× (onnxruntime-node copies it out each step), overhead ${runtimeOverheadText(spec.quant)}; ` +
      `time from ${context.bandwidthSource}`,
  };
}
