import type {
  DecodeSlowdown,
  DeviceTarget,
  KvAtContext,
  KvDtype,
  KvPressureReport,
  KvTargetFit,
  TrialResult,
} from '../schemas';
import { kvBytesPerToken, type ModelSpec } from '../catalog';
import { STANDARD_CONTEXTS_TOKENS } from '../contexts';
import { configurationKeyWithoutDepth, trialLabel } from '../labels';

/**
 * KV pressure (ARCHITECTURE.md, metric definitions): how many bytes the KV cache takes at each context,
 * how long a context fits next to the weights on a target, what share of every decode step's reads the
 * cache is, and how much decode slows per 1K tokens of depth, measured.
 */

/** bytes per KV element */
export function kvElementBytes(dtype: KvDtype): number {
  return dtype === 'float16' ? 2 : 4;
}

const MiB = 2 ** 20;
/** bytes: Node, onnxruntime and the trial process before any model (~80 MiB RSS measured, rounded up) */
const PROCESS_FLOOR_BYTES = 150 * MiB;

/** onnxruntime's pre-packed copy of the MatMul weights, in units of the weights: whole for fp32 / fp16 */
const PREPACKED_SHARE = { float: 1, packed: 0.25 } as const;

/** The share of the weights onnxruntime keeps pre-packed beside them: 1 for fp32 / fp16, 0.25 for packed integer presets. */
export function prepackedShare(quant: string): number {
  return quant === 'fp32' || quant === 'fp16' ? PREPACKED_SHARE.float : PREPACKED_SHARE.packed;
}

/**
 * bytes of runtime overhead beside weights and KV, when nothing measured it: 150 MiB for the process plus
 * onnxruntime's pre-packed copy of the MatMul weights (prepackedShare). The sweep planner's estimate
 * (profiler/bench/trial-estimate.ts) uses it too.
 */
export function runtimeOverheadBytes(weightsBytes: number, quant: string): number {
  return PROCESS_FLOOR_BYTES + prepackedShare(quant) * weightsBytes;
}

/** "0.25× weights + 150 MiB": runtimeOverheadBytes of a preset, in words */
export function runtimeOverheadText(quant: string): string {
  return `${prepackedShare(quant)}× weights + ${PROCESS_FLOOR_BYTES / MiB} MiB`;
}

/** runtimeOverheadBytes for every preset, in words */
export const RUNTIME_OVERHEAD_RULE =
  `${PROCESS_FLOOR_BYTES / MiB} MiB + pre-packed weights (${PREPACKED_SHARE.float}× for fp32/fp16, ` +
  `${PREPACKED_SHARE.packed}× for packed integer presets)`;

/** What the KV arithmetic needs to know of one model variant. */
export interface KvModel {
  label: string;
  kvDtype: KvDtype;
  /** bytes each token of context adds */
  bytesPerToken: number;
  /** bytes of weights the session loads */
  weightsBytes: number;
  /** bytes of runtime, arena and activations */
  overheadBytes: number;
  /** tokens; null where the model does not say */
  modelMaxContextTokens: number | null;
  /** how weights and overhead were obtained */
  basis: string;
}

/**
 * A catalog model (or a what-if spec). `weightsBytes` is the caller's (e.g. weightsBytes(spec, 0.5) for
 * int4); the overhead follows runtimeOverheadBytes unless given.
 */
export function kvModelFromSpec(input: {
  label: string;
  spec: ModelSpec;
  kvDtype: KvDtype;
  /** bytes */
  weightsBytes: number;
  /** the quantization preset, for the overhead rule */
  quant: string;
  /** bytes; default runtimeOverheadBytes(weightsBytes, quant) */
  overheadBytes?: number;
}): KvModel {
  const overheadBytes = input.overheadBytes ?? runtimeOverheadBytes(input.weightsBytes, input.quant);
  return {
    label: input.label,
    kvDtype: input.kvDtype,
    bytesPerToken: kvBytesPerToken(input.spec, kvElementBytes(input.kvDtype)),
    weightsBytes: input.weightsBytes,
    overheadBytes,
    modelMaxContextTokens: input.spec.maxContextTokens,
    basis:
      input.overheadBytes === undefined
        ? `estimated: weights as given; overhead ${runtimeOverheadText(input.quant)}`
        : 'weights and overhead as given',
  };
}

/**
 * The variant a trial ran: its measured weights and KV shape; the overhead it measured (peak RSS −
 * weights − KV bytes at the end) when it ran, else runtimeOverheadBytes.
 */
export function kvModelFromTrial(trial: TrialResult): KvModel {
  const model = trial.model;
  if (!model) {
    throw new RangeError(
      `Trial "${trialLabel(trial.spec)}" has no model facts (it failed before the model was opened): ` +
        'use kvModelFromSpec with the catalog spec instead.',
    );
  }
  if (model.kvDtype !== 'float32' && model.kvDtype !== 'float16') {
    throw new RangeError(`Trial "${model.label}": KV dtype ${model.kvDtype} is not float32 or float16.`);
  }
  const kvDtype: KvDtype = model.kvDtype;
  const analyticBytesPerToken = 2 * model.numLayers * model.kvHeads * model.headDim * kvElementBytes(kvDtype);
  const measuredOverhead =
    trial.status === 'ok' && trial.peakRssBytes !== undefined && trial.kvCache
      ? trial.peakRssBytes - model.weightsBytes - trial.kvCache.exactBytes
      : undefined;
  const useMeasured = measuredOverhead !== undefined && measuredOverhead >= 0;
  return {
    label: model.label,
    kvDtype,
    bytesPerToken: trial.kvCache?.bytesPerToken || analyticBytesPerToken,
    weightsBytes: model.weightsBytes,
    overheadBytes: useMeasured
      ? measuredOverhead
      : runtimeOverheadBytes(model.weightsBytes, trial.spec.quant),
    modelMaxContextTokens: model.maxContextTokens,
    basis: useMeasured
      ? 'weights measured (initializer bytes); overhead = peak RSS − weights − KV bytes, measured here'
      : 'weights measured (initializer bytes); overhead estimated (runtimeOverheadBytes)',
  };
}

function kvAt(model: KvModel, contextTokens: number): KvAtContext {
  const kvBytes = model.bytesPerToken * contextTokens;
  const readBytes = model.weightsBytes + kvBytes;
  return {
    contextTokens,
    kvBytes,
    kvShareOfDecodeBytes: readBytes > 0 ? kvBytes / readBytes : 0,
    beyondModelMax: model.modelMaxContextTokens !== null && contextTokens > model.modelMaxContextTokens,
  };
}

/**
 * The longest context that fits `target` next to the weights: (budget − weights − overhead) ÷ bytes per
 * token, rounded down, capped at the model's maximum. The whole budget counts here; the fit verdict's
 * "tight" threshold is not applied.
 */
export function kvTargetFit(
  model: KvModel,
  target: DeviceTarget,
  contextsTokens: readonly number[],
): KvTargetFit {
  const budgetBytes = target.memoryBytes;
  const kvRoomBytes = budgetBytes - model.weightsBytes - model.overheadBytes;
  let maxContextTokens = 0;
  let limitedBy: KvTargetFit['limitedBy'] = 'weights-do-not-fit';
  if (kvRoomBytes >= 0) {
    maxContextTokens = Math.floor(kvRoomBytes / model.bytesPerToken);
    limitedBy = 'memory';
    if (model.modelMaxContextTokens !== null && maxContextTokens >= model.modelMaxContextTokens) {
      maxContextTokens = model.modelMaxContextTokens;
      limitedBy = 'model-max-context';
    }
  }
  return {
    targetId: target.id,
    targetName: target.name,
    memoryBytes: budgetBytes,
    kvRoomBytes,
    maxContextTokens,
    limitedBy,
    kvShareOfDecodeBytesAtMax:
      maxContextTokens > 0 ? kvAt(model, maxContextTokens).kvShareOfDecodeBytes : null,
    perContext: contextsTokens.map((contextTokens) => {
      const kvBytes = model.bytesPerToken * contextTokens;
      const totalBytes = model.weightsBytes + model.overheadBytes + kvBytes;
      return {
        contextTokens,
        kvShareOfBudget: kvBytes / budgetBytes,
        totalShareOfBudget: totalBytes / budgetBytes,
        fits: totalBytes <= budgetBytes,
      };
    }),
  };
}

/** The KV pressure report of one model variant at the standard contexts (plus `extraContextsTokens`). */
export function kvPressure(
  model: KvModel,
  targets: readonly DeviceTarget[],
  extraContextsTokens: readonly number[] = [],
): KvPressureReport {
  for (const tokens of extraContextsTokens) {
    if (!Number.isInteger(tokens) || tokens < 1) {
      throw new RangeError(`KV pressure: context ${tokens} is not a positive whole number of tokens.`);
    }
  }
  const contextsTokens = [...new Set([...STANDARD_CONTEXTS_TOKENS, ...extraContextsTokens])].sort(
    (a, b) => a - b,
  );
  return {
    label: model.label,
    kvDtype: model.kvDtype,
    bytesPerToken: model.bytesPerToken,
    weightsBytes: model.weightsBytes,
    overheadBytes: model.overheadBytes,
    modelMaxContextTokens: model.modelMaxContextTokens,
    contexts: contextsTokens.map((tokens) => kvAt(model, tokens)),
    targets: targets.map((target) => kvTargetFit(model, target, contextsTokens)),
    basis: model.basis,
  };
}

/**
 * Decode slowdown per 1K tokens of depth, from trials of one configuration at several depths
 * (spec.depthTokens): a least-squares line through (depth, mean per-token ms) of every successful
 * trial. The percentage is against the line's value at depth 0. Null when fewer than 2 distinct depths
 * ran; a RangeError when the trials differ in more than depth (group them with
 * configurationKeyWithoutDepth, or use decodeSlowdownByConfiguration).
 */
export function decodeSlowdownPer1K(trials: readonly TrialResult[]): DecodeSlowdown | null {
  const measured = trials.filter((trial) => trial.status === 'ok' && trial.summary?.perTokenMs);
  const first = measured[0];
  if (!first) return null;
  const key = configurationKeyWithoutDepth(first.spec);
  const other = measured.find((trial) => configurationKeyWithoutDepth(trial.spec) !== key);
  if (other) {
    throw new RangeError(
      `Decode slowdown needs trials that differ only in depth; "${trialLabel(first.spec, { context: false })}" ` +
        `and "${trialLabel(other.spec, { context: false })}" differ in more. Group them first ` +
        '(decodeSlowdownByConfiguration).',
    );
  }
  const points = measured
    .map((trial) => ({ depthTokens: trial.spec.depthTokens, perTokenMs: trial.summary!.perTokenMs!.mean }))
    .sort((a, b) => a.depthTokens - b.depthTokens);
  const depths = [...new Set(points.map((point) => point.depthTokens))];
  if (depths.length < 2) return null;

  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.depthTokens, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.perTokenMs, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { depthTokens, perTokenMs } of points) {
    sxx += (depthTokens - meanX) ** 2;
    sxy += (depthTokens - meanX) * (perTokenMs - meanY);
    syy += (perTokenMs - meanY) ** 2;
  }
  const slopeMsPerToken = sxy / sxx; // sxx > 0: at least two distinct depths
  const interceptMs = meanY - slopeMsPerToken * meanX;
  let residual = 0;
  for (const { depthTokens, perTokenMs } of points) {
    residual += (perTokenMs - (interceptMs + slopeMsPerToken * depthTokens)) ** 2;
  }
  const msPer1KTokens = slopeMsPerToken * 1000;
  return {
    label: trialLabel(first.spec, { context: false }),
    points,
    depths,
    msPer1KTokens,
    perTokenMsAtDepth0: interceptMs,
    percentPer1KTokens: interceptMs > 0 ? (msPer1KTokens / interceptMs) * 100 : null,
    rSquared: syy > 0 ? 1 - residual / syy : null,
  };
}

/** decodeSlowdownPer1K for every configuration in `trials` that ran at 2 or more depths. */
export function decodeSlowdownByConfiguration(trials: readonly TrialResult[]): DecodeSlowdown[] {
  const groups = new Map<string, TrialResult[]>();
  for (const trial of trials) {
    const key = configurationKeyWithoutDepth(trial.spec);
    groups.set(key, [...(groups.get(key) ?? []), trial]);
  }
  return [...groups.values()]
    .map((group) => decodeSlowdownPer1K(group))
    .filter((slowdown): slowdown is DecodeSlowdown => slowdown !== null);
}
