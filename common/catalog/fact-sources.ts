import type { PublishedScores } from './catalog-entry';

/**
 * Where the catalog's facts come from, spelled once. Every string points at the public material that
 * shared/reference/models-facts.md (the section given) read or derived the value from.
 */
export const FACTS = 'shared/reference/models-facts.md';

export const R1_README_TABLE =
  'facebookresearch/MobileLLM-R1 README.md (commit 463ff810) model table, mirrored in the HF model cards ' +
  `(${FACTS} §1a)`;

export const R1_140M_CONFIG =
  'MobileLLM-R1-140M config.json, verbatim copy vendored in EvolvingLMMs-Lab/LLaVA-OneVision-2 ' +
  `aiak_training_llm/models/mobilellm/hf_checkpoint/config.json @fa77c4e3 (${FACTS} §1b)`;

export const LLAMA4_MODELING =
  'huggingface/transformers models/llama4/modeling_llama4.py: interleaved (complex-pair) RoPE, ' +
  `Llama4TextL2Norm QK-norm without weight after RoPE, pre-norm, dense SwiGLU "feed_forward" (${FACTS} §1d)`;

export const R1_PARAMETERS_DERIVED = `derived from the README shapes with tied embeddings and no QK-norm weights (${FACTS} §1f)`;

export const R1_MAX_CONTEXT = `model card: base 4k, post-trained 32k; the reasoning SFT used 32k sequences (${FACTS} §1a)`;

export const R1_WEIGHT_SHARING_NOTE =
  'Press coverage of MobileLLM-R1 (e.g. kiadev.net, skywork.ai) claims block-wise weight sharing, but ' +
  'the published config has no sharing field, Llama4ForCausalLM has no mechanism for it, and the ' +
  'parameter counts match only with every layer distinct. The catalog therefore defaults to no sharing; ' +
  `'immediate-blockwise' is a what-if (${FACTS} §1e).`;

export const PEER_WEIGHT_SHARING_NOTE =
  "The published model shares no block weights (only tied embeddings, where set); 'immediate-blockwise' " +
  'is a MobileLLM-style what-if: half the unique block weights, the same compute.';

export const PEER_PARAMETERS_DERIVED =
  'derived from the config shapes; matches the "Size" column of the MobileLLM-R1 comparison table ' +
  `(${FACTS} §2)`;

export const QWEN3_CONFIG =
  'Qwen3-0.6B config.json, verbatim copy at huggingface.co/TensorStack/TextEncoder Qwen-3-06B/config.json; ' +
  `brygotti and CodeAtCMU Qwen3-0.6B-Base copies agree (${FACTS} §2)`;

export const QWEN3_ATTENTION =
  `${QWEN3_CONFIG}; QK-norm from transformers Qwen3Attention, q_norm = Qwen3RMSNorm(head_dim); ` +
  'no attention bias (the parameter count matches only without biases)';

export const SMOLLM2_CONFIGS =
  'derivative configs whose _name_or_path is the official SmolLM2 model (e.g. herooooooooo/SmolLM2-FT-DPO, ' +
  `eduardoworrel/SmolLM2-360M-Instruct, puettmann/SmolMaestra-1.7b-Translation) (${FACTS} §2)`;

export const SMOLLM2_ATTENTION =
  `${SMOLLM2_CONFIGS}; LlamaForCausalLM: pre-norm, rotate_half RoPE, no QK-norm; no attention bias ` +
  '(the parameter count matches only without biases)';

export const OLMO2_CONFIG =
  'fairseq2 models/olmo2/config.py OLMO2Config defaults ("correspond to allenai/OLMo-2-0425-1B") and the ' +
  `model-card mirror ai.gitcode.com/hf_mirrors/allenai/OLMo-2-0425-1B (${FACTS} §2)`;

export const OLMO2_ATTENTION =
  `${OLMO2_CONFIG}; transformers models/olmo2/modeling_olmo2.py: learnable RMSNorm over the full q and k ` +
  'projections before the reshape and RoPE, post-norm (post_attention_layernorm, post_feedforward_layernorm, ' +
  'no input norm), no attention bias';

const SCORES_TABLE =
  'MobileLLM-R1 README "Evaluation", post-trained models, 0-shot pass@1 (AIME avg of n=64, LiveCodeBench-v6 ' +
  `n=16); the HF model cards carry the same table (${FACTS} §4)`;

/** The five post-trained scores of one comparison-table row, in the table's order; null for "--". */
export interface ScoreRow {
  math500: number | null;
  gsm8k: number | null;
  aime24: number | null;
  aime25: number | null;
  liveCodeBenchV6: number | null;
}

/** Spreads one table row into per-score facts, so every number and every "--" carries its source. */
export function scoresFromReadmeRow(row: string, percents: ScoreRow): PublishedScores {
  const score = (percent: number | null, column: string) => ({
    percent,
    source:
      percent === null
        ? `not reported ("--") for ${row} in the ${column} column` +
          (column.startsWith('AIME') ? '; the README calls AIME unreliable under 400M parameters' : '') +
          `. ${SCORES_TABLE}`
        : `${row}, ${column} column. ${SCORES_TABLE}`,
  });
  return {
    row,
    math500: score(percents.math500, 'MATH500'),
    gsm8k: score(percents.gsm8k, 'GSM8K'),
    aime24: score(percents.aime24, "AIME'24"),
    aime25: score(percents.aime25, "AIME'25"),
    liveCodeBenchV6: score(percents.liveCodeBenchV6, 'LiveCodeBench-v6'),
  };
}
