import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { getCatalogEntry, NEEDS_REAL_WEIGHTS, publishedScoresText } from '../../common/catalog';
import type { ExecutionProvider, ModelInspection, QualityModel } from '../../profiler/api';
import { inspectModel } from '../../profiler/models/loader';
import { DecoderRunner } from '../../profiler/runtime/decoder-runner';
import { createSession } from '../../profiler/runtime/session-factory';
import { QualityInputError } from './quality-error';

/** One side of the comparison, inspected (no weights read yet). */
export interface InspectedSide {
  /** 'reference' or 'variant', for messages */
  role: string;
  inspection: ModelInspection;
  vocabSize: number;
  /** tokens; null when neither config.json nor the graph says */
  maxContextTokens: number | null;
  /** config.json's bos_token_id (the first, when a list); null when it names none */
  bosTokenId: number | null;
}

/** bos_token_id from the config.json beside the model (genai folder) or above onnx/ (Optimum). */
function bosTokenIdOf(modelFile: string): number | null {
  for (const dir of [path.dirname(modelFile), path.dirname(path.dirname(modelFile))]) {
    const file = path.join(dir, 'config.json');
    if (!existsSync(file)) continue;
    try {
      const value = (JSON.parse(readFileSync(file, 'utf8')) as { bos_token_id?: unknown }).bos_token_id;
      const id = Array.isArray(value) ? value[0] : value;
      return Number.isInteger(id) ? (id as number) : null;
    } catch {
      return null; // inspectModel already reported a broken config.json
    }
  }
  return null;
}

/**
 * Refuses a model with synthetic (seeded) weights: its KL or agreement would describe noise, not the
 * model. Says what to do instead, and what is published about the real model.
 */
export function refuseSyntheticWeights(side: InspectedSide): void {
  const record = side.inspection.synthetic;
  if (!record) return;
  let published = '';
  try {
    const entry = getCatalogEntry(record.catalogId);
    published = ` Published scores of ${entry.scores.row}: ${publishedScoresText(entry.scores)} (${entry.scores.math500.source}).`;
  } catch {
    // a what-if or renamed catalog id: no published row to quote
  }
  throw new QualityInputError(
    `The ${side.role} ${side.inspection.path} has synthetic (seeded) weights (workbench.json, seed ${record.seed}): ` +
      `quality ${NEEDS_REAL_WEIGHTS}, since KL and agreement on seeded noise say nothing about the real model. ` +
      `Import the real checkpoint (edge-workbench models import ${record.catalogId}), quantize that, and compare the two.` +
      published,
  );
}

/** config.json's vocab_size, else the logits output's last dim when the graph fixes it. */
function vocabSizeOf(role: string, inspection: ModelInspection): number {
  if (inspection.config?.vocab_size) return inspection.config.vocab_size;
  const logits = inspection.signature.outputs.find((o) => o.name === inspection.signature.roles.logits);
  const last = logits?.dims?.at(-1);
  if (typeof last === 'number' && last > 0) return last;
  throw new QualityInputError(
    `The ${role} ${inspection.modelFile} says nowhere how large its vocabulary is (no vocab_size in ` +
      'config.json, no fixed last dim on its logits): put its config.json beside it.',
  );
}

export async function inspectSide(role: string, target: string): Promise<InspectedSide> {
  const inspection = await inspectModel(target);
  return {
    role,
    inspection,
    vocabSize: vocabSizeOf(role, inspection),
    maxContextTokens: inspection.config?.max_position_embeddings ?? null,
    bosTokenId: bosTokenIdOf(inspection.modelFile),
  };
}

/** Refuses two models that cannot be compared token for token. */
export function checkSameVocabulary(reference: InspectedSide, variant: InspectedSide): void {
  if (reference.vocabSize === variant.vocabSize) return;
  throw new QualityInputError(
    `The reference ${reference.inspection.modelFile} has a ${reference.vocabSize}-token vocabulary and ` +
      `the variant ${variant.inspection.modelFile} a ${variant.vocabSize}-token one: only variants of one ` +
      'model (same tokenizer) can be compared.',
  );
}

/** Refuses sequences (`positions` tokens) or continuations (`contextTokens`) longer than a model takes. */
export function checkContext(side: InspectedSide, positions: number, contextTokens: number): void {
  const max = side.maxContextTokens;
  if (max === null) return;
  const model = `the ${side.role} ${side.inspection.modelFile}'s ${max}-token context (max_position_embeddings)`;
  if (positions > max) {
    throw new QualityInputError(
      `${positions} positions per sequence exceed ${model}: use at most ${max} positions.`,
    );
  }
  if (contextTokens > max) {
    throw new QualityInputError(
      `The greedy continuations need ${contextTokens} tokens of context, over ${model}: ` +
        'use fewer continuation tokens.',
    );
  }
}

export function describeSide(target: string, inspection: ModelInspection): QualityModel {
  return {
    path: target,
    modelFile: inspection.modelFile,
    weightsBytes: inspection.bytes.weights,
    diskBytes: inspection.bytes.onnxFile + inspection.bytes.externalData,
    parameters: inspection.parameters.learned,
  };
}

export interface OpenSide {
  session: ort.InferenceSession;
  runner: DecoderRunner;
}

/** One session per model, created once and fed sequence after sequence through its runner. */
export async function openSide(
  side: InspectedSide,
  ep: ExecutionProvider,
  threads: number | undefined,
  contextTokens: number,
): Promise<OpenSide> {
  const { session } = await createSession(side.inspection.modelFile, {
    ep,
    threads,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    sessionConfig: {},
  });
  const runner = new DecoderRunner(session, {
    signature: side.inspection.signature,
    vocabSize: side.vocabSize,
    contextTokens,
  });
  return { session, runner };
}
