import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './json-files';

/**
 * onnxruntime-genai's genai_config.json (make_genai_config in its model builder): which file holds the
 * decoder, and the names its inputs and outputs go by (`past_key_values.%d.key`, …).
 */

export const GENAI_CONFIG_FILE_NAME = 'genai_config.json';

const GenaiConfigFileSchema = z.looseObject({
  model: z.looseObject({
    decoder: z.looseObject({
      filename: z.string().min(1),
      head_size: z.number().int().positive().nullish(),
      num_key_value_heads: z.number().int().positive().nullish(),
      inputs: z.record(z.string(), z.string()).nullish(),
      outputs: z.record(z.string(), z.string()).nullish(),
    }),
  }),
});

/** Tensor names (or `%d` patterns, one per layer) that genai_config.json gives, by genai's keys. */
export interface GenaiNames {
  input_ids?: string;
  attention_mask?: string;
  position_ids?: string;
  past_key_names?: string;
  past_value_names?: string;
  logits?: string;
  present_key_names?: string;
  present_value_names?: string;
}

export interface GenaiConfig {
  file: string;
  /** the decoder's .onnx, resolved against the config's folder */
  decoderFile: string;
  names: GenaiNames;
  kvHeads: number | null;
  headDim: number | null;
}

/** Reads `<dir>/genai_config.json`; undefined when the folder has none. */
export async function readGenaiConfig(dir: string): Promise<GenaiConfig | undefined> {
  const file = path.join(dir, GENAI_CONFIG_FILE_NAME);
  const config = await readJsonFile(
    file,
    GenaiConfigFileSchema,
    "It should be the one onnxruntime-genai's model builder wrote: export the model again, or fix the file.",
  );
  if (!config) return undefined;
  const { decoder } = config.model;
  return {
    file,
    decoderFile: path.resolve(dir, decoder.filename),
    names: { ...decoder.inputs, ...decoder.outputs },
    kvHeads: decoder.num_key_value_heads ?? null,
    headDim: decoder.head_size ?? null,
  };
}
