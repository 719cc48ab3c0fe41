import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { parameterCount, type ResolvedModel, type TokenFacts } from '../../../common/catalog';
import { PRODUCER_NAME } from '../../onnx';
import {
  buildDecoderFolder,
  writeJson,
  type BuiltDecoder,
  type DecoderBuildOptions,
} from '../synthetic/decoder-builder';
import type { GraphStyle, LogitsPositions } from '../synthetic/model-config-files';
import { openCheckpointFolder } from './checkpoint-folder';
import { resolveCheckpoint } from './checkpoint-spec';
import { checkpointWeightSource } from './checkpoint-weights';

/** Files beside the weights that tokenizers, chat templates and generation read, copied as they are. */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'generation_config.json',
  'chat_template.jinja',
  'tokenizer.model',
  'vocab.json',
  'merges.txt',
] as const;

export const IMPORT_RECORD_FILE = 'import.json';

/** import.json: where the weights came from, so the folder says it holds real weights and whose. */
export interface ImportRecord {
  kind: 'imported';
  /** the checkpoint folder read */
  sourceDir: string;
  /** hub repo and revision when downloaded; null for a local folder */
  repo: string | null;
  revision: string | null;
  family: string;
  displayName: string;
  /** the catalog entry whose shapes it has, else null (a fine-tune keeps the id; a pruned model has none) */
  catalogId: string | null;
  style: GraphStyle;
  logits: LogitsPositions;
  spec: ResolvedModel['spec'];
  /** learned parameters, as the graph holds them (a tied head once) */
  parameters: number;
  /** the published count when the shapes are a catalog model's */
  publishedParameters: number | null;
  /** stored dtypes of the checkpoint's tensors (all imported as fp32) */
  checkpointDtypes: Record<string, number>;
  importedBy: string;
  importedAt: string;
}

export interface ImportOptions extends Omit<DecoderBuildOptions, 'model'> {
  /** the checkpoint folder (config.json, *.safetensors, tokenizer files) */
  sourceDir: string;
  /** the hub repo and revision it came from, recorded */
  origin?: { repo: string; revision: string };
}

export interface ImportedModel extends BuiltDecoder {
  record: ImportRecord;
}

function idList(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((id): id is number => Number.isInteger(id) && (id as number) >= 0);
}

/** Token ids from the checkpoint's own config (they beat the catalog's, which may be unverified). */
export function tokensOf(config: Record<string, unknown>, fallback: TokenFacts, file: string): TokenFacts {
  const bos = idList(config.bos_token_id)[0];
  const eos = idList(config.eos_token_id);
  const pad = idList(config.pad_token_id)[0];
  return {
    bosTokenId: bos ?? fallback.bosTokenId,
    eosTokenIds: eos.length > 0 ? eos : fallback.eosTokenIds,
    padTokenId: pad ?? fallback.padTokenId,
    source: file,
  };
}

/**
 * Imports a Hugging Face checkpoint into the architecture-faithful graph of its family, in either style,
 * with the real weights: the same Optimum (standard) or onnxruntime-genai (fused) folder the synthetic
 * builder writes, plus the tokenizer files and import.json. Streams tensor by tensor; BF16 and F16 are
 * converted to fp32 on the way.
 */
export async function importCheckpoint(options: ImportOptions): Promise<ImportedModel> {
  const sourceDir = path.resolve(options.sourceDir);
  const checkpoint = await openCheckpointFolder(sourceDir);
  const configFile = path.join(sourceDir, 'config.json');
  const name = options.origin?.repo ?? path.basename(sourceDir);
  const resolved = resolveCheckpoint(configFile, checkpoint.config, name);
  const model: ResolvedModel = {
    ...resolved.model,
    entry: {
      ...resolved.model.entry,
      tokens: tokensOf(checkpoint.config, resolved.model.entry.tokens, configFile),
    },
  };
  const weights = checkpointWeightSource(checkpoint, model.spec);
  const logits = options.logits ?? 'last';
  const record: ImportRecord = {
    kind: 'imported',
    sourceDir,
    repo: options.origin?.repo ?? null,
    revision: options.origin?.revision ?? null,
    family: model.entry.family,
    displayName: name,
    catalogId: resolved.matchedCatalogId,
    style: options.style,
    logits,
    spec: model.spec,
    parameters: parameterCount(model.spec),
    publishedParameters: model.publishedParameters,
    checkpointDtypes: checkpoint.dtypes,
    importedBy: PRODUCER_NAME,
    importedAt: new Date().toISOString(),
  };
  const built = await buildDecoderFolder(
    { ...options, model, logits },
    {
      weights,
      metadata: { weights: 'checkpoint', source: name },
      config: (usesExternalData) => ({
        ...checkpoint.config,
        head_dim: model.spec.headDim,
        torch_dtype: 'float32',
        use_cache: true,
        'transformers.js_config': { use_external_data_format: usesExternalData, kv_cache_dtype: 'float32' },
      }),
      writeExtras: async (tempDir) => {
        for (const file of TOKENIZER_FILES) {
          const from = path.join(sourceDir, file);
          if (existsSync(from)) await copyFile(from, path.join(tempDir, file));
        }
        await writeJson(path.join(tempDir, IMPORT_RECORD_FILE), record);
      },
    },
  );
  return { ...built, record };
}
