import { z } from 'zod';

/**
 * The architecture of one decoder-only model: every shape and switch that decides its tensors, its
 * compute and its KV cache. Catalog entries carry one; what-if overrides produce new ones; the synthetic
 * ONNX builder and the parameter arithmetic read only this.
 */

/**
 * How RoPE pairs the elements of a head. 'interleaved': adjacent pairs (2i, 2i+1), as Llama-4 views q/k
 * as complex numbers (MobileLLM-R1). 'half': element i with i + head_dim/2, Llama-2's rotate_half.
 */
export const RopeStyleSchema = z.enum(['interleaved', 'half']);
export type RopeStyle = z.infer<typeof RopeStyleSchema>;

/**
 * Normalisation of queries and keys inside attention.
 * - 'none': no QK-norm (Llama, SmolLM2).
 * - 'weightless-after-rope': Llama4TextL2Norm, x·rsqrt(mean(x²)+eps) per head, no weight, after RoPE
 *   (MobileLLM-R1).
 * - 'learned-per-head-before-rope': RMSNorm with a [head_dim] weight, per head, before RoPE (Qwen3).
 * - 'learned-full-width-before-rope': RMSNorm over the whole projection, weights [heads·head_dim] for q
 *   and [kv_heads·head_dim] for k, before the reshape into heads and before RoPE (OLMo-2).
 */
export const QkNormSchema = z.enum([
  'none',
  'weightless-after-rope',
  'learned-per-head-before-rope',
  'learned-full-width-before-rope',
]);
export type QkNorm = z.infer<typeof QkNormSchema>;

/**
 * Where each block's two RMSNorms sit. 'pre': on the sublayer input (input_layernorm,
 * post_attention_layernorm before the MLP). 'post': on the sublayer output, inside the residual
 * (OLMo-2: post_attention_layernorm, post_feedforward_layernorm; no input norm).
 */
export const NormPlacementSchema = z.enum(['pre', 'post']);
export type NormPlacement = z.infer<typeof NormPlacementSchema>;

/**
 * MobileLLM-style weight sharing, a what-if: 'immediate-blockwise' runs every block pair (2k, 2k+1) with
 * one set of weights, so the unique block weights halve while the compute (layer count) stays.
 */
export const BlockWeightSharingSchema = z.enum(['none', 'immediate-blockwise']);
export type BlockWeightSharing = z.infer<typeof BlockWeightSharingSchema>;

/**
 * The checkpoint's module name for the SwiGLU block: 'feed_forward' in Llama-4 (MobileLLM-R1), 'mlp'
 * elsewhere. Only tensor names depend on it.
 */
export const FfnModuleNameSchema = z.enum(['mlp', 'feed_forward']);
export type FfnModuleName = z.infer<typeof FfnModuleNameSchema>;

const count = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const ModelSpecFieldsSchema = z.object({
  numHiddenLayers: count,
  /** elements; the residual stream width */
  hiddenSize: count,
  /** elements; the real SwiGLU width (gate/up out, down in), Llama-4's intermediate_size_mlp */
  intermediateSize: count,
  numAttentionHeads: count,
  numKeyValueHeads: count,
  /** elements per head; explicit, since it need not be hidden_size / heads (Qwen3: 128 ≠ 1024/16) */
  headDim: count,
  /** tokens in the embedding table */
  vocabSize: count,
  /** lm_head reuses embed_tokens (no separate lm_head tensor) */
  tieWordEmbeddings: z.boolean(),
  /** the epsilon added to mean(x²) in every RMSNorm */
  rmsNormEps: z.number().positive(),
  /** RoPE base frequency */
  ropeTheta: z.number().positive(),
  ropeStyle: RopeStyleSchema,
  qkNorm: QkNormSchema,
  normPlacement: NormPlacementSchema,
  /** bias on q/k/v/o projections (HF `attention_bias`, all four or none) */
  attentionBias: z.boolean(),
  /** tokens; the longest context the model is meant to run (the post-trained one where known) */
  maxContextTokens: count,
  blockWeightSharing: BlockWeightSharingSchema,
  ffnModuleName: FfnModuleNameSchema,
});

/**
 * The config.json-style name of each field, as users write it in overrides and as errors quote it.
 * One table, so messages and override keys never drift apart.
 */
export const specFieldConfigNames = {
  numHiddenLayers: 'num_hidden_layers',
  hiddenSize: 'hidden_size',
  intermediateSize: 'intermediate_size',
  numAttentionHeads: 'num_attention_heads',
  numKeyValueHeads: 'num_key_value_heads',
  headDim: 'head_dim',
  vocabSize: 'vocab_size',
  tieWordEmbeddings: 'tie_word_embeddings',
  rmsNormEps: 'rms_norm_eps',
  ropeTheta: 'rope_theta',
  ropeStyle: 'rope_style',
  qkNorm: 'qk_norm',
  normPlacement: 'norm_placement',
  attentionBias: 'attention_bias',
  maxContextTokens: 'max_context_tokens',
  blockWeightSharing: 'block_weight_sharing',
  ffnModuleName: 'ffn_module_name',
} as const satisfies Record<keyof z.infer<typeof ModelSpecFieldsSchema>, string>;

/** Field values plus the cross-field rules a runnable decoder needs. */
export const ModelSpecSchema = ModelSpecFieldsSchema.superRefine((spec, ctx) => {
  const name = specFieldConfigNames;
  if (spec.numAttentionHeads % spec.numKeyValueHeads !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['numAttentionHeads'],
      message:
        `${name.numAttentionHeads}=${spec.numAttentionHeads} is not a multiple of ` +
        `${name.numKeyValueHeads}=${spec.numKeyValueHeads}: grouped-query attention needs every KV head ` +
        'to serve the same number of query heads',
    });
  }
  if (spec.headDim % 2 !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['headDim'],
      message: `${name.headDim}=${spec.headDim} is odd: RoPE rotates pairs of elements, so it must be even`,
    });
  }
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
