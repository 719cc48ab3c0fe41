import { z } from 'zod';

/**
 * How far a quantized variant drifts from its fp32 reference on the same token sequences: the
 * "quality (quantized)" metric of ARCHITECTURE.md. Two measurements: teacher-forced (both models read
 * the same tokens; their next-token distributions are compared at every position) and free-running
 * (both greedy-decode from the same prompt; their continuations are compared token by token).
 */

const byteCount = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
/** a fraction of cases, 0–1 */
const fraction = z.number().min(0).max(1);
/** nats; KL divergence is never negative */
const nats = z.number().nonnegative();

/** One of the two models compared. */
export const QualityModelSchema = z.object({
  /** the folder or .onnx as given */
  path: z.string(),
  /** absolute path of the .onnx that ran */
  modelFile: z.string(),
  /** initializer bytes a session loads (dims × type) */
  weightsBytes: byteCount,
  /** the .onnx plus its external data files */
  diskBytes: byteCount,
  /** learned parameters (ModelInspection.parameters.learned): a variant reports its source's count */
  parameters: count,
});
export type QualityModel = z.infer<typeof QualityModelSchema>;

/** One position of the teacher-forced sequences, averaged over the sequences. */
export const QualityPositionSchema = z.object({
  /** 0-based index of the token whose next-token distribution is compared */
  position: count,
  klMean: nats,
  top1Agreement: fraction,
  /** mean over the vocabulary and the sequences of |logit_ref − logit_variant| */
  meanAbsLogitError: z.number().nonnegative(),
});
export type QualityPosition = z.infer<typeof QualityPositionSchema>;

/** The reference's perplexity on one side of the comparison. */
export const PerplexitySideSchema = z.object({
  /** exp(mean negative log-likelihood of the scored tokens) */
  perplexity: z.number().positive(),
  /** mean negative log-likelihood per scored token, nats */
  meanNllNats: z.number().nonnegative(),
});
export type PerplexitySide = z.infer<typeof PerplexitySideSchema>;

/**
 * Perplexity on the user's text with a sliding window (Hugging Face's "Perplexity of fixed-length
 * models" method, as llama.cpp's perplexity tool): windows of `windowTokens` start every `strideTokens`;
 * each token is scored once, in the first window that holds it after the previous window's end, with
 * the window's earlier tokens as context. No token is added that the tokenizer does not add.
 */
export const PerplexitySchema = z.object({
  windowTokens: z.number().int().positive(),
  strideTokens: z.number().int().positive(),
  /** tokens of the text (as the tokenizer gives them) and tokens scored (all but the first) */
  textTokens: count,
  scoredTokens: count,
  reference: PerplexitySideSchema,
  variant: PerplexitySideSchema,
  /** variant − reference perplexity: what quantization reports usually quote */
  difference: z.number(),
});
export type Perplexity = z.infer<typeof PerplexitySchema>;

/** How self-sampled sequences were made: the reference samples its own text (in-distribution, no dataset). */
export const SelfSamplingSchema = z.object({
  temperature: z.number().positive(),
  seed: z.number().int(),
  /** the token each sequence starts from (the config's BOS when it names one) */
  startTokenIds: z.array(z.number().int().nonnegative()),
});

export const QualityReportSchema = z.object({
  reference: QualityModelSchema,
  variant: QualityModelSchema,
  sequences: z.number().int().positive(),
  /** tokens per teacher-forced sequence, all read in one prefill */
  positionsPerSequence: z.number().int().positive(),
  /** tokens each model greedy-decodes per sequence in the continuation comparison */
  continuationTokens: count,
  overall: z.object({
    /** KL(p_ref ‖ p_variant) over every (sequence, position), nats */
    klMean: nats,
    /** linear-interpolated 99th percentile, nats */
    klP99: nats,
    klMax: nats,
    /** positions where both models' most likely next token is the same */
    top1Agreement: fraction,
    /** over every logit compared */
    maxAbsLogitError: z.number().nonnegative(),
    meanAbsLogitError: z.number().nonnegative(),
    /** sequences whose greedy continuations are identical for all `continuationTokens` tokens */
    identicalContinuations: fraction,
    /** tokens before the two continuations first differ, mean over sequences */
    meanIdenticalPrefix: z.number().nonnegative(),
  }),
  perPosition: z.array(QualityPositionSchema),
  bytes: z.object({
    variantOnDisk: byteCount,
    referenceOnDisk: byteCount,
    variantWeights: byteCount,
    referenceWeights: byteCount,
    /**
     * variant weights bytes ÷ the reference's parameter count: packed 4-bit tensors count stored bytes,
     * not weights, so the reference says how many weights there are
     */
    variantBytesPerParameter: z.number().nonnegative(),
    referenceBytesPerParameter: z.number().nonnegative(),
    /** reference weights bytes ÷ variant weights bytes (4 for fp32 → 8-bit) */
    compression: z.number().nonnegative(),
  }),
  /**
   * self-sampled: sequences the reference sampled itself (temperature 1, `seed`, see `sampling`); text:
   * the user's text (`text`), tokenized with the models' tokenizer; user: token ids given by the caller;
   * seeded: uniform random ids (documents from before real weights only: never in-distribution text)
   */
  tokenSource: z.enum(['self-sampled', 'text', 'user', 'seeded']),
  /** the sampling (or seeded ids') seed; null for text and user sequences */
  seed: z.number().int().nullable(),
  sampling: SelfSamplingSchema.nullable().optional(),
  /** the text file read, and its size in tokens */
  text: z.object({ file: z.string(), tokens: count }).nullable().optional(),
  /** measured on `text` only; null otherwise */
  perplexity: PerplexitySchema.nullable().optional(),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;
