import type { CatalogEntry, TokenFacts } from './catalog-entry';
import {
  FACTS,
  LLAMA4_MODELING,
  R1_140M_CONFIG,
  R1_MAX_CONTEXT,
  R1_PARAMETERS_DERIVED,
  R1_README_TABLE,
  R1_WEIGHT_SHARING_NOTE,
  scoresFromReadmeRow,
} from './fact-sources';
import type { ModelSpec } from './model-spec';

/** MobileLLM-R1 140M / 360M / 950M (Llama4ForCausalLM, text only, dense). Facts: models-facts.md §1. */

/** What all three sizes share; only the 140M config was read verbatim (see each entry's notes). */
const r1Common = {
  headDim: 64,
  vocabSize: 128256,
  tieWordEmbeddings: true,
  rmsNormEps: 1e-5,
  ropeTheta: 8_000_000,
  ropeStyle: 'interleaved',
  qkNorm: 'weightless-after-rope',
  normPlacement: 'pre',
  attentionBias: false,
  maxContextTokens: 32_768,
  blockWeightSharing: 'none',
  ffnModuleName: 'feed_forward',
} as const satisfies Partial<ModelSpec>;

const r1Architecture = { className: 'Llama4ForCausalLM', modelType: 'llama4_text' };

/** Runtime facts the three sizes share (HF transformers' reading of the config, §1d). */
const r1RuntimeNotes = [
  'RoPE on every layer: no_rope_layers is all 1 (1 = uses RoPE), so there are no NoPE layers.',
  'attn_temperature_tuning is false, so attn_scale (0.1) and floor_scale (8192) have no effect.',
  'attention_chunk_size 32768 equals the context, so chunked attention is ordinary causal attention.',
  'config.json intermediate_size (8192 in the 140M copy) is an unused MoE field: moe_layers is empty, ' +
    'every layer is a dense SwiGLU of width intermediate_size_mlp.',
  'transformers.js issue #1416: the onnx-community R1 exports fail on WebGPU with "Rotary interleaved ' +
    `attention is not supported"; WASM works (${FACTS} §3).`,
];

const unverifiedTokens = (size: string): TokenFacts => ({
  bosTokenId: null,
  eosTokenIds: [],
  padTokenId: null,
  source: `no ${size} config.json or generation_config.json was found (${FACTS} §1c, §5)`,
  notes:
    'Not verified. The 140M uses bos 128000, eos [128001, 128008, 128009] with the same 128256-token ' +
    'vocabulary, which these sizes likely share.',
});

const r1Context = (postTrainedNote: string) => ({
  baseTokens: 4096,
  postTrainedTokens: 32_768,
  source: R1_MAX_CONTEXT,
  notes: `Base max_position_embeddings not verified: no base-model config.json was found. ${postTrainedNote}`,
});

export const mobileLlmR1Entries: CatalogEntry[] = [
  {
    id: 'mobilellm-r1-140m',
    displayName: 'MobileLLM-R1-140M',
    family: 'MobileLLM-R1',
    hfRepo: 'facebook/MobileLLM-R1-140M',
    baseHfRepo: 'facebook/MobileLLM-R1-140M-base',
    architecture: r1Architecture,
    spec: {
      ...r1Common,
      numHiddenLayers: 15,
      hiddenSize: 576,
      intermediateSize: 2048,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
    },
    publishedParameters: 140_248_512,
    sources: {
      shapes: `${R1_140M_CONFIG}; agrees with ${R1_README_TABLE}`,
      attentionAndNorms: `${R1_140M_CONFIG}; ${LLAMA4_MODELING}`,
      publishedParameters:
        `bedio/MobileLLM-R1-140M-2x-HyperCloned README gives exactly 140,248,512 (model card: 140M); ` +
        R1_PARAMETERS_DERIVED,
    },
    context: r1Context(
      'Post-trained 32768 is checked: the vendored 140M config has max_position_embeddings 32768.',
    ),
    tokens: {
      bosTokenId: 128000,
      eosTokenIds: [128001, 128008, 128009],
      padTokenId: null,
      source: `${R1_140M_CONFIG}; the vendored generation_config.json agrees`,
    },
    scores: scoresFromReadmeRow('MobileLLM-R1-140M', {
      math500: 6.2,
      gsm8k: 4.1,
      aime24: null,
      aime25: null,
      liveCodeBenchV6: 1.7,
    }),
    blockWeightSharingNote: R1_WEIGHT_SHARING_NOTE,
    notes: [...r1RuntimeNotes],
  },
  {
    id: 'mobilellm-r1-360m',
    displayName: 'MobileLLM-R1-360M',
    family: 'MobileLLM-R1',
    hfRepo: 'facebook/MobileLLM-R1-360M',
    baseHfRepo: 'facebook/MobileLLM-R1-360M-base',
    architecture: r1Architecture,
    spec: {
      ...r1Common,
      numHiddenLayers: 15,
      hiddenSize: 1024,
      intermediateSize: 4096,
      numAttentionHeads: 16,
      numKeyValueHeads: 4,
    },
    publishedParameters: 359_431_168,
    sources: {
      shapes:
        `${R1_README_TABLE}; vocab_size 128256 and tying from vedantdere/MobileLLM-R1-Pytorch config.py, a ` +
        `re-implementation's transcription, not the HF file (${FACTS} §1c)`,
      attentionAndNorms:
        `use_qk_norm and rope_theta 8e6 from vedantdere/MobileLLM-R1-Pytorch config.py (unverified); ` +
        `rms_norm_eps assumed equal to the 140M's 1e-5; ${LLAMA4_MODELING}`,
      publishedParameters: `model card: 359M; ${R1_PARAMETERS_DERIVED}`,
    },
    context: r1Context(
      'Post-trained 32768 is the model card figure; max_position_embeddings 32768 comes from the ' +
        'vedantdere transcription, not a verbatim config.',
    ),
    tokens: unverifiedTokens('360M'),
    scores: scoresFromReadmeRow('MobileLLM-R1-360M', {
      math500: 28.4,
      gsm8k: 24.5,
      aime24: null,
      aime25: null,
      liveCodeBenchV6: 5.1,
    }),
    blockWeightSharingNote: R1_WEIGHT_SHARING_NOTE,
    notes: [
      'No verbatim config.json found: rope_theta, rms_norm_eps and max_position_embeddings are not verified.',
      ...r1RuntimeNotes,
    ],
  },
  {
    id: 'mobilellm-r1-950m',
    displayName: 'MobileLLM-R1-950M',
    family: 'MobileLLM-R1',
    hfRepo: 'facebook/MobileLLM-R1-950M',
    baseHfRepo: 'facebook/MobileLLM-R1-950M-base',
    architecture: r1Architecture,
    spec: {
      ...r1Common,
      numHiddenLayers: 22,
      hiddenSize: 1536,
      intermediateSize: 6144,
      numAttentionHeads: 24,
      numKeyValueHeads: 6,
    },
    publishedParameters: 949_685_760,
    sources: {
      shapes:
        `${R1_README_TABLE}; heads and KV heads also in robbiemu/MobileLLM-R1-950M-MLX ` +
        `mlx_technical_summary.md; vocab 128256 assumed from the 140M (README: "128k") (${FACTS} §1c)`,
      attentionAndNorms:
        `use_qk_norm and RoPE on all layers from robbiemu/MobileLLM-R1-950M-MLX mlx_technical_summary.md; ` +
        `rope_theta 8e6 and rms_norm_eps 1e-5 assumed equal to the 140M's (not seen); ${LLAMA4_MODELING}`,
      publishedParameters: `model card: 949M; ${R1_PARAMETERS_DERIVED}`,
    },
    context: r1Context(
      'Post-trained 32768 is the model card figure; no 950M config.json was seen, so ' +
        'max_position_embeddings is not verified.',
    ),
    tokens: unverifiedTokens('950M'),
    scores: scoresFromReadmeRow('MobileLLM-R1-950M', {
      math500: 74.0,
      gsm8k: 67.5,
      aime24: 15.5,
      aime25: 16.3,
      liveCodeBenchV6: 19.9,
    }),
    blockWeightSharingNote: R1_WEIGHT_SHARING_NOTE,
    notes: [
      'No verbatim config.json found: rope_theta, rms_norm_eps, vocab_size (exact) and ' +
        'max_position_embeddings are not verified.',
      ...r1RuntimeNotes,
    ],
  },
];
