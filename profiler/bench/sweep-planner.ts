import { createHash } from 'node:crypto';
import { isCheckpointBacked } from '../models/checkpoint/checkpoint-gguf';
import {
  SweepSpecSchema,
  TrialSpecSchema,
  windowEndDepth,
  type PlannedTrial,
  type SweepSpec,
  type SweepSpecInput,
  type TrialModel,
  type TrialSpec,
} from '../api';
import { describeZodError } from '../../common/zod-errors';
import { resolveModel } from '../../common/catalog';
import { trialIdentity, trialLabel } from '../../common/labels';
import { resolvePreset } from '../../common/quant-presets';
import { ggufTypeOf, type Runtime } from '../../common/runtime-names';
import { estimateTrial, type EstimateContext } from './trial-estimate';

export { estimateTrial, type EstimateContext } from './trial-estimate';

/** A sweep that cannot be planned: said before any work. */
export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

/** A configuration's stable identity: resume matches finished trials by it, whatever the plan order. */
export function trialKey(spec: TrialSpec): string {
  return createHash('sha256').update(trialIdentity(spec)).digest('hex').slice(0, 16);
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

/**
 * Why a combination cannot run on its runtime, or null: a runtime list crossed with the other lists
 * makes some (int8-dyn on llama.cpp, an .onnx folder on llama.cpp, a .gguf on onnxruntime).
 */
function runtimeContradiction(
  runtime: Runtime,
  model: TrialModel,
  quant: string,
  kvDtype: string,
  kvBuffer: string,
  ep: string,
): string | null {
  const gguf = model.kind === 'folder' && model.path.toLowerCase().endsWith('.gguf');
  if (runtime === 'onnxruntime') return gguf ? 'a .gguf runs on llama.cpp only' : null;
  // an imported checkpoint's GGUF is written from its real weights, in the type the preset names
  const checkpoint = model.kind === 'folder' && !gguf && isCheckpointBacked(model.path);
  if (model.kind === 'folder' && !gguf && !checkpoint) {
    return 'llama.cpp runs .gguf files and imported checkpoints, not other ONNX folders';
  }
  if (gguf && quant !== 'fp32') return 'a .gguf runs on llama.cpp as it is stored';
  if (!gguf && ggufTypeOf(quant) === null) return `${quant} has no llama.cpp counterpart`;
  if (kvDtype !== 'preset') return 'llama.cpp trials hold the KV cache in f16, its default';
  if (kvBuffer === 'grow') return 'llama.cpp preallocates its KV cache';
  if (ep !== 'cpu' && ep !== 'cuda') return `llama.cpp runs on the cpu or cuda, not ${ep}`;
  return null;
}

/** Expand a sweep to trials (cartesian product), estimating each; contradictory combinations are dropped. */
export function planSweep(input: SweepSpecInput, estimates: EstimateContext): SweepPlan {
  const parsed = SweepSpecSchema.safeParse(input);
  if (!parsed.success) throw new SweepSpecError(`Invalid sweep: ${describeZodError(parsed.error, 'sweep')}`);
  const sweep = parsed.data;
  if ([...sweep.prompts, ...sweep.gens].some((tokens) => tokens < 1))
    throw new SweepSpecError('Prompt and generate lengths must be at least 1: a trial times both.');
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
    sweep.promptGens ?? sweep.prompts.flatMap((prompt) => sweep.gens.map((gen) => ({ prompt, gen }))),
    sweep.eps,
    sweep.threads,
    sweep.kvBuffers,
    sweep.runtimes,
  ];
  const trials: PlannedTrial[] = [];
  const contradictions: SweepPlan['contradictions'] = [];
  const seen = new Set<string>();
  for (const combo of product(dimensions as unknown[][])) {
    const [model, quant, kvDtype, context, depth, { prompt, gen }, ep, threads, kvBuffer, runtime] =
      combo as [
        TrialModel,
        string,
        SweepSpec['kvDtypes'][number],
        number,
        SweepSpec['depths'][number],
        { prompt: number; gen: number },
        TrialSpec['ep'],
        number | null,
        SweepSpec['kvBuffers'][number],
        Runtime,
      ];
    const depthTokens =
      depth === 'end'
        ? windowEndDepth({ contextTokens: context, promptTokens: prompt, generateTokens: gen })
        : depth;
    const label = trialLabel({
      model,
      quant,
      ...(kvDtype === 'preset' ? {} : { kvDtype }),
      contextTokens: context,
      depthTokens: depthTokens ?? undefined,
      promptTokens: prompt,
      generateTokens: gen,
      kvBuffer,
      ep,
      threads: threads ?? undefined,
      runtime,
    });
    const runtimeMismatch = runtimeContradiction(runtime, model, quant, kvDtype, kvBuffer, ep);
    if (runtimeMismatch) {
      contradictions.push({ label, reason: runtimeMismatch });
      continue;
    }
    if (depthTokens === null || depthTokens + prompt + gen > context) {
      contradictions.push({
        label,
        reason:
          depth === 'end'
            ? `prompt ${prompt} + generate ${gen} exceed the ${context}-token context`
            : `depth ${depth} + prompt ${prompt} + generate ${gen} exceed the ${context}-token context`,
      });
      continue;
    }
    const spec = TrialSpecSchema.parse({
      model,
      quant,
      ...(kvDtype === 'preset' ? {} : { kvDtype }),
      contextTokens: context,
      ...(depth === 'end' ? {} : { depthTokens: depth }),
      promptTokens: prompt,
      generateTokens: gen,
      runtime,
      // llama.cpp fills its depth with the model: a sweep's synthetic fill is onnxruntime's alone
      ...(sweep.fill && !(runtime === 'llama.cpp' && sweep.fill === 'synthetic') ? { fill: sweep.fill } : {}),
      ...(sweep.fillText === undefined ? {} : { fillText: sweep.fillText }),
      ...(sweep.promptText === undefined ? {} : { promptText: sweep.promptText }),
      ...(sweep.chat ? { chat: true } : {}),
      kvBuffer,
      ep,
      ...(threads === null ? {} : { threads }),
      warmupRuns: sweep.warmupRuns,
      repetitions: sweep.repetitions,
      profileOps: sweep.profileOps,
      timeLimitSeconds: sweep.timeLimitSeconds,
      promptSeed: sweep.promptSeed,
    });
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
