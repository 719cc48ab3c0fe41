import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../../onnx';
import type { FloatDtype } from '../safetensors-file';
import { SeededUniformStream } from '../../synthetic/seeded-weights';
import { float32ToBfloat16Bits, safetensorsBytes, type TensorToWrite } from './safetensors-writer';

/**
 * Tiny checkpoints in each family's real Hugging Face layout, written by the tests: config.json as the
 * family's repos write it (with the fields the importer must interpret or refuse), tensors under the
 * family's checkpoint names in PyTorch [out, in] order, stored as the dtype given, single-file or
 * sharded with an index. `values` are the numbers as stored (after rounding to the dtype), by name,
 * in PyTorch layout: what a reference reading the safetensors sees.
 */

export type TinyFamily = 'mobilellm-r1' | 'qwen3' | 'smollm2' | 'olmo2';

export interface TinyCheckpoint {
  dir: string;
  config: Record<string, unknown>;
  values: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
}

const LAYERS = 2;
const HIDDEN = 64;
const HEADS = 4;
const KV_HEADS = 2;
const HEAD_DIM = 16;
const FFN = 96;
export const TINY_VOCAB = 256;
const CONTEXT = 128;

function configOf(family: TinyFamily): Record<string, unknown> {
  const common = {
    hidden_size: HIDDEN,
    num_hidden_layers: LAYERS,
    num_attention_heads: HEADS,
    num_key_value_heads: KV_HEADS,
    head_dim: HEAD_DIM,
    vocab_size: TINY_VOCAB,
    max_position_embeddings: CONTEXT,
    rms_norm_eps: 1e-5,
    hidden_act: 'silu',
    bos_token_id: 1,
    eos_token_id: 2,
    torch_dtype: 'bfloat16',
  };
  switch (family) {
    case 'mobilellm-r1':
      return {
        ...common,
        architectures: ['Llama4ForCausalLM'],
        model_type: 'llama4_text',
        intermediate_size: 8 * FFN, // Llama-4's MoE width, unused by the dense MLP
        intermediate_size_mlp: FFN,
        rope_theta: 8_000_000,
        rope_scaling: null,
        use_qk_norm: true,
        no_rope_layers: Array.from({ length: LAYERS }, () => 1),
        moe_layers: [],
        attention_chunk_size: CONTEXT,
        attn_temperature_tuning: false,
        attn_scale: 0.1,
        tie_word_embeddings: true,
        eos_token_id: [2, 3],
      };
    case 'qwen3':
      return {
        ...common,
        architectures: ['Qwen3ForCausalLM'],
        model_type: 'qwen3',
        intermediate_size: FFN,
        rope_theta: 1_000_000,
        rope_scaling: null,
        attention_bias: false,
        use_sliding_window: false,
        tie_word_embeddings: true,
      };
    case 'smollm2':
      return {
        ...common,
        architectures: ['LlamaForCausalLM'],
        model_type: 'llama',
        intermediate_size: FFN,
        rope_theta: 100_000,
        rope_scaling: null,
        attention_bias: false,
        mlp_bias: false,
        tie_word_embeddings: true,
      };
    case 'olmo2':
      return {
        ...common,
        architectures: ['Olmo2ForCausalLM'],
        model_type: 'olmo2',
        intermediate_size: FFN,
        rope_theta: 500_000,
        rope_scaling: null,
        attention_bias: false,
        tie_word_embeddings: false,
        num_key_value_heads: HEADS,
      };
  }
}

/** The family's tensors, named and shaped as its checkpoints store them. */
function tensorShapes(family: TinyFamily, config: Record<string, unknown>): [string, number[]][] {
  const kv = config.num_key_value_heads as number;
  const ffn = family === 'mobilellm-r1' ? 'feed_forward' : 'mlp';
  const tensors: [string, number[]][] = [['model.embed_tokens.weight', [TINY_VOCAB, HIDDEN]]];
  for (let i = 0; i < LAYERS; i += 1) {
    const p = `model.layers.${i}.`;
    if (family !== 'olmo2') tensors.push([`${p}input_layernorm.weight`, [HIDDEN]]);
    tensors.push(
      [`${p}self_attn.q_proj.weight`, [HEADS * HEAD_DIM, HIDDEN]],
      [`${p}self_attn.k_proj.weight`, [kv * HEAD_DIM, HIDDEN]],
      [`${p}self_attn.v_proj.weight`, [kv * HEAD_DIM, HIDDEN]],
      [`${p}self_attn.o_proj.weight`, [HIDDEN, HEADS * HEAD_DIM]],
    );
    if (family === 'qwen3') {
      tensors.push([`${p}self_attn.q_norm.weight`, [HEAD_DIM]], [`${p}self_attn.k_norm.weight`, [HEAD_DIM]]);
    }
    if (family === 'olmo2') {
      tensors.push(
        [`${p}self_attn.q_norm.weight`, [HEADS * HEAD_DIM]],
        [`${p}self_attn.k_norm.weight`, [kv * HEAD_DIM]],
      );
    }
    tensors.push(
      [`${p}post_attention_layernorm.weight`, [HIDDEN]],
      [`${p}${ffn}.gate_proj.weight`, [FFN, HIDDEN]],
      [`${p}${ffn}.up_proj.weight`, [FFN, HIDDEN]],
      [`${p}${ffn}.down_proj.weight`, [HIDDEN, FFN]],
    );
    if (family === 'olmo2') tensors.push([`${p}post_feedforward_layernorm.weight`, [HIDDEN]]);
  }
  tensors.push(['model.norm.weight', [HIDDEN]]);
  if (config.tie_word_embeddings === false) tensors.push(['lm_head.weight', [TINY_VOCAB, HIDDEN]]);
  return tensors;
}

/** Values as stored in `dtype`, read back as fp32. */
function roundTo(dtype: FloatDtype, values: Float32Array): Float32Array {
  if (dtype === 'F32') return values;
  if (dtype === 'F16') return float16BitsToFloat32(float32ToFloat16Bits(values));
  const bits = float32ToBfloat16Bits(values);
  return new Float32Array(Uint32Array.from(bits, (b) => b << 16).buffer);
}

export interface TinyCheckpointOptions {
  dtype: FloatDtype;
  /** split into this many shards with model.safetensors.index.json (default: one model.safetensors) */
  shards?: number;
  seed?: number;
  /** edits to config.json before writing (to test refusals) */
  config?: Record<string, unknown>;
  /** a tokenizer.json to copy beside the weights */
  tokenizerJson?: object;
}

export async function writeTinyCheckpoint(
  dir: string,
  family: TinyFamily,
  options: TinyCheckpointOptions,
): Promise<TinyCheckpoint> {
  const config = { ...configOf(family), ...options.config };
  const shapes = new Map(tensorShapes(family, config));
  const values = new Map<string, Float32Array>();
  const tensors: TensorToWrite[] = [];
  let stream = 0;
  for (const [name, shape] of shapes) {
    stream += 1;
    const norm = /norm\.weight$/.test(name);
    // std 0.1 rather than 0.02: peaked enough that greedy ids do not hinge on float rounding
    const source = new SeededUniformStream(
      (options.seed ?? 7) * 7919 + stream,
      norm ? 1 : 0,
      norm ? 0.2 : 0.17,
    );
    const raw = source.fill(new Float32Array(shape.reduce((a, b) => a * b, 1)));
    values.set(name, roundTo(options.dtype, raw));
    tensors.push({ name, shape, values: raw, dtype: options.dtype });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(
    path.join(dir, 'generation_config.json'),
    JSON.stringify({ bos_token_id: config.bos_token_id, eos_token_id: config.eos_token_id }),
  );
  if (options.tokenizerJson) {
    await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(options.tokenizerJson));
  }
  const shards = options.shards ?? 1;
  if (shards === 1) {
    await writeFile(path.join(dir, 'model.safetensors'), safetensorsBytes(tensors, { format: 'pt' }));
  } else {
    const weightMap: Record<string, string> = {};
    const per = Math.ceil(tensors.length / shards);
    for (let s = 0; s < shards; s += 1) {
      const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      const part = tensors.slice(s * per, (s + 1) * per);
      for (const tensor of part) weightMap[tensor.name] = file;
      await writeFile(path.join(dir, file), safetensorsBytes(part, { format: 'pt' }));
    }
    await writeFile(
      path.join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }, null, 2),
    );
  }
  return { dir, config, values, shapes };
}

/**
 * A character-level tokenizer.json for the tiny vocabulary: id = the character's code (< 256), so a
 * test's text tokenizes predictably with the real @huggingface/tokenizers code path.
 */
export function tinyCharTokenizer(): object {
  const vocab: Record<string, number> = {};
  for (let id = 0; id < TINY_VOCAB; id += 1) vocab[String.fromCharCode(id < 32 ? 0x100 + id : id)] = id;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: 'Split', pattern: { Regex: '.' }, behavior: 'Isolated', invert: false },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '?' },
  };
}

/** GPT-2's printable stand-in for each byte (bytes_to_unicode), as byte-level BPE vocabularies spell them. */
function byteToUnicode(byte: number): string {
  const printable =
    (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  if (printable) return String.fromCharCode(byte);
  let shifted = 0;
  for (let b = 0; b < byte; b += 1) {
    const p = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    if (!p) shifted += 1;
  }
  return String.fromCharCode(256 + shifted);
}

/**
 * A byte-level BPE tokenizer.json (SmolLM2's kind) for the tiny vocabulary: the 256 byte tokens, except
 * ids 1 and 2 (control bytes no text holds) are the special <|im_start|> / <|im_end|> and id 3 is the
 * merge "Ġ t".
 */
export function tinyByteLevelTokenizer(): object {
  const vocab: Record<string, number> = {};
  for (let id = 0; id < TINY_VOCAB; id += 1) if (id < 1 || id > 3) vocab[byteToUnicode(id)] = id;
  vocab['Ġt'] = 3;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: 1,
        content: '<|im_start|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
      {
        id: 2,
        content: '<|im_end|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: ['Ġ t'],
    },
  };
}
