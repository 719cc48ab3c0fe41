import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSpec } from '../../../common/catalog/model-spec';
import type { ResolvedModel } from '../../../common/catalog/overrides';
import { parameterCount } from '../../../common/catalog/parameter-count';
import { tensorBreakdown, type WeightTensor } from '../../../common/catalog/tensor-breakdown';
import { LLAMA_FILE_TYPE, type GgufWriteType } from '../gguf/gguf-format';
import { f32, str, u32, type GgufValue } from '../gguf/gguf-metadata';
import { syntheticVocabMetadata } from '../gguf/gguf-vocab';
import { writeGguf, type GgufTensorPlan, type WrittenGguf } from '../gguf/gguf-writer';
import { isProjectionWeight, seededTensorChunks, seededTensorValues } from './seeded-weights';

/**
 * The synthetic models as GGUF files for llama.cpp, with the same seeded weights as the ONNX builds
 * (each tensor's values depend only on seed and checkpoint name), in llama.cpp's `llama` architecture.
 *
 * What the `llama` architecture cannot say, and what is done about it:
 * - RoPE: llama.cpp's llama rotates adjacent pairs (2i, 2i+1) — MobileLLM-R1's interleaved RoPE as it
 *   is. A 'half' (rotate_half) model's q/k rows are permuted per head as llama.cpp's converter does
 *   (HF row s·d/2 + i → row 2i + s), which computes the same attention scores.
 * - MobileLLM-R1's weight-free QK-norm (an RMS norm of each q and k head after RoPE) has no place in
 *   it: the file is written without it. The cost difference is 2 · (heads + kv_heads) · head_dim
 *   multiply-adds per layer and token — for the 950M shape 0.003% of a decode step's 2 · 0.95 G — and
 *   no bytes read; the numbers differ, so greedy ids match the ONNX model built without QK-norm.
 * - Qwen3's per-head and OLMo-2's full-width QK-norm with learned weights, OLMo-2's post-norm and
 *   attention biases have llama.cpp architectures of their own (qwen3, olmo2), not written here.
 */

export class GgufBuildError extends Error {
  override name = 'GgufBuildError';
}

/** Why a spec cannot be written as a `llama` GGUF, or null when it can. */
export function llamaGgufRefusal(spec: ModelSpec, id: string): string | null {
  if (spec.normPlacement !== 'pre') {
    return `${id} puts its norms after the blocks (OLMo-2): llama.cpp runs that as its olmo2 architecture, which the workbench does not write yet.`;
  }
  if (spec.qkNorm === 'learned-per-head-before-rope' || spec.qkNorm === 'learned-full-width-before-rope') {
    return `${id} has a learned QK-norm: llama.cpp runs it as its ${spec.qkNorm === 'learned-per-head-before-rope' ? 'qwen3' : 'olmo2'} architecture, which the workbench does not write yet.`;
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

/** [in, out] (ONNX MatMul layout) → [out, in] (the checkpoint's, which GGUF stores with ne[0] = in). */
function transpose(values: Float32Array, inWidth: number, outWidth: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < inWidth; i += 1) {
    const row = i * outWidth;
    for (let o = 0; o < outWidth; o += 1) out[o * inWidth + i] = values[row + o]!;
  }
  return out;
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

function tensorPlan(
  spec: ModelSpec,
  seed: number,
  tensor: WeightTensor,
  type: GgufWriteType,
): GgufTensorPlan {
  const name = ggufTensorName(tensor.name);
  const written = tensorType(tensor, type);
  if (!isProjectionWeight(tensor.name)) {
    const rowElements = tensor.shape.at(-1)!;
    const rowsPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / rowElements));
    return {
      name,
      shape: tensor.shape,
      type: written,
      chunks: () => seededTensorChunks(seed, tensor, rowsPerChunk * rowElements),
    };
  }
  const [outWidth, inWidth] = tensor.shape as [number, number];
  const qk = /\.self_attn\.([qk])_proj\.weight$/.exec(tensor.name)?.[1];
  return {
    name,
    shape: tensor.shape,
    type: written,
    chunks: function* () {
      const rows = transpose(seededTensorValues(seed, tensor), inWidth, outWidth);
      if (qk && spec.ropeStyle === 'half') {
        const heads = qk === 'q' ? spec.numAttentionHeads : spec.numKeyValueHeads;
        yield permuteForAdjacentRope(rows, heads, spec.headDim);
      } else {
        yield rows;
      }
    },
  };
}

function llamaMetadata(model: ResolvedModel, seed: number, type: GgufWriteType): [string, GgufValue][] {
  const { spec } = model;
  return [
    ['general.architecture', str('llama')],
    ['general.name', str(`${model.displayName} (synthetic, seed ${seed})`)],
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
    ['workbench.catalog_id', str(model.id)],
    ['workbench.seed', u32(seed)],
    ['workbench.parameters', { type: 'u64', value: BigInt(parameterCount(spec)) }],
    ...syntheticVocabMetadata(spec.vocabSize),
  ];
}

export interface GgufBuildOptions {
  model: ResolvedModel;
  seed: number;
  type: GgufWriteType;
  /** the .gguf to create (its folder is created); must not exist unless `overwrite` */
  outFile: string;
  overwrite?: boolean;
  onProgress?: (progress: { writtenBytes: number; totalBytes: number; tensor: string }) => void;
  signal?: AbortSignal;
}

/** Writes the catalog model as a `llama` GGUF with seeded weights, streaming tensor by tensor. */
export async function buildSyntheticGguf(options: GgufBuildOptions): Promise<WrittenGguf> {
  const { model, seed, type } = options;
  const refusal = llamaGgufRefusal(model.spec, model.id);
  if (refusal) throw new GgufBuildError(refusal);
  const outFile = path.resolve(options.outFile);
  if (existsSync(outFile) && !options.overwrite) {
    throw new GgufBuildError(
      `${outFile} already exists: choose another file, or pass --force to replace it.`,
    );
  }
  await mkdir(path.dirname(outFile), { recursive: true });
  const tensors = tensorBreakdown(model.spec).map((tensor) => tensorPlan(model.spec, seed, tensor, type));
  return writeGguf(outFile, {
    metadata: llamaMetadata(model, seed, type),
    tensors,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
