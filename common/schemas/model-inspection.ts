import { z } from 'zod';

/**
 * What the workbench learns from a model folder or .onnx file before it runs anything: where the
 * decoder is, how it is fed (read from the graph, not assumed), what it holds and what its KV cache
 * costs. Produced by profiler/models' loader without reading any weights.
 */

/** How the folder is organised: Optimum / transformers.js, onnxruntime-genai, or a lone .onnx. */
export const ModelLayoutSchema = z.enum(['optimum', 'genai', 'bare-onnx']);
export type ModelLayout = z.infer<typeof ModelLayoutSchema>;

/**
 * transformers.js dtype labels and the file-name suffix each stands for (utils/dtypes.js): fp32 has no
 * suffix, q8 is `_quantized`, the rest are `_<label>`.
 */
export const TRANSFORMERS_JS_DTYPE_SUFFIXES = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
  q2: '_q2',
  q2f16: '_q2f16',
  q1: '_q1',
  q1f16: '_q1f16',
} as const;
export type TransformersJsDtype = keyof typeof TRANSFORMERS_JS_DTYPE_SUFFIXES;

const byteCount = z.number().int().nonnegative();
const elementCount = z.number().int().nonnegative();
const positiveCount = z.number().int().positive();

/** One external data file, e.g. `model.onnx_data` or `model.onnx_data_1`. */
export const ExternalFileSchema = z.object({
  /** relative to the .onnx file's folder, as the model (or the naming convention) spells it */
  name: z.string(),
  /** size on disk */
  bytes: byteCount,
});
export type ExternalFile = z.infer<typeof ExternalFileSchema>;

/** One decoder file of an Optimum folder's onnx/ (`model.onnx`, `model_q4.onnx`, …). */
export const ModelVariantSchema = z.object({
  /**
   * transformers.js dtype label from the suffix (fp32, fp16, int8, uint8, q8, q4, q4f16, bnb4, q2,
   * q2f16, q1, q1f16); for a suffix transformers.js does not know, the suffix without its underscore
   */
  dtype: z.string(),
  /** file name inside onnx/ */
  file: z.string(),
  /** size of the .onnx itself */
  onnxBytes: byteCount,
  /** `<file>_data`, `<file>_data_1`, … found beside it (the transformers.js chunk naming) */
  externalFiles: z.array(ExternalFileSchema),
});
export type ModelVariant = z.infer<typeof ModelVariantSchema>;

/** The config.json fields the workbench uses, under their config.json names; null where absent. */
export const ModelConfigSummarySchema = z.object({
  model_type: z.string().nullable(),
  architectures: z.array(z.string()),
  hidden_size: positiveCount.nullable(),
  num_hidden_layers: positiveCount.nullable(),
  num_attention_heads: positiveCount.nullable(),
  /** num_attention_heads when config.json omits it (Hugging Face's own default: no GQA) */
  num_key_value_heads: positiveCount.nullable(),
  /** hidden_size / num_attention_heads when config.json omits it and that divides evenly */
  head_dim: positiveCount.nullable(),
  vocab_size: positiveCount.nullable(),
  /** tokens */
  max_position_embeddings: positiveCount.nullable(),
  tie_word_embeddings: z.boolean().nullable(),
});
export type ModelConfigSummary = z.infer<typeof ModelConfigSummarySchema>;

/**
 * workbench.json, the record the synthetic builder leaves beside the models it builds. Loose: `spec`
 * and `overrides` belong to the catalog's schemas, which this zod-only module cannot import.
 */
export const SyntheticRecordSchema = z.looseObject({
  kind: z.literal('synthetic'),
  catalogId: z.string(),
  displayName: z.string(),
  seed: z.number().int(),
  style: z.enum(['fused', 'standard']),
  /** which positions the logits cover; folders built before the option computed every position's */
  logits: z.enum(['last', 'all']).default('all'),
  /** parameters as the model runs / as stored (they differ under block weight sharing) */
  parameters: elementCount,
  storedParameters: elementCount,
  publishedParameters: elementCount.nullable(),
  builtBy: z.string(),
  builtAt: z.string(),
});
export type SyntheticRecord = z.infer<typeof SyntheticRecordSchema>;

/** A graph input or output as the graph declares it. */
export const TensorSignatureSchema = z.object({
  name: z.string(),
  /** onnxruntime-node tensor type ('int64', 'float32', 'float16', …); lower-case ONNX name otherwise */
  dtype: z.string(),
  /** numbers are fixed sizes, strings symbolic dims ('batch_size'), '?' unnamed; null: unknown rank */
  dims: z.array(z.union([z.number().int().nonnegative(), z.string()])).nullable(),
});
export type TensorSignature = z.infer<typeof TensorSignatureSchema>;

/** Which graph tensor plays which part in a decode step; past/present lists are in layer order. */
export const DecoderRolesSchema = z.object({
  inputIds: z.string(),
  attentionMask: z.string().nullable(),
  positionIds: z.string().nullable(),
  pastKeys: z.array(z.string()),
  pastValues: z.array(z.string()),
  presentKeys: z.array(z.string()),
  presentValues: z.array(z.string()),
  logits: z.string(),
});
export type DecoderRoles = z.infer<typeof DecoderRolesSchema>;

export const DecoderSignatureSchema = z.object({
  /** graph inputs that are not initializers, in graph order */
  inputs: z.array(TensorSignatureSchema),
  outputs: z.array(TensorSignatureSchema),
  roles: DecoderRolesSchema,
  /** past/present are [batch, kv_heads, sequence, head_dim] */
  kvLayout: z.literal('BNSH'),
  /** the past inputs' tensor type, as `dtype` above */
  kvDtype: z.string(),
  /** number of past key/value pairs */
  numLayers: positiveCount,
  /**
   * From the past inputs' dims where they are numbers; else config.json's num_key_value_heads /
   * head_dim; else genai_config.json's; null when none says
   */
  kvHeads: positiveCount.nullable(),
  headDim: positiveCount.nullable(),
  /**
   * Which positions the logits output covers: 'last' (a [batch, 1, vocab] output, as onnxruntime-genai
   * and llama.cpp compute), 'all' (one row per input token, as most Optimum exports), 'unknown' when the
   * graph's dims do not say (the runner then reads it off the first run)
   */
  logitsPositions: z.enum(['all', 'last', 'unknown']).default('unknown'),
  /**
   * true when every past input feeds GroupQueryAttention alone and every present comes out of it: the
   * cache can then live in one preallocated buffer per tensor, written in place (onnxruntime-genai's
   * past_present_share_buffer); a Concat-based graph (Optimum's) cannot
   */
  canShareKvBuffer: z.boolean().default(false),
});
export type DecoderSignature = z.infer<typeof DecoderSignatureSchema>;

export const ModelInspectionSchema = z.object({
  /** the folder or file as given */
  path: z.string(),
  layout: ModelLayoutSchema,
  /** absolute path of the .onnx that was inspected */
  modelFile: z.string(),
  /** dtype label of the chosen Optimum variant; null for the other layouts */
  variant: z.string().nullable(),
  /** Optimum layout: every `onnx/model*.onnx`, preferred first; empty for the other layouts */
  variants: z.array(ModelVariantSchema),
  /** null when there is no config.json */
  config: ModelConfigSummarySchema.nullable(),
  /** the parsed workbench.json of a synthetic model; null for any other model */
  synthetic: SyntheticRecordSchema.nullable(),
  signature: DecoderSignatureSchema,
  /** node count per operator, `domain.OpType` outside the default ONNX domain; subgraphs included */
  operators: z.record(z.string(), positiveCount),
  parameters: z.object({
    /**
     * Learned parameters: the weights the network learns, as a model card counts them — quantized
     * weights at their logical size (MatMulNBits B as K × N), a tied embedding / head once; no shape
     * constants, scalars, rotary caches, quantization scales or zero points, or all-ones placeholder
     * scales (profiler/models/loader/learned-parameters.ts has the rule)
     */
    learned: elementCount,
    /** elements of every initializer as stored (packed 4-bit weights count as their uint8 elements) */
    initializerElements: elementCount,
    /** initializer elements by type, keyed like TensorSignature.dtype */
    byDtype: z.record(z.string(), elementCount),
  }),
  bytes: z.object({
    /** the .onnx file */
    onnxFile: byteCount,
    /** the external data files on disk, alignment padding included */
    externalData: byteCount,
    /** sum of initializer data sizes from dims × type: what a session loads */
    weights: byteCount,
    byDtype: z.record(z.string(), byteCount),
    /**
     * Weight bytes one decode step (one token) reads: initializers a MatMul / norm / other node reads
     * in full, one row of each table only gathered (untied embedding, rotary caches), no shape
     * constants or scalars. The KV cache is not included (profiler/models/loader/decode-read-bytes.ts)
     */
    readPerDecodeToken: byteCount,
  }),
  /** the external data files the model's tensors point at */
  externalFiles: z.array(ExternalFileSchema),
  /** 2 · layers · kv_heads · head_dim · bytes per KV element; null when kv_heads or head_dim is unknown */
  kvBytesPerToken: byteCount.nullable(),
});
export type ModelInspection = z.infer<typeof ModelInspectionSchema>;
