import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedModel } from '../../../common/catalog';
import { bpeVocabMetadata } from '../gguf/gguf-bpe-vocab';
import type { GgufWriteType } from '../gguf/gguf-format';
import { str, type GgufValue } from '../gguf/gguf-metadata';
import { syntheticVocabMetadata } from '../gguf/gguf-vocab';
import type { WrittenGguf } from '../gguf/gguf-writer';
import { writeLlamaGguf, type GgufRowSource } from '../gguf/llama-gguf';
import { INDEX_FILE, openCheckpointFolder, SINGLE_FILE, type CheckpointFolder } from './checkpoint-folder';
import { CheckpointError } from './checkpoint-error';
import { resolveCheckpoint } from './checkpoint-spec';
import { checkCheckpointTensors } from './checkpoint-weights';
import { IMPORT_RECORD_FILE, tokensOf } from './import-checkpoint';

/**
 * A real Hugging Face checkpoint as a llama.cpp GGUF, through the same `llama` writer path as the
 * synthetic GGUFs (llama-gguf.ts): tensors read one at a time in their stored layout, converted to fp32
 * and encoded chunk by chunk, so the checkpoint is never whole in memory. The tokenizer section is the
 * checkpoint's own byte-level BPE vocabulary when its tokenizer.json has one.
 */

export interface CheckpointGgufOptions {
  /** a checkpoint folder (config.json + *.safetensors) or a folder `models import` wrote */
  dir: string;
  type: GgufWriteType;
  /** the name recorded (a hub repo id when downloaded); default the folder's name */
  name?: string;
  outFile: string;
  overwrite?: boolean;
  onProgress?: (progress: { writtenBytes: number; totalBytes: number; tensor: string }) => void;
  signal?: AbortSignal;
}

export interface CheckpointGguf extends WrittenGguf {
  model: ResolvedModel;
  /** the checkpoint folder read */
  sourceDir: string;
  /** 'checkpoint': tokenizer.json's vocabulary and merges; else why the synthetic section was written */
  tokenizer: { kind: 'checkpoint' } | { kind: 'synthetic'; reason: string };
}

/**
 * Whether a folder's GGUF can be written from real weights: a folder `models import` wrote (its
 * import.json names the checkpoint) or a checkpoint folder itself. Looks at file names only.
 */
export function isCheckpointBacked(dir: string): boolean {
  if (existsSync(path.join(dir, IMPORT_RECORD_FILE))) return true;
  return (
    existsSync(path.join(dir, 'config.json')) &&
    (existsSync(path.join(dir, SINGLE_FILE)) || existsSync(path.join(dir, INDEX_FILE)))
  );
}

/** The checkpoint behind `dir`: itself, or for an imported folder the source its import.json names. */
export async function checkpointDirOf(dir: string): Promise<{ dir: string; name: string | null }> {
  const absolute = path.resolve(dir);
  const recordFile = path.join(absolute, IMPORT_RECORD_FILE);
  if (!existsSync(recordFile)) return { dir: absolute, name: null };
  let record: { sourceDir?: unknown; repo?: unknown };
  try {
    record = JSON.parse(await readFile(recordFile, 'utf8')) as typeof record;
  } catch (error) {
    throw new CheckpointError(`${recordFile} could not be read as JSON: import the checkpoint again.`, {
      cause: error,
    });
  }
  const source = typeof record.sourceDir === 'string' ? record.sourceDir : null;
  if (!source || !existsSync(path.join(source, 'config.json'))) {
    throw new CheckpointError(
      `${absolute} was imported from ${source ?? 'a folder its import.json does not name'}, which is no longer ` +
        'there: a GGUF is written from the checkpoint itself (the imported ONNX holds fp32 copies only). ' +
        'Give the checkpoint folder or its hub repo id.',
    );
  }
  return { dir: source, name: typeof record.repo === 'string' ? record.repo : null };
}

async function readOptionalJson(file: string): Promise<Record<string, unknown> | null> {
  if (!existsSync(file)) return null;
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CheckpointError(`${file} could not be read as JSON (${reason}): download it again.`, {
      cause: error,
    });
  }
}

/** The checkpoint's tokenizer.json as a gpt2 section, or the synthetic one and why. */
async function tokenizerSection(
  dir: string,
  model: ResolvedModel,
): Promise<{ metadata: [string, GgufValue][]; tokenizer: CheckpointGguf['tokenizer'] }> {
  const synthetic = (reason: string) => ({
    metadata: syntheticVocabMetadata(model.spec.vocabSize),
    tokenizer: { kind: 'synthetic' as const, reason },
  });
  const tokenizer = await readOptionalJson(path.join(dir, 'tokenizer.json'));
  if (!tokenizer) return synthetic(`${dir} has no tokenizer.json`);
  const { tokens } = model.entry;
  const result = bpeVocabMetadata({
    tokenizer,
    tokenizerConfig: await readOptionalJson(path.join(dir, 'tokenizer_config.json')),
    vocabSize: model.spec.vocabSize,
    // llama.cpp names pre-tokenizers by model; SmolLM2's is "smollm" (convert_hf_to_gguf.py picks it by
    // the hash of its tokenizer's output); the others are refused before this point
    pre: model.entry.family === 'SmolLM2' ? 'smollm' : 'default',
    bosTokenId: tokens.bosTokenId,
    eosTokenId: tokens.eosTokenIds[0] ?? null,
    padTokenId: tokens.padTokenId,
  });
  return 'metadata' in result
    ? { metadata: result.metadata, tokenizer: { kind: 'checkpoint' } }
    : synthetic(result.reason);
}

/** The stored tensors in their own (PyTorch) layout, whole rows per chunk. */
function checkpointRowSource(checkpoint: CheckpointFolder, prefix: string): GgufRowSource {
  return { rows: (tensor, chunkElements) => checkpoint.chunks(prefix + tensor.name, chunkElements) };
}

/** Writes the checkpoint (or the one behind an imported folder) as a `llama` GGUF of one tensor type. */
export async function buildCheckpointGguf(options: CheckpointGgufOptions): Promise<CheckpointGguf> {
  const source = await checkpointDirOf(options.dir);
  const checkpoint = await openCheckpointFolder(source.dir);
  const configFile = path.join(source.dir, 'config.json');
  const name = options.name ?? source.name ?? path.basename(source.dir);
  const resolved = resolveCheckpoint(configFile, checkpoint.config, name).model;
  const model: ResolvedModel = {
    ...resolved,
    entry: { ...resolved.entry, tokens: tokensOf(checkpoint.config, resolved.entry.tokens, configFile) },
  };
  const prefix = checkCheckpointTensors(checkpoint, model.spec);
  const { metadata, tokenizer } = await tokenizerSection(source.dir, model);
  const written = await writeLlamaGguf({
    model,
    type: options.type,
    rows: checkpointRowSource(checkpoint, prefix),
    name,
    sourceMetadata: [
      ['workbench.weights', str('checkpoint')],
      ['workbench.source', str(name)],
    ],
    tokenizer: metadata,
    realWeights: true,
    outFile: options.outFile,
    ...(options.overwrite !== undefined ? { overwrite: options.overwrite } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...written, model, sourceDir: source.dir, tokenizer };
}
