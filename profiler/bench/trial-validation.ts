import os from 'node:os';
import { resolvePreset } from '../../common/quant-presets';
import { assertProviderUsable } from '../runtime/session-factory';
import { TrialSpecSchema, type ModelInspection, type TrialSpec, type TrialSpecInput } from '../api';
import { describeZodError } from '../../common/zod-errors';

/** A trial that cannot start: said before any work, naming the value and what to do. */
export class TrialInputError extends Error {
  override name = 'TrialInputError';
}

export function parseTrialSpec(input: TrialSpecInput): TrialSpec {
  const parsed = TrialSpecSchema.safeParse(input);
  if (!parsed.success) throw new TrialInputError(`Invalid trial: ${describeZodError(parsed.error, 'trial')}`);
  const spec = parsed.data;
  try {
    resolvePreset(spec.quant);
  } catch (error) {
    throw new TrialInputError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  try {
    // llama.cpp's backends are its own builds: run-llama-trial.ts checks them
    if (spec.runtime !== 'llama.cpp') assertProviderUsable(spec.ep);
  } catch (error) {
    throw new TrialInputError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const logicalCores = os.cpus().length;
  if (spec.threads !== undefined && spec.threads > logicalCores) {
    throw new TrialInputError(
      `--threads ${spec.threads} is more than this machine's ${logicalCores} logical cores: use 1 to ${logicalCores} ` +
        '(more threads than cores only adds contention to the measurement).',
    );
  }
  // 0 is only for imported llama-bench records, which timed one phase; a trial here times both
  for (const field of ['promptTokens', 'generateTokens'] as const) {
    if (spec[field] < 1)
      throw new TrialInputError(
        `Invalid trial: trial.${field}: must be at least 1 (got ${spec[field]}): a trial times a prefill and decode steps.`,
      );
  }
  if (spec.promptIds && spec.promptIds.length === 0)
    throw new TrialInputError('--prompt-ids is empty: give at least one id.');
  if (spec.promptIds) spec.promptTokens = spec.promptIds.length;
  return spec;
}

/** The context the model supports: the synthetic spec's, else config.json's max_position_embeddings. */
export function modelMaxContext(inspection: ModelInspection): number | null {
  const fromSpec = inspection.synthetic?.spec as { maxContextTokens?: unknown } | undefined;
  if (typeof fromSpec?.maxContextTokens === 'number') return fromSpec.maxContextTokens;
  return inspection.config?.max_position_embeddings ?? null;
}

/** The model's vocabulary, from the logits' last dim or config.json. */
export function vocabSizeOf(inspection: ModelInspection): number {
  const logits = inspection.signature.outputs.find(
    (output) => output.name === inspection.signature.roles.logits,
  );
  const last = logits?.dims?.at(-1);
  if (typeof last === 'number' && last > 0) return last;
  if (inspection.config?.vocab_size) return inspection.config.vocab_size;
  throw new TrialInputError(
    `${inspection.modelFile}: cannot tell the vocabulary size (logits have no fixed last dim and there is no config.json).`,
  );
}

/** Checks that need the model: lengths against its context, the inputs the runner must feed. */
export function checkTrialAgainstModel(
  spec: TrialSpec,
  inspection: ModelInspection,
  vocabSize: number,
): void {
  const { signature } = inspection;
  const maxContext = modelMaxContext(inspection);
  if (maxContext !== null && spec.contextTokens > maxContext) {
    throw new TrialInputError(
      `--context ${spec.contextTokens} is longer than the model's maximum of ${maxContext} tokens.`,
    );
  }
  const needed = spec.depthTokens + spec.promptTokens + spec.generateTokens;
  if (needed > spec.contextTokens) {
    throw new TrialInputError(
      `depth ${spec.depthTokens} + prompt ${spec.promptTokens} + generate ${spec.generateTokens} = ${needed} tokens ` +
        `do not fit the ${spec.contextTokens}-token context: lower one, or raise --context.`,
    );
  }
  const badId = spec.promptIds?.find((id) => id >= vocabSize);
  if (badId !== undefined)
    throw new TrialInputError(`--prompt-ids has ${badId}, outside the vocabulary (0 to ${vocabSize - 1}).`);
  if (signature.kvHeads === null || signature.headDim === null) {
    throw new TrialInputError(
      `${inspection.modelFile}: the KV-cache inputs have no fixed head count or head size, and config.json does not give them.`,
    );
  }
  const { roles } = signature;
  const understood = new Set([
    roles.inputIds,
    roles.attentionMask,
    roles.positionIds,
    ...roles.pastKeys,
    ...roles.pastValues,
  ]);
  const unknown = signature.inputs.map((input) => input.name).filter((name) => !understood.has(name));
  if (unknown.length > 0) {
    throw new TrialInputError(
      `${inspection.modelFile} has inputs the runner does not know how to feed: ${unknown.join(', ')}. ` +
        'It feeds input_ids, attention_mask, position_ids and past_key_values.* (Optimum / onnxruntime-genai decoders).',
    );
  }
  if (!['float32', 'float16'].includes(signature.kvDtype)) {
    throw new TrialInputError(
      `${inspection.modelFile}: a ${signature.kvDtype} KV cache is not supported (float32 or float16).`,
    );
  }
}
