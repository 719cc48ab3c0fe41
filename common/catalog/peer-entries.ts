import type { CatalogEntry } from './catalog-entry';
import {
  FACTS,
  OLMO2_ATTENTION,
  OLMO2_CONFIG,
  PEER_PARAMETERS_DERIVED,
  PEER_WEIGHT_SHARING_NOTE,
  QWEN3_ATTENTION,
  QWEN3_CONFIG,
  SMOLLM2_ATTENTION,
  SMOLLM2_CONFIGS,
  scoresFromReadmeRow,
} from './fact-sources';
import type { ModelSpec } from './model-spec';

/**
 * The peers in the MobileLLM-R1 comparison table: Qwen3-0.6B, SmolLM2 135M/360M/1.7B, OLMo-2-0425-1B.
 * Facts: models-facts.md §2 (shapes) and §4 (scores).
 */

/** Llama-style defaults shared by the peers; each entry states the rest. */
const llamaStyle = {
  ropeStyle: 'half',
  normPlacement: 'pre',
  attentionBias: false,
  blockWeightSharing: 'none',
  ffnModuleName: 'mlp',
} as const satisfies Partial<ModelSpec>;

const smolLm2Common = {
  ...llamaStyle,
  headDim: 64,
  vocabSize: 49152,
  tieWordEmbeddings: true,
  rmsNormEps: 1e-5,
  qkNorm: 'none',
  maxContextTokens: 8192,
} as const satisfies Partial<ModelSpec>;

const smolLm2Architecture = { className: 'LlamaForCausalLM', modelType: 'llama' };

const smolLm2Context = {
  baseTokens: null,
  postTrainedTokens: 8192,
  source: `max_position_embeddings 8192 in the Instruct-derived configs: ${SMOLLM2_CONFIGS}`,
  notes: 'The base models’ context was not checked separately; only derivative configs were read.',
};

const smolLm2Tokens = (size: string) => ({
  bosTokenId: 1,
  eosTokenIds: [2],
  padTokenId: null,
  source: `SmolLM2-${size}-Instruct derivative configs (${FACTS} §2)`,
  notes: 'Instruct ids; the base models use 0 / 0 (seen for the 135M base).',
});

export const peerEntries: CatalogEntry[] = [
  {
    id: 'qwen3-0.6b',
    displayName: 'Qwen3-0.6B',
    family: 'Qwen3',
    hfRepo: 'Qwen/Qwen3-0.6B',
    baseHfRepo: 'Qwen/Qwen3-0.6B-Base',
    architecture: { className: 'Qwen3ForCausalLM', modelType: 'qwen3' },
    spec: {
      ...llamaStyle,
      numHiddenLayers: 28,
      hiddenSize: 1024,
      intermediateSize: 3072,
      numAttentionHeads: 16,
      numKeyValueHeads: 8,
      headDim: 128,
      vocabSize: 151936,
      tieWordEmbeddings: true,
      rmsNormEps: 1e-6,
      ropeTheta: 1_000_000,
      qkNorm: 'learned-per-head-before-rope',
      maxContextTokens: 32_768,
    },
    publishedParameters: 596_049_920,
    sources: {
      shapes: QWEN3_CONFIG,
      attentionAndNorms: QWEN3_ATTENTION,
      publishedParameters: `model card: 0.6B (0.44B non-embedding); ${PEER_PARAMETERS_DERIVED}`,
    },
    context: {
      baseTokens: 32_768,
      postTrainedTokens: 32_768,
      source:
        `model card: context 32,768 (docs.m5stack.com/en/stackflow/models/qwen3-0.6b); the Qwen3-0.6B-Base ` +
        `config copies have max_position_embeddings 32768 (${FACTS} §2)`,
      notes:
        'The post-trained config.json says max_position_embeddings 40960, more than the 32,768 the card ' +
        'states; the catalog uses the card figure.',
    },
    tokens: { bosTokenId: 151643, eosTokenIds: [151645], padTokenId: null, source: QWEN3_CONFIG },
    scores: scoresFromReadmeRow('Qwen3-0.6B', {
      math500: 73.0,
      gsm8k: 79.2,
      aime24: 11.3,
      aime25: 17.0,
      liveCodeBenchV6: 14.9,
    }),
    blockWeightSharingNote: PEER_WEIGHT_SHARING_NOTE,
    notes: ['head_dim 128 is explicit in the config and differs from hidden_size / heads (64).'],
  },
  {
    id: 'smollm2-135m',
    displayName: 'SmolLM2-135M',
    family: 'SmolLM2',
    hfRepo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    baseHfRepo: 'HuggingFaceTB/SmolLM2-135M',
    architecture: smolLm2Architecture,
    spec: {
      ...smolLm2Common,
      numHiddenLayers: 30,
      hiddenSize: 576,
      intermediateSize: 1536,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
      ropeTheta: 100_000,
    },
    publishedParameters: 134_515_008,
    sources: {
      shapes: SMOLLM2_CONFIGS,
      attentionAndNorms: SMOLLM2_ATTENTION,
      publishedParameters: `comparison table: 135M; ${PEER_PARAMETERS_DERIVED}`,
    },
    context: smolLm2Context,
    tokens: smolLm2Tokens('135M'),
    scores: scoresFromReadmeRow('SmolLM2-135M-Instruct', {
      math500: 3.0,
      gsm8k: 2.4,
      aime24: null,
      aime25: null,
      liveCodeBenchV6: 0.0,
    }),
    blockWeightSharingNote: PEER_WEIGHT_SHARING_NOTE,
    notes: [],
  },
  {
    id: 'smollm2-360m',
    displayName: 'SmolLM2-360M',
    family: 'SmolLM2',
    hfRepo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    baseHfRepo: 'HuggingFaceTB/SmolLM2-360M',
    architecture: smolLm2Architecture,
    spec: {
      ...smolLm2Common,
      numHiddenLayers: 32,
      hiddenSize: 960,
      intermediateSize: 2560,
      numAttentionHeads: 15,
      numKeyValueHeads: 5,
      ropeTheta: 100_000,
    },
    publishedParameters: 361_821_120,
    sources: {
      shapes: SMOLLM2_CONFIGS,
      attentionAndNorms: SMOLLM2_ATTENTION,
      publishedParameters: `comparison table: 362M; ${PEER_PARAMETERS_DERIVED}`,
    },
    context: smolLm2Context,
    tokens: smolLm2Tokens('360M'),
    scores: scoresFromReadmeRow('SmolLM2-360M-Instruct', {
      math500: 3.4,
      gsm8k: 8.1,
      aime24: null,
      aime25: null,
      liveCodeBenchV6: 0.7,
    }),
    blockWeightSharingNote: PEER_WEIGHT_SHARING_NOTE,
    notes: [],
  },
  {
    id: 'smollm2-1.7b',
    displayName: 'SmolLM2-1.7B',
    family: 'SmolLM2',
    hfRepo: 'HuggingFaceTB/SmolLM2-1.7B-Instruct',
    baseHfRepo: 'HuggingFaceTB/SmolLM2-1.7B',
    architecture: smolLm2Architecture,
    spec: {
      ...smolLm2Common,
      numHiddenLayers: 24,
      hiddenSize: 2048,
      intermediateSize: 8192,
      numAttentionHeads: 32,
      numKeyValueHeads: 32,
      ropeTheta: 130_000,
    },
    publishedParameters: 1_711_376_384,
    sources: {
      shapes: SMOLLM2_CONFIGS,
      attentionAndNorms: SMOLLM2_ATTENTION,
      publishedParameters: `comparison table: 1.71B; ${PEER_PARAMETERS_DERIVED}`,
    },
    context: smolLm2Context,
    tokens: smolLm2Tokens('1.7B'),
    scores: scoresFromReadmeRow('SmolLM2-1.7B-Instruct', {
      math500: 19.2,
      gsm8k: 41.8,
      aime24: 0.3,
      aime25: 0.1,
      liveCodeBenchV6: 4.4,
    }),
    blockWeightSharingNote: PEER_WEIGHT_SHARING_NOTE,
    notes: ['Multi-head attention: 32 KV heads, one per query head, so its KV cache is the largest here.'],
  },
  {
    id: 'olmo-2-0425-1b',
    displayName: 'OLMo-2-0425-1B',
    family: 'OLMo-2',
    hfRepo: 'allenai/OLMo-2-0425-1B-Instruct',
    baseHfRepo: 'allenai/OLMo-2-0425-1B',
    architecture: { className: 'Olmo2ForCausalLM', modelType: 'olmo2' },
    spec: {
      ...llamaStyle,
      numHiddenLayers: 16,
      hiddenSize: 2048,
      intermediateSize: 8192,
      numAttentionHeads: 16,
      numKeyValueHeads: 16,
      headDim: 128,
      vocabSize: 100352,
      tieWordEmbeddings: false,
      rmsNormEps: 1e-6,
      ropeTheta: 500_000,
      qkNorm: 'learned-full-width-before-rope',
      normPlacement: 'post',
      maxContextTokens: 4096,
    },
    publishedParameters: 1_484_916_736,
    sources: {
      shapes: `${OLMO2_CONFIG}; OLMo-2 sibling configs (7B/13B/32B) are all untied too`,
      attentionAndNorms: OLMO2_ATTENTION,
      publishedParameters: `comparison table: 1.48B; ${PEER_PARAMETERS_DERIVED}`,
    },
    context: {
      baseTokens: 4096,
      postTrainedTokens: null,
      source: `fairseq2 OLMO2Config max_seq_len 4096 and the model card's context 4096 (${FACTS} §2)`,
      notes:
        'Post-trained context not verified: no -Instruct config.json was found; the catalog assumes the ' +
        'base 4096.',
    },
    tokens: {
      bosTokenId: null,
      eosTokenIds: [100257],
      padTokenId: 100277,
      source: OLMO2_CONFIG,
      notes: 'No bos id was found; the -Instruct config was not seen.',
    },
    scores: scoresFromReadmeRow('OLMo-2-0425-1B-Instruct', {
      math500: 19.2,
      gsm8k: 69.7,
      aime24: 0.6,
      aime25: 0.1,
      liveCodeBenchV6: 0.0,
    }),
    blockWeightSharingNote: PEER_WEIGHT_SHARING_NOTE,
    notes: [
      'Untied embeddings: lm_head is a second [vocab, hidden] matrix (205.5M parameters).',
      'No verbatim config.json for the -Instruct variant; its shapes are assumed equal to the base.',
    ],
  },
];
