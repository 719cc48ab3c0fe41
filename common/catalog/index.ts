/**
 * The model catalog: published architectures of MobileLLM-R1 and its comparison peers, their parameter
 * and memory arithmetic, and what-if overrides. Facts and sources: shared/reference/models-facts.md.
 */
export {
  BlockWeightSharingSchema,
  FfnModuleNameSchema,
  ModelSpecSchema,
  NormPlacementSchema,
  QkNormSchema,
  RopeStyleSchema,
  specFieldConfigNames,
} from './model-spec';
export type {
  BlockWeightSharing,
  FfnModuleName,
  ModelSpec,
  NormPlacement,
  QkNorm,
  RopeStyle,
} from './model-spec';
export {
  CatalogEntrySchema,
  ContextFactsSchema,
  ModelFamilySchema,
  PublishedScoreSchema,
  PublishedScoresSchema,
  TokenFactsSchema,
} from './catalog-entry';
export type {
  CatalogEntry,
  ContextFacts,
  ModelFamily,
  PublishedScore,
  PublishedScores,
  TokenFacts,
} from './catalog-entry';
export { catalogEntries, catalogIds, getCatalogEntry } from './catalog-entries';
export { CatalogError } from './catalog-error';
export type { CatalogErrorCode } from './catalog-error';
export {
  parameterBreakdown,
  parameterCount,
  storedBlockCount,
  uniqueParameterCount,
} from './parameter-count';
export type { ParameterBreakdown } from './parameter-count';
export { blockWeightSourceLayer, tensorBreakdown } from './tensor-breakdown';
export type { WeightTensor } from './tensor-breakdown';
export { kvBytesPerToken, weightsBytes } from './memory-bytes';
export { OverrideKeySchema, overrideKeyHelp, parseOverrides, resolveModel } from './overrides';
export type { OverrideKey, OverrideValues, ResolvedModel } from './overrides';
export { NEEDS_REAL_WEIGHTS, SCORE_LABELS, publishedScoresText } from './published-scores';
export type { ScoreKey } from './published-scores';
