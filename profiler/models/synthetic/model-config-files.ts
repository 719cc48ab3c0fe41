import type { ResolvedModel } from '../../../common/catalog/overrides';
import { attentionMaskName, inputIdsName, logitsName } from './decoder-io';

/**
 * The JSON files beside a synthetic model, so that other tools open it as they would a real export:
 * `config.json` (Hugging Face / transformers.js), `genai_config.json` (onnxruntime-genai, fused style),
 * and `workbench.json` (how we built it: catalog id, overrides, seed, style).
 */

export type GraphStyle = 'fused' | 'standard';

/**
 * Which positions get logits: 'last' (default) computes the lm_head for the last position only, as
 * onnxruntime-genai and llama.cpp do when generating — a prefill of P tokens then costs one row of
 * vocab logits, not P; 'all' computes every position's (what teacher-forced comparisons read, and what
 * most Optimum exports do).
 */
export type LogitsPositions = 'last' | 'all';

/** Hugging Face config.json for the resolved spec (field names as in the model repos). */
export function hfConfig(model: ResolvedModel, usesExternalData: boolean): Record<string, unknown> {
  const { spec, entry } = model;
  return {
    architectures: [entry.architecture.className],
    model_type: entry.architecture.modelType,
    hidden_size: spec.hiddenSize,
    intermediate_size: spec.intermediateSize,
    num_hidden_layers: spec.numHiddenLayers,
    num_attention_heads: spec.numAttentionHeads,
    num_key_value_heads: spec.numKeyValueHeads,
    head_dim: spec.headDim,
    vocab_size: spec.vocabSize,
    tie_word_embeddings: spec.tieWordEmbeddings,
    rms_norm_eps: spec.rmsNormEps,
    rope_theta: spec.ropeTheta,
    max_position_embeddings: spec.maxContextTokens,
    attention_bias: spec.attentionBias,
    hidden_act: 'silu',
    bos_token_id: entry.tokens.bosTokenId,
    eos_token_id:
      entry.tokens.eosTokenIds.length === 1 ? entry.tokens.eosTokenIds[0] : entry.tokens.eosTokenIds,
    pad_token_id: entry.tokens.padTokenId,
    torch_dtype: 'float32',
    use_cache: true,
    // transformers.js reads this to fetch onnx/model.onnx_data next to onnx/model.onnx
    'transformers.js_config': { use_external_data_format: usesExternalData, kv_cache_dtype: 'float32' },
  };
}

/** onnxruntime-genai's genai_config.json (make_genai_config's structure) for the fused graph. */
export function genaiConfig(model: ResolvedModel, modelFileName: string): Record<string, unknown> {
  const { spec, entry } = model;
  return {
    model: {
      bos_token_id: entry.tokens.bosTokenId,
      context_length: spec.maxContextTokens,
      decoder: {
        session_options: { log_id: 'onnxruntime-genai', provider_options: [] },
        filename: modelFileName,
        head_size: spec.headDim,
        hidden_size: spec.hiddenSize,
        inputs: {
          input_ids: inputIdsName,
          attention_mask: attentionMaskName,
          past_key_names: 'past_key_values.%d.key',
          past_value_names: 'past_key_values.%d.value',
        },
        outputs: {
          logits: logitsName,
          present_key_names: 'present.%d.key',
          present_value_names: 'present.%d.value',
        },
        num_attention_heads: spec.numAttentionHeads,
        num_hidden_layers: spec.numHiddenLayers,
        num_key_value_heads: spec.numKeyValueHeads,
      },
      eos_token_id: entry.tokens.eosTokenIds,
      pad_token_id: entry.tokens.padTokenId ?? entry.tokens.eosTokenIds[0] ?? null,
      type: entry.architecture.modelType,
      vocab_size: spec.vocabSize,
    },
    search: {
      diversity_penalty: 0,
      do_sample: false,
      early_stopping: true,
      length_penalty: 1,
      max_length: spec.maxContextTokens,
      min_length: 0,
      no_repeat_ngram_size: 0,
      num_beams: 1,
      num_return_sequences: 1,
      past_present_share_buffer: false,
      repetition_penalty: 1,
      temperature: 1,
      top_k: 1,
      top_p: 1,
    },
  };
}

/** Our own record of how the folder was made; the loader shows it and the variant cache keys on it. */
export interface SyntheticModelRecord {
  kind: 'synthetic';
  catalogId: string;
  displayName: string;
  overrides: ResolvedModel['overrides'];
  seed: number;
  style: GraphStyle;
  /** which positions the logits output covers (absent in folders built before the option: 'all') */
  logits: LogitsPositions;
  spec: ResolvedModel['spec'];
  /** parameters as the model runs / as stored (differ under block weight sharing) */
  parameters: number;
  storedParameters: number;
  /** the published count when no override changed a shape */
  publishedParameters: number | null;
  builtBy: string;
  builtAt: string;
}
