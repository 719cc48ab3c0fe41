import { z } from 'zod';
import { ModelSpecSchema } from './model-spec';

/**
 * One catalog entry: a published model's architecture plus the facts people compare it by, each with
 * where it came from (shared/reference/models-facts.md names the public material behind every value).
 */

const sourceText = z.string().min(1);

/** One published benchmark result; null where the source reports "--" (never an invented number). */
export const PublishedScoreSchema = z.object({
  /** percent, 0–100 */
  percent: z.number().min(0).max(100).nullable(),
  source: sourceText,
});
export type PublishedScore = z.infer<typeof PublishedScoreSchema>;

/** The post-trained models' reasoning scores from the MobileLLM-R1 comparison table. */
export const PublishedScoresSchema = z.object({
  /** the table row the numbers belong to, e.g. "SmolLM2-135M-Instruct" */
  row: sourceText,
  math500: PublishedScoreSchema,
  gsm8k: PublishedScoreSchema,
  aime24: PublishedScoreSchema,
  aime25: PublishedScoreSchema,
  liveCodeBenchV6: PublishedScoreSchema,
});
export type PublishedScores = z.infer<typeof PublishedScoresSchema>;

const tokens = z.number().int().positive();

export const ContextFactsSchema = z.object({
  /** tokens; the pre-trained (base) model's context; null where not published */
  baseTokens: tokens.nullable(),
  /** tokens; the post-trained (instruct/reasoning) model's context; null where not published */
  postTrainedTokens: tokens.nullable(),
  source: sourceText,
  /** what is not verified, or where the config and the model card disagree */
  notes: z.string().optional(),
});
export type ContextFacts = z.infer<typeof ContextFactsSchema>;

const tokenId = z.number().int().nonnegative();

export const TokenFactsSchema = z.object({
  bosTokenId: tokenId.nullable(),
  /** every id that ends generation; empty where not known */
  eosTokenIds: z.array(tokenId),
  padTokenId: tokenId.nullable(),
  source: sourceText,
  notes: z.string().optional(),
});
export type TokenFacts = z.infer<typeof TokenFactsSchema>;

export const ModelFamilySchema = z.enum(['MobileLLM-R1', 'Qwen3', 'SmolLM2', 'OLMo-2']);
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

export const CatalogEntrySchema = z.object({
  /** stable id for the CLI, run documents and the variant cache, e.g. "mobilellm-r1-140m" */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  displayName: sourceText,
  family: ModelFamilySchema,
  /** the Hugging Face repo profiled and scored (the post-trained / instruct model) */
  hfRepo: sourceText,
  /** the pre-trained sibling with the same architecture */
  baseHfRepo: sourceText,
  /** transformers class and model_type, as config.json states them */
  architecture: z.object({ className: sourceText, modelType: sourceText }),
  spec: ModelSpecSchema,
  /** parameters; the published total, which parameterCount(spec) must reproduce exactly */
  publishedParameters: z.number().int().positive(),
  sources: z.object({
    /** layers, widths, heads, head_dim, vocab, embedding tying */
    shapes: sourceText,
    /** RMSNorm eps, RoPE (theta and style), QK-norm, norm placement, attention bias */
    attentionAndNorms: sourceText,
    publishedParameters: sourceText,
  }),
  context: ContextFactsSchema,
  tokens: TokenFactsSchema,
  scores: PublishedScoresSchema,
  /** for the UI next to the weight-sharing switch: what the published model does and why */
  blockWeightSharingNote: sourceText,
  /** architecture facts worth knowing when reading its measurements; unverified items say so */
  notes: z.array(sourceText),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
