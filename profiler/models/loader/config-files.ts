import path from 'node:path';
import { z } from 'zod';
import {
  SyntheticRecordSchema,
  type ModelConfigSummary,
  type SyntheticRecord,
} from '../../../common/schemas/model-inspection';
import { readJsonFile } from './json-files';

/**
 * The Hugging Face config.json and the workbench.json beside a decoder. Only the fields the workbench
 * uses are checked; everything else in the file is allowed and ignored.
 */

const positiveCount = z.number().int().positive();

/** config.json as model repos write it; `null` is accepted wherever a field may be absent. */
const HfConfigFileSchema = z.looseObject({
  model_type: z.string().nullish(),
  architectures: z.array(z.string()).nullish(),
  hidden_size: positiveCount.nullish(),
  num_hidden_layers: positiveCount.nullish(),
  num_attention_heads: positiveCount.nullish(),
  num_key_value_heads: positiveCount.nullish(),
  head_dim: positiveCount.nullish(),
  vocab_size: positiveCount.nullish(),
  max_position_embeddings: positiveCount.nullish(),
  tie_word_embeddings: z.boolean().nullish(),
});

export const CONFIG_FILE_NAME = 'config.json';
export const WORKBENCH_FILE_NAME = 'workbench.json';

/** hidden / heads, the width of one attention head, when config.json leaves it implicit. */
function derivedHeadDim(hiddenSize: number | null, heads: number | null): number | null {
  if (hiddenSize === null || heads === null || hiddenSize % heads !== 0) return null;
  return hiddenSize / heads;
}

/** The useful fields of `<dir>/config.json`, or null when the folder has none. */
export async function readConfigSummary(dir: string): Promise<ModelConfigSummary | null> {
  const file = path.join(dir, CONFIG_FILE_NAME);
  const config = await readJsonFile(
    file,
    HfConfigFileSchema,
    'Fix it, or download it again from the model repository.',
  );
  if (!config) return null;
  const hiddenSize = config.hidden_size ?? null;
  const heads = config.num_attention_heads ?? null;
  return {
    model_type: config.model_type ?? null,
    architectures: config.architectures ?? [],
    hidden_size: hiddenSize,
    num_hidden_layers: config.num_hidden_layers ?? null,
    num_attention_heads: heads,
    num_key_value_heads: config.num_key_value_heads ?? heads,
    head_dim: config.head_dim ?? derivedHeadDim(hiddenSize, heads),
    vocab_size: config.vocab_size ?? null,
    max_position_embeddings: config.max_position_embeddings ?? null,
    tie_word_embeddings: config.tie_word_embeddings ?? null,
  };
}

/** `<dir>/workbench.json` of a synthetic model, or null for any other model. */
export async function readSyntheticRecord(dir: string): Promise<SyntheticRecord | null> {
  const file = path.join(dir, WORKBENCH_FILE_NAME);
  const record = await readJsonFile(
    file,
    SyntheticRecordSchema,
    'The workbench writes this file when it builds a synthetic model: rebuild the model, or delete the file.',
  );
  return record ?? null;
}
