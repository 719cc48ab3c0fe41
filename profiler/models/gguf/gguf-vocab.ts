import type { GgufValue } from './gguf-metadata';

/**
 * The `tokenizer.ggml.*` section of a synthetic model: a SentencePiece-style ("llama") vocabulary of
 * the model's size that llama.cpp loads without complaint — <unk>, <s>, </s>, the 256 byte tokens
 * SentencePiece's byte fallback needs (newline among them), then one placeholder word per remaining id.
 * The workbench feeds token ids, never text, to synthetic models: the words carry no meaning, and text
 * tokenized with them means nothing either (as the ONNX builds, which have no tokenizer at all).
 */

/** llama_token_type */
const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

export const SYNTHETIC_BOS_ID = 1;
export const SYNTHETIC_EOS_ID = 2;

export function syntheticVocabMetadata(vocabSize: number): [string, GgufValue][] {
  const tokens: string[] = [];
  const types: number[] = [];
  const push = (token: string, type: number): void => {
    if (tokens.length < vocabSize) {
      tokens.push(token);
      types.push(type);
    }
  };
  push('<unk>', TokenType.UNKNOWN);
  push('<s>', TokenType.CONTROL);
  push('</s>', TokenType.CONTROL);
  // byte tokens only when all 256 fit: a partial set would make byte fallback fail on some bytes
  if (vocabSize >= 3 + 256) {
    for (let byte = 0; byte < 256; byte += 1) {
      push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TokenType.BYTE);
    }
  }
  for (let id = tokens.length; id < vocabSize; id += 1) push(`\u2581w${id}`, TokenType.NORMAL);
  const scores = Float32Array.from(tokens, (_, id) => -id); // earlier ids preferred, as in SentencePiece
  return [
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: tokens }],
    ['tokenizer.ggml.scores', { type: 'array', itemType: 'f32', values: scores }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'i32', values: types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: SYNTHETIC_BOS_ID }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: SYNTHETIC_EOS_ID }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
  ];
}
