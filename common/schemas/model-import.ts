import { z } from 'zod';

/**
 * Importing a published checkpoint's real weights through the engine (the run builder's "Use real
 * weights"): a catalog id or a hub repo id, downloaded into the Hugging Face cache when it is not there,
 * then written into the workbench's graphs. Folders on disk are imported with the CLI.
 */
export const ImportModelRequestSchema = z
  .object({
    /** a catalog id ("mobilellm-r1-140m") or a hub repo id ("facebook/MobileLLM-R1-140M") */
    source: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/, 'a catalog id or a hub repo id (org/name)'),
    style: z.enum(['fused', 'standard']).default('fused'),
    /** hub branch, tag or commit */
    revision: z
      .string()
      .max(200)
      .regex(/^[\w.-]+$/, 'a branch, tag or commit')
      .default('main'),
  })
  .strict();
export type ImportModelRequest = z.input<typeof ImportModelRequestSchema>;

export const ImportedModelSchema = z.object({
  /** the model folder, in the data folder's models/imported/ */
  dir: z.string(),
  repo: z.string(),
  /** the commit the revision resolved to */
  commit: z.string(),
  family: z.string(),
  style: z.enum(['fused', 'standard']),
  parameters: z.number().int().nonnegative(),
  /** the published count when the shapes are a catalog model's */
  publishedParameters: z.number().int().nonnegative().nullable(),
  /** bytes fetched from the hub now (0: everything was cached) */
  downloadedBytes: z.number().int().nonnegative(),
  /** true when the folder already held this commit's import */
  reused: z.boolean(),
});
export type ImportedModel = z.infer<typeof ImportedModelSchema>;

/** Progress of one import, for the card that started it. */
export const ImportEventSchema = z.object({
  kind: z.literal('import'),
  /** the request's source */
  source: z.string(),
  stage: z.enum(['download', 'import', 'done', 'failed']),
  /** bytes of this stage done and in all (download: files; import: fp32 weights written) */
  doneBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  file: z.string().optional(),
  /** why it failed (a gated repo's licence message, offline, …) */
  message: z.string().optional(),
});
export type ImportEvent = z.infer<typeof ImportEventSchema>;
