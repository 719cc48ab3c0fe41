import type { ModelSpec } from './model-spec';

/**
 * Parameter arithmetic from the shapes alone, in closed form. tensor-breakdown.ts lists the same weights
 * tensor by tensor; the tests hold the two to the same totals, so either one catches a slip in the other.
 */

/** Parameters by part of the model. Every field counts parameters (elements), not bytes. */
export interface ParameterBreakdown {
  /** embed_tokens: vocab × hidden */
  embeddingParameters: number;
  /** a separate lm_head (vocab × hidden); 0 when tied to the embedding */
  lmHeadParameters: number;
  /** one decoder block: projections, biases, QK-norm weights, SwiGLU, the two block norms */
  perBlockParameters: number;
  /** every block as it runs (layers × per block): what the compute touches */
  blockParameters: number;
  /** blocks whose weights are stored, after block sharing */
  storedBlockCount: number;
  /** stored block weights (storedBlockCount × per block) */
  uniqueBlockParameters: number;
  /** the final RMSNorm before lm_head */
  finalNormParameters: number;
  /** everything as it runs; equals the published count when nothing is shared */
  totalParameters: number;
  /** everything stored once: what weights take in memory and on disk */
  uniqueParameters: number;
}

/** Learned QK-norm weights in one block; Llama-4's L2 norm has none. */
function qkNormParameters(spec: ModelSpec): number {
  switch (spec.qkNorm) {
    case 'none':
    case 'weightless-after-rope':
      return 0;
    case 'learned-per-head-before-rope':
      return 2 * spec.headDim; // one [head_dim] weight each for q and k, shared by all heads
    case 'learned-full-width-before-rope':
      return (spec.numAttentionHeads + spec.numKeyValueHeads) * spec.headDim;
  }
}

function perBlockParameters(spec: ModelSpec): number {
  const hidden = spec.hiddenSize;
  const queryWidth = spec.numAttentionHeads * spec.headDim; // elements
  const keyValueWidth = spec.numKeyValueHeads * spec.headDim; // elements, each of k and v
  const projections = hidden * queryWidth + 2 * hidden * keyValueWidth + queryWidth * hidden;
  const biases = spec.attentionBias ? queryWidth + 2 * keyValueWidth + hidden : 0;
  const swiGlu = 3 * hidden * spec.intermediateSize; // gate, up, down
  const blockNorms = 2 * hidden; // pre: input + post-attention; post: post-attention + post-feedforward
  return projections + biases + qkNormParameters(spec) + swiGlu + blockNorms;
}

/**
 * Blocks with their own weights. Immediate block-wise sharing pairs (0,1), (2,3), …; an odd last block
 * has no partner and keeps its own.
 */
export function storedBlockCount(spec: ModelSpec): number {
  return spec.blockWeightSharing === 'immediate-blockwise'
    ? Math.ceil(spec.numHiddenLayers / 2)
    : spec.numHiddenLayers;
}

export function parameterBreakdown(spec: ModelSpec): ParameterBreakdown {
  const embeddingParameters = spec.vocabSize * spec.hiddenSize;
  const lmHeadParameters = spec.tieWordEmbeddings ? 0 : spec.vocabSize * spec.hiddenSize;
  const perBlock = perBlockParameters(spec);
  const blockParameters = spec.numHiddenLayers * perBlock;
  const stored = storedBlockCount(spec);
  const uniqueBlockParameters = stored * perBlock;
  const finalNormParameters = spec.hiddenSize;
  const outsideBlocks = embeddingParameters + lmHeadParameters + finalNormParameters;
  return {
    embeddingParameters,
    lmHeadParameters,
    perBlockParameters: perBlock,
    blockParameters,
    storedBlockCount: stored,
    uniqueBlockParameters,
    finalNormParameters,
    totalParameters: outsideBlocks + blockParameters,
    uniqueParameters: outsideBlocks + uniqueBlockParameters,
  };
}

/** parameters; every weight as the model runs it (shared blocks counted at each use) */
export function parameterCount(spec: ModelSpec): number {
  return parameterBreakdown(spec).totalParameters;
}

/** parameters; every weight stored once (shared blocks and tied embeddings counted once) */
export function uniqueParameterCount(spec: ModelSpec): number {
  return parameterBreakdown(spec).uniqueParameters;
}
