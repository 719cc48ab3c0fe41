/**
 * tokens; the context lengths the workbench offers and reports by default: the run builder's chips, the
 * KV-pressure tables and the KV-vs-context charts (512 … 32K). Zod-free, for the renderer too.
 */
export const STANDARD_CONTEXTS_TOKENS: readonly number[] = Object.freeze([
  512, 1024, 2048, 4096, 8192, 16384, 32768,
]);
