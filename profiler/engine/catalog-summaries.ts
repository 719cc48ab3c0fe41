import type { CatalogSummary } from '../api';
import { catalogEntries, kvBytesPerToken, parameterCount } from '../../common/catalog';

/** The catalog as the run builder shows it: shapes, costs, contexts and published scores. */
export function catalogSummaries(): CatalogSummary[] {
  return catalogEntries.map((entry) => {
    const { spec } = entry;
    return {
      id: entry.id,
      displayName: entry.displayName,
      family: entry.family,
      hfRepo: entry.hfRepo,
      parameters: parameterCount(spec),
      layers: spec.numHiddenLayers,
      hiddenSize: spec.hiddenSize,
      heads: spec.numAttentionHeads,
      kvHeads: spec.numKeyValueHeads,
      headDim: spec.headDim,
      vocabSize: spec.vocabSize,
      tiedEmbeddings: spec.tieWordEmbeddings,
      baseContextTokens: entry.context.baseTokens,
      postTrainedContextTokens: entry.context.postTrainedTokens,
      maxContextTokens: spec.maxContextTokens,
      kvBytesPerTokenFloat16: kvBytesPerToken(spec, 2),
      kvBytesPerTokenFloat32: kvBytesPerToken(spec, 4),
      scores: {
        math500: entry.scores.math500,
        gsm8k: entry.scores.gsm8k,
        aime24: entry.scores.aime24,
        aime25: entry.scores.aime25,
        liveCodeBenchV6: entry.scores.liveCodeBenchV6,
      },
      blockWeightSharingNote: entry.blockWeightSharingNote,
    };
  });
}
