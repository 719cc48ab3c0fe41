import { createHash } from 'node:crypto';
import {
  describeZodError,
  SweepSpecSchema,
  TrialSpecSchema,
  type Fit,
  type PlannedTrial,
  type SweepSpec,
  type SweepSpecInput,
  type TrialEstimate,
  type TrialModel,
  type TrialSpec,
} from '../api';
import { kvBytesPerToken, parameterCount, resolveModel } from '../models/catalog';
import { resolvePreset } from '../../quantization/presets';
import { modelLabel, TIGHT_SHARE } from './configuration';
import { runtimeOverheadBytes } from './kv-pressure';

export { modelLabel, TIGHT_SHARE } from './configuration';

/** A sweep that cannot be planned: said before any work. */
export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

/** Above this many trials a sweep needs an explicit yes: hours of machine time are easy to ask for. */
export const LARGE_SWEEP_TRIALS = 500;

/**
 * Weight bytes per parameter of each preset, for estimates: 4-bit codes plus one fp32 scale per block
 * (block 32: 0.5 + 4/32 = 0.625 B), 8-bit likewise (1.125 B), fp16 2 B, fp32 4 B.
 */
function bytesPerParameter(quant: string): number {
  const options = resolvePreset(quant);
  if (options.weights === 'float32') return 4;
  if (options.weights === 'float16') return 2;
  if (options.weights === 'dynamic-int8') return 1 + 4 / 1024; // per-column scales are negligible
  return options.bits / 8 + (options.activations === 'float16' ? 2 : 4) / options.blockSize;
}

function kvElementBytes(quant: string, kvDtype: TrialSpec['kvDtype']): number {
  const dtype = kvDtype ?? resolvePreset(quant).kvDtype;
  return dtype === 'float16' ? 2 : 4;
}

/** A configuration's stable identity: resume matches finished trials by it, whatever the plan order. */
export function trialKey(spec: TrialSpec): string {
  const identity = JSON.stringify([
    spec.model,
    spec.quant,
    spec.kvDtype ?? 'preset',
    spec.contextTokens,
    spec.depthTokens,
    spec.promptTokens,
    spec.generateTokens,
    spec.ep,
    spec.threads ?? null,
  ]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

export interface EstimateContext {
  /** bytes/s of memory read bandwidth (measured, cached) — or a stated default */
  bandwidthBytesPerSecond: number;
  bandwidthSource: string;
  /** weights bytes of folder models, by path (from their inspection) */
  folderWeightsBytes?: ReadonlyMap<
    string,
    { weightsBytes: number; kvBytesPerToken: number; parameters: number }
  >;
}

/**
 * What a trial should need, before running it: weights + KV at its full length + runtime overhead.
 * onnxruntime pre-packs MatMul weights for its kernels, so fp32 sessions have been seen here at about
 * 2× the weights: the overhead counts 1× weights for fp32 / fp16 and 0.25× for packed int formats.
 */
export function estimateTrial(
  spec: TrialSpec,
  context: EstimateContext,
  budgetBytes: number | undefined,
): TrialEstimate {
  let parameters: number;
  let weightsBytes: number;
  let kvPerToken: number;
  if (spec.model.kind === 'catalog') {
    const { spec: model } = resolveModel(spec.model.id, spec.model.overrides);
    parameters = parameterCount(model);
    weightsBytes = parameters * bytesPerParameter(spec.quant);
    kvPerToken = kvBytesPerToken(model, kvElementBytes(spec.quant, spec.kvDtype));
  } else {
    const folder = context.folderWeightsBytes?.get(spec.model.path);
    parameters = folder?.parameters ?? 0;
    weightsBytes = folder ? (folder.weightsBytes * bytesPerParameter(spec.quant)) / 4 : 0;
    kvPerToken = folder ? (folder.kvBytesPerToken * kvElementBytes(spec.quant, spec.kvDtype)) / 4 : 0;
  }
  const tokens = spec.depthTokens + spec.promptTokens + spec.generateTokens;
  const kvBytes = kvPerToken * tokens;
  const packed = !['fp32', 'fp16'].includes(spec.quant);
  const overheadBytes = runtimeOverheadBytes(weightsBytes, spec.quant);
  const peakBytes = weightsBytes + kvBytes + overheadBytes;

  // time: load at ~1 GB/s; decode memory-bound at 60% of the bandwidth; prefill ~ 2·params FLOPs per
  // token at 20 GFLOP/s (a CPU-class guess); every full run is warmups + repetitions
  const decodeSeconds =
    (spec.generateTokens * (weightsBytes + kvBytes / 2)) / (0.6 * context.bandwidthBytesPerSecond);
  const prefillSeconds = ((spec.promptTokens + spec.depthTokens) * 2 * parameters) / 20e9;
  const runs = spec.warmupRuns + spec.repetitions;
  const seconds =
    weightsBytes / 1e9 +
    runs * (decodeSeconds + prefillSeconds) +
    (spec.profileOps ? decodeSeconds + prefillSeconds : 0);

  let fit: Fit = 'fits';
  if (budgetBytes !== undefined)
    fit = peakBytes > budgetBytes ? 'will-not-fit' : peakBytes > TIGHT_SHARE * budgetBytes ? 'tight' : 'fits';
  return {
    weightsBytes,
    kvBytes,
    overheadBytes,
    peakBytes,
    seconds,
    fit,
    basis:
      `estimated: weights ${parameters ? 'from the parameter count' : 'unknown'} at ${bytesPerParameter(spec.quant)} B/parameter, ` +
      `KV at ${tokens} tokens, overhead ${packed ? '0.25' : '1'}× weights + 150 MiB; time from ${context.bandwidthSource}`,
  };
}

function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>(
    (combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])),
    [[]],
  );
}

export interface SweepPlan {
  sweep: SweepSpec;
  trials: PlannedTrial[];
  /** configurations dropped because they contradict themselves (e.g. more tokens than the context) */
  contradictions: { label: string; reason: string }[];
}

/** Expand a sweep to trials (cartesian product), estimating each; contradictory combinations are dropped. */
export function planSweep(input: SweepSpecInput, estimates: EstimateContext): SweepPlan {
  const parsed = SweepSpecSchema.safeParse(input);
  if (!parsed.success) throw new SweepSpecError(`Invalid sweep: ${describeZodError(parsed.error, 'sweep')}`);
  const sweep = parsed.data;
  for (const quant of sweep.quants) {
    try {
      resolvePreset(quant);
    } catch (error) {
      throw new SweepSpecError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
  for (const model of sweep.models) {
    if (model.kind === 'catalog') {
      try {
        resolveModel(model.id, model.overrides);
      } catch (error) {
        throw new SweepSpecError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    }
  }
  const dimensions = [
    sweep.models,
    sweep.quants,
    sweep.kvDtypes,
    sweep.contexts,
    sweep.depths,
    sweep.prompts,
    sweep.gens,
    sweep.eps,
    sweep.threads,
  ];
  const trials: PlannedTrial[] = [];
  const contradictions: SweepPlan['contradictions'] = [];
  const seen = new Set<string>();
  for (const combo of product(dimensions as unknown[][])) {
    const [model, quant, kvDtype, context, depth, prompt, gen, ep, threads] = combo as [
      TrialModel,
      string,
      SweepSpec['kvDtypes'][number],
      number,
      number,
      number,
      number,
      TrialSpec['ep'],
      number | null,
    ];
    const spec = TrialSpecSchema.parse({
      model,
      quant,
      ...(kvDtype === 'preset' ? {} : { kvDtype }),
      contextTokens: context,
      depthTokens: depth,
      promptTokens: prompt,
      generateTokens: gen,
      ep,
      ...(threads === null ? {} : { threads }),
      warmupRuns: sweep.warmupRuns,
      repetitions: sweep.repetitions,
      profileOps: sweep.profileOps,
      timeLimitSeconds: sweep.timeLimitSeconds,
      promptSeed: sweep.promptSeed,
    });
    const label = `${modelLabel(model)} ${quant} ctx ${context} depth ${depth} P ${prompt} G ${gen}`;
    if (depth + prompt + gen > context) {
      contradictions.push({
        label,
        reason: `depth ${depth} + prompt ${prompt} + generate ${gen} exceed the ${context}-token context`,
      });
      continue;
    }
    const key = trialKey(spec);
    if (seen.has(key)) continue; // the same configuration listed twice runs once
    seen.add(key);
    trials.push({ key, spec, estimate: estimateTrial(spec, estimates, sweep.memoryBudgetBytes) });
  }
  if (trials.length === 0) {
    throw new SweepSpecError(
      `The sweep has no runnable trial: ${contradictions[0]?.reason ?? 'every dimension is empty'}${contradictions.length > 1 ? ` (and ${contradictions.length - 1} more)` : ''}.`,
    );
  }
  return { sweep, trials, contradictions };
}
