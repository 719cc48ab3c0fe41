import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSpec } from '../../../common/catalog/model-spec';
import type { ResolvedModel } from '../../../common/catalog/overrides';
import { parameterCount } from '../../../common/catalog/parameter-count';
import { tensorBreakdown, type WeightTensor } from '../../../common/catalog/tensor-breakdown';
import { LLAMA_FILE_TYPE, type GgufWriteType } from './gguf-format';
import { f32, str, u32, type GgufValue } from './gguf-metadata';
import { writeGguf, type GgufTensorPlan, type WrittenGguf } from './gguf-writer';

/**
 * A Llama-style decoder as a GGUF of llama.cpp's `llama` architecture, whatever its weights are: the
 * synthetic build (seeded weights) and the checkpoint build (real weights) both come through here, each
 * with its own row source, as the ONNX builds share one graph builder fed by a WeightSource.
 *
 * What the `llama` architecture cannot say, and what is done about it:
 * - RoPE: llama.cpp's llama rotates adjacent pairs (2i, 2i+1) — MobileLLM-R1's interleaved RoPE as it
 *   is. A 'half' (rotate_half) model's q/k rows are permuted per head as llama.cpp's converter does
 *   (HF row s·d/2 + i → row 2i + s), which computes the same attention scores.
 * - MobileLLM-R1's weight-free QK-norm (an RMS norm of each q and k head after RoPE) has no place in
 *   it. Synthetic files are written without it: the cost difference is 2 · (heads + kv_heads) · head_dim
 *   multiply-adds per layer and token — for the 950M shape 0.003% of a decode step's 2 · 0.95 G — and
 *   no bytes read; the numbers differ, so greedy ids match the ONNX model built without QK-norm. Real
 *   weights are refused (`keepQkNorm`): without it the file would be a different model.
 * - Qwen3's per-head and OLMo-2's full-width QK-norm with learned weights, OLMo-2's post-norm and
 *   attention biases have llama.cpp architectures of their own (qwen3, olmo2), not written here.
 */

export class GgufBuildError extends Error {
  override name = 'GgufBuildError';
}

/**
 * Where the file's values come from: one tensor of the spec's breakdown at a time, fp32, in the
 * checkpoint's (PyTorch) row-major layout — projections [out, in] — in chunks of whole rows.
 */
export interface GgufRowSource {
  rows(tensor: WeightTensor, chunkElements: number): Iterable<Float32Array> | AsyncIterable<Float32Array>;
}

/**
 * Why a spec cannot be written as a `llama` GGUF, or null when it can. `realWeights`: a weight-free
 * QK-norm cannot be dropped from a real model (synthetic files drop it, see above).
 */
export function llamaGgufRefusal(spec: ModelSpec, id: string, realWeights = false): string | null {
  if (spec.normPlacement !== 'pre') {
    return `${id} puts its norms after the blocks (OLMo-2): llama.cpp runs that as its olmo2 architecture, which the workbench does not write yet.`;
  }
  if (spec.qkNorm === 'learned-per-head-before-rope' || spec.qkNorm === 'learned-full-width-before-rope') {
    return `${id} has a learned QK-norm: llama.cpp runs it as its ${spec.qkNorm === 'learned-per-head-before-rope' ? 'qwen3' : 'olmo2'} architecture, which the workbench does not write yet.`;
  }
  if (realWeights && spec.qkNorm === 'weightless-after-rope') {
    return (
      `${id} normalizes q and k after RoPE (MobileLLM-R1's weight-free QK-norm), which llama.cpp's llama ` +
      'architecture has no place for: its real weights written without it would be a different model. ' +
      'Run it on onnxruntime (models import); synthetic GGUFs of its shapes (models gguf <catalog id>) serve speed and memory.'
    );
  }
  if (spec.attentionBias)
    return `${id} has attention biases, which the workbench's llama GGUF does not write.`;
  if (spec.blockWeightSharing !== 'none') {
    return `${id} shares block weights (block_weight_sharing=${spec.blockWeightSharing}): llama.cpp has no way to run shared blocks; drop the override.`;
  }
  return null;
}

/** HF checkpoint name → llama.cpp tensor name */
export function ggufTensorName(hfName: string): string {
  const fixed: Record<string, string> = {
    'model.embed_tokens.weight': 'token_embd.weight',
    'model.norm.weight': 'output_norm.weight',
    'lm_head.weight': 'output.weight',
  };
  if (fixed[hfName]) return fixed[hfName];
  const match = /^model\.layers\.(\d+)\.(.+)$/.exec(hfName);
  const parts: Record<string, string> = {
    'input_layernorm.weight': 'attn_norm.weight',
    'self_attn.q_proj.weight': 'attn_q.weight',
    'self_attn.k_proj.weight': 'attn_k.weight',
    'self_attn.v_proj.weight': 'attn_v.weight',
    'self_attn.o_proj.weight': 'attn_output.weight',
    'post_attention_layernorm.weight': 'ffn_norm.weight',
  };
  if (match) {
    const [, layer, rest] = match;
    const ffn = /^(?:mlp|feed_forward)\.(gate|up|down)_proj\.weight$/.exec(rest!);
    const mapped = ffn ? `ffn_${ffn[1]}.weight` : parts[rest!];
    if (mapped) return `blk.${layer}.${mapped}`;
  }
  throw new GgufBuildError(`no llama.cpp name for tensor ${hfName}`);
}

/**
 * rotate_half rows → adjacent-pair rows, per head: row 2i + s ← row s · headDim/2 + i, as llama.cpp's
 * convert_hf_to_gguf.py permutes q and k (reshape(heads, 2, d/2, in).swapaxes(1, 2)).
 */
export function permuteForAdjacentRope(rows: Float32Array, heads: number, headDim: number): Float32Array {
  const inWidth = rows.length / (heads * headDim);
  const out = new Float32Array(rows.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h += 1) {
    for (let i = 0; i < half; i += 1) {
      for (let s = 0; s < 2; s += 1) {
        const from = (h * headDim + s * half + i) * inWidth;
        const to = (h * headDim + 2 * i + s) * inWidth;
        out.set(rows.subarray(from, from + inWidth), to);
      }
    }
  }
  return out;
}

/** The type one tensor is written in: norms stay F32 (as llama.cpp's quantizer keeps them). */
function tensorType(tensor: WeightTensor, type: GgufWriteType): GgufWriteType {
  if (tensor.shape.length < 2) return 'F32';
  const rowElements = tensor.shape.at(-1)!;
  if ((type === 'Q8_0' || type === 'Q4_0') && rowElements % 32 !== 0) return 'F16'; // whole blocks only
  return type;
}

/** A q/k projection's rows whole (the permutation moves rows across the matrix), one tensor at a time. */
async function wholeRows(source: GgufRowSource, tensor: WeightTensor): Promise<Float32Array> {
  const values = new Float32Array(tensor.parameters);
  let offset = 0;
  for await (const chunk of source.rows(tensor, tensor.parameters)) {
    values.set(chunk, offset);
    offset += chunk.length;
  }
  return values;
}

function tensorPlan(
  spec: ModelSpec,
  source: GgufRowSource,
  tensor: WeightTensor,
  type: GgufWriteType,
): GgufTensorPlan {
  const plan = { name: ggufTensorName(tensor.name), shape: tensor.shape, type: tensorType(tensor, type) };
  const qk = /\.self_attn\.([qk])_proj\.weight$/.exec(tensor.name)?.[1];
  if (qk && spec.ropeStyle === 'half') {
    const heads = qk === 'q' ? spec.numAttentionHeads : spec.numKeyValueHeads;
    return {
      ...plan,
      chunks: async function* () {
        yield permuteForAdjacentRope(await wholeRows(source, tensor), heads, spec.headDim);
      },
    };
  }
  const rowElements = tensor.shape.at(-1)!;
  const rowsPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / rowElements)); // 16 MiB of fp32
  return { ...plan, chunks: () => source.rows(tensor, rowsPerChunk * rowElements) };
}

/** The `llama.*` keys and the general ones every file carries. */
function llamaMetadata(model: ResolvedModel, name: string, type: GgufWriteType): [string, GgufValue][] {
  const { spec } = model;
  return [
    ['general.architecture', str('llama')],
    ['general.name', str(name)],
    ['general.file_type', u32(LLAMA_FILE_TYPE[type])],
    ['general.quantization_version', u32(2)],
    ['llama.context_length', u32(spec.maxContextTokens)],
    ['llama.embedding_length', u32(spec.hiddenSize)],
    ['llama.block_count', u32(spec.numHiddenLayers)],
    ['llama.feed_forward_length', u32(spec.intermediateSize)],
    ['llama.attention.head_count', u32(spec.numAttentionHeads)],
    ['llama.attention.head_count_kv', u32(spec.numKeyValueHeads)],
    ['llama.attention.key_length', u32(spec.headDim)],
    ['llama.attention.value_length', u32(spec.headDim)],
    ['llama.attention.layer_norm_rms_epsilon', f32(spec.rmsNormEps)],
    ['llama.rope.freq_base', f32(spec.ropeTheta)],
    ['llama.rope.dimension_count', u32(spec.headDim)],
    ['llama.vocab_size', u32(spec.vocabSize)],
  ];
}

export interface LlamaGgufOptions {
  model: ResolvedModel;
  type: GgufWriteType;
  rows: GgufRowSource;
  /** general.name */
  name: string;
  /** the source's own keys (workbench.*) */
  sourceMetadata: readonly [string, GgufValue][];
  /** the tokenizer.ggml.* section */
  tokenizer: readonly [string, GgufValue][];
  /** real weights: refuse what would change the model (see llamaGgufRefusal) */
  realWeights: boolean;
  /** the .gguf to create (its folder is created); must not exist unless `overwrite` */
  outFile: string;
  overwrite?: boolean;
  onProgress?: (progress: { writtenBytes: number; totalBytes: number; tensor: string }) => void;
  signal?: AbortSignal;
}

/** Writes the model as a `llama` GGUF, streaming tensor by tensor from its row source. */
export async function writeLlamaGguf(options: LlamaGgufOptions): Promise<WrittenGguf> {
  const { model, type } = options;
  const refusal = llamaGgufRefusal(model.spec, model.id, options.realWeights);
  if (refusal) throw new GgufBuildError(refusal);
  const outFile = path.resolve(options.outFile);
  if (existsSync(outFile) && !options.overwrite) {
    throw new GgufBuildError(
      `${outFile} already exists: choose another file, or pass --force to replace it.`,
    );
  }
  await mkdir(path.dirname(outFile), { recursive: true });
  const tensors = tensorBreakdown(model.spec).map((tensor) =>
    tensorPlan(model.spec, options.rows, tensor, type),
  );
  return writeGguf(outFile, {
    metadata: [
      ...llamaMetadata(model, options.name, type),
      ...options.sourceMetadata,
      ['workbench.parameters', { type: 'u64', value: BigInt(parameterCount(model.spec)) }],
      ...options.tokenizer,
    ],
    tensors,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
