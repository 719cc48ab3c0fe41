import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A model folder's tokenizer (tokenizer.json + tokenizer_config.json), for text prompts and live text. */
export interface TextTokenizer {
  /** ids as the tokenizer encodes the text, with the special tokens its post-processor adds */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /**
   * The text as one user turn of the model's chat template (tokenizer_config.json's chat_template or
   * chat_template.jinja), with the assistant's turn opened, encoded as transformers'
   * apply_chat_template does: the template writes the special tokens, the encoder adds none. Null when
   * the folder has no chat template.
   */
  encodeChat(text: string): number[] | null;
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** A special token as tokenizer_config.json writes it: a string or an AddedToken object. */
function tokenText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { content?: unknown }).content === 'string'
  )
    return (value as { content: string }).content;
  return '';
}

/** The chat template: chat_template.jinja beside the tokenizer, else tokenizer_config.json's (the default one of a list). */
function chatTemplateOf(dir: string, config: Record<string, unknown>): string | null {
  const file = path.join(dir, 'chat_template.jinja');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const template = config.chat_template;
  if (typeof template === 'string') return template;
  if (Array.isArray(template)) {
    const named = template as { name?: string; template?: string }[];
    return (named.find((entry) => entry.name === 'default') ?? named[0])?.template ?? null;
  }
  return null;
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
  const config = existsSync(configFile) ? readJson(configFile) : {};
  const tokenizer = new Tokenizer(readJson(path.join(dir, 'tokenizer.json')), config);
  const templateText = chatTemplateOf(dir, config);
  const template = templateText === null ? null : new Template(templateText);
  return {
    encode: (text) => tokenizer.encode(text).ids,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
    encodeChat: (text) => {
      if (!template) return null;
      const rendered = template.render({
        messages: [{ role: 'user', content: text }],
        add_generation_prompt: true,
        bos_token: tokenText(config.bos_token),
        eos_token: tokenText(config.eos_token),
      });
      return tokenizer.encode(rendered, { add_special_tokens: false }).ids;
    },
  };
}
