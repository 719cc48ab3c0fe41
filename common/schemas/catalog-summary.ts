import { z } from 'zod';

const score = z.object({ percent: z.number().nullable(), source: z.string() });

/** What the run builder shows of a catalog model: its shape, costs and published scores. */
export const CatalogSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  family: z.string(),
  hfRepo: z.string(),
  parameters: z.number().int(),
  layers: z.number().int(),
  hiddenSize: z.number().int(),
  heads: z.number().int(),
  kvHeads: z.number().int(),
  headDim: z.number().int(),
  vocabSize: z.number().int(),
  tiedEmbeddings: z.boolean(),
  /** tokens; null where not published */
  baseContextTokens: z.number().int().nullable(),
  postTrainedContextTokens: z.number().int().nullable(),
  maxContextTokens: z.number().int(),
  /** bytes of KV cache per token of context, fp16 and fp32 */
  kvBytesPerTokenFloat16: z.number().int(),
  kvBytesPerTokenFloat32: z.number().int(),
  scores: z.object({ math500: score, gsm8k: score, aime24: score, aime25: score, liveCodeBenchV6: score }),
  blockWeightSharingNote: z.string(),
});
export type CatalogSummary = z.infer<typeof CatalogSummarySchema>;
