import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A model folder's tokenizer (tokenizer.json + tokenizer_config.json), for text prompts and live text. */
export interface TextTokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

function readJson(file: string): object {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as object;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The tokenizer beside a model: in the folder, or above an `onnx/` subfolder (Optimum layout). Null
 * when the folder has none (synthetic models have none: they are profiled with token ids).
 */
export function loadTokenizer(modelDir: string): TextTokenizer | null {
  const candidates = [modelDir, path.dirname(modelDir)];
  const dir = candidates.find((candidate) => existsSync(path.join(candidate, 'tokenizer.json')));
  if (!dir) return null;
  const configFile = path.join(dir, 'tokenizer_config.json');
  const tokenizer = new Tokenizer(
    readJson(path.join(dir, 'tokenizer.json')),
    existsSync(configFile) ? readJson(configFile) : {},
  );
  return {
    encode: (text) => tokenizer.encode(text).ids,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
  };
}
