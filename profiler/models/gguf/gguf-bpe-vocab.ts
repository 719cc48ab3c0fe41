import type { GgufValue } from './gguf-metadata';

/**
 * The `tokenizer.ggml.*` section for a Hugging Face byte-level BPE tokenizer (tokenizer.json with a
 * `BPE` model, as SmolLM2's), written as llama.cpp's convert_hf_to_gguf.py writes it (get_vocab_base +
 * _set_vocab_gpt2): model "gpt2", one token per id up to the model's vocabulary size ("[PAD{id}]",
 * UNUSED, where the tokenizer has none), added tokens CONTROL when special and USER_DEFINED otherwise,
 * the merges as "left right" strings, the special ids, and the chat template when there is one.
 */

/** llama_token_type */
const TokenType = { NORMAL: 1, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5 } as const;

export interface BpeVocabInput {
  /** tokenizer.json, parsed */
  tokenizer: Record<string, unknown>;
  /** tokenizer_config.json, parsed, when present */
  tokenizerConfig: Record<string, unknown> | null;
  /** the model's vocabulary (config.json vocab_size): the embedding's rows */
  vocabSize: number;
  /** llama.cpp's pre-tokenizer name (`tokenizer.ggml.pre`), e.g. "smollm" */
  pre: string;
  bosTokenId: number | null;
  eosTokenId: number | null;
  padTokenId: number | null;
}

/** Why a tokenizer.json cannot be written as a gpt2 vocabulary, or the section. */
export type BpeVocabResult = { metadata: [string, GgufValue][] } | { reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByteLevel(part: unknown): boolean {
  if (!isRecord(part)) return false;
  if (part.type === 'ByteLevel') return true;
  const parts = part.pretokenizers ?? part.decoders;
  return Array.isArray(parts) && parts.some(isByteLevel);
}

export function bpeVocabMetadata(input: BpeVocabInput): BpeVocabResult {
  const model = input.tokenizer.model;
  if (!isRecord(model) || model.type !== 'BPE' || !isRecord(model.vocab)) {
    return { reason: 'its tokenizer.json is not a BPE tokenizer' };
  }
  if (!isByteLevel(input.tokenizer.pre_tokenizer) && !isByteLevel(input.tokenizer.decoder)) {
    return { reason: 'its BPE tokenizer is not byte-level (GPT-2 style)' };
  }
  const tokens: (string | undefined)[] = new Array<string | undefined>(input.vocabSize);
  const types = new Int32Array(input.vocabSize).fill(TokenType.UNUSED);
  const place = (token: string, id: unknown, type: number): string | null => {
    if (!Number.isInteger(id) || (id as number) < 0)
      return `token ${JSON.stringify(token)} has id ${String(id)}`;
    if ((id as number) >= input.vocabSize) {
      return `token ${JSON.stringify(token)} has id ${String(id)}, beyond the model's ${input.vocabSize}-row embedding`;
    }
    tokens[id as number] = token;
    types[id as number] = type;
    return null;
  };
  for (const [token, id] of Object.entries(model.vocab)) {
    const problem = place(token, id, TokenType.NORMAL);
    if (problem) return { reason: problem };
  }
  const added = Array.isArray(input.tokenizer.added_tokens) ? input.tokenizer.added_tokens : [];
  for (const entry of added) {
    if (!isRecord(entry) || typeof entry.content !== 'string') continue;
    const problem = place(
      entry.content,
      entry.id,
      entry.special === true ? TokenType.CONTROL : TokenType.USER_DEFINED,
    );
    if (problem) return { reason: problem };
  }
  const filled = Array.from(tokens, (token, id) => token ?? `[PAD${id}]`);
  const merges = (Array.isArray(model.merges) ? model.merges : []).map((merge) =>
    Array.isArray(merge) ? merge.join(' ') : String(merge),
  );
  const metadata: [string, GgufValue][] = [
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: input.pre }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: filled }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'i32', values: types }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', values: merges }],
  ];
  const id = (key: string, value: number | null): void => {
    if (value !== null && value < input.vocabSize) metadata.push([key, { type: 'u32', value }]);
  };
  id('tokenizer.ggml.bos_token_id', input.bosTokenId);
  id('tokenizer.ggml.eos_token_id', input.eosTokenId);
  id('tokenizer.ggml.padding_token_id', input.padTokenId);
  const config = input.tokenizerConfig ?? {};
  for (const [from, key] of [
    ['add_bos_token', 'tokenizer.ggml.add_bos_token'],
    ['add_eos_token', 'tokenizer.ggml.add_eos_token'],
  ] as const) {
    if (typeof config[from] === 'boolean') metadata.push([key, { type: 'bool', value: config[from] }]);
  }
  if (typeof config.chat_template === 'string') {
    metadata.push(['tokenizer.chat_template', { type: 'string', value: config.chat_template }]);
  }
  return { metadata };
}
