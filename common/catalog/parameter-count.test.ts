import { describe, expect, it } from 'vitest';
import { catalogEntries, getCatalogEntry } from './catalog-entries';
import type { ModelSpec } from './model-spec';
import { parameterBreakdown, parameterCount, uniqueParameterCount } from './parameter-count';
import { resolveModel } from './overrides';
import { tensorBreakdown } from './tensor-breakdown';

/** The published totals (models-facts.md §1f and §2), written out here so the catalog cannot drift. */
const publishedCounts: Record<string, number> = {
  'mobilellm-r1-140m': 140_248_512,
  'mobilellm-r1-360m': 359_431_168,
  'mobilellm-r1-950m': 949_685_760,
  'qwen3-0.6b': 596_049_920,
  'smollm2-135m': 134_515_008,
  'smollm2-360m': 361_821_120,
  'smollm2-1.7b': 1_711_376_384,
  'olmo-2-0425-1b': 1_484_916_736,
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const specOf = (id: string): ModelSpec => getCatalogEntry(id).spec;
const shared = (spec: ModelSpec): ModelSpec => ({ ...spec, blockWeightSharing: 'immediate-blockwise' });

describe('parameterCount', () => {
  it.each(Object.entries(publishedCounts))('%s computes exactly its published count %i', (id, count) => {
    const entry = getCatalogEntry(id);
    expect(entry.publishedParameters).toBe(count);
    expect(parameterCount(entry.spec)).toBe(count);
  });

  it('covers every catalog entry', () => {
    expect(catalogEntries.map((entry) => entry.id).sort()).toEqual(Object.keys(publishedCounts).sort());
  });

  it('splits MobileLLM-R1 into embedding and blocks as models-facts.md §1f does', () => {
    // §1f: embedding 73,875,456 + blocks 66,372,480 (+ a 576-element final norm); tied, so no lm_head
    const parts = parameterBreakdown(specOf('mobilellm-r1-140m'));
    expect(parts.embeddingParameters).toBe(73_875_456);
    expect(parts.blockParameters).toBe(66_372_480);
    expect(parts.finalNormParameters).toBe(576);
    expect(parts.lmHeadParameters).toBe(0);
    expect(parameterBreakdown(specOf('mobilellm-r1-950m')).blockParameters).toBe(752_683_008);
  });

  it('counts a separate lm_head only when embeddings are untied', () => {
    const olmo = specOf('olmo-2-0425-1b');
    expect(parameterBreakdown(olmo).lmHeadParameters).toBe(100_352 * 2048);
    const tied = { ...olmo, tieWordEmbeddings: true };
    expect(parameterCount(olmo) - parameterCount(tied)).toBe(100_352 * 2048);
  });

  it('counts learned QK-norm weights and no weights for the Llama-4 L2 norm', () => {
    const qwen = specOf('qwen3-0.6b');
    expect(parameterCount(qwen) - parameterCount({ ...qwen, qkNorm: 'none' })).toBe(28 * 2 * 128);
    const olmo = specOf('olmo-2-0425-1b');
    expect(parameterCount(olmo) - parameterCount({ ...olmo, qkNorm: 'none' })).toBe(16 * (2048 + 2048));
    const r1 = specOf('mobilellm-r1-140m');
    expect(parameterCount({ ...r1, qkNorm: 'none' })).toBe(parameterCount(r1));
  });

  it('counts q/k/v/o biases when attention_bias is set', () => {
    const r1 = specOf('mobilellm-r1-140m'); // q 576 + k 192 + v 192 + o 576 per layer
    expect(parameterCount({ ...r1, attentionBias: true }) - parameterCount(r1)).toBe(
      15 * (576 + 192 + 192 + 576),
    );
  });
});

describe('tensorBreakdown', () => {
  const variants: [string, ModelSpec][] = [
    ...catalogEntries.map((entry): [string, ModelSpec] => [entry.id, entry.spec]),
    ['qwen3-0.6b with biases', { ...specOf('qwen3-0.6b'), attentionBias: true }],
    ['olmo-2 with 3 layers, shared', shared(resolveModel('olmo-2-0425-1b', { num_hidden_layers: 3 }).spec)],
  ];

  it.each(variants)('%s: its tensors sum to parameterCount and are named once each', (_, spec) => {
    const tensors = tensorBreakdown(spec);
    expect(sum(tensors.map((t) => t.parameters))).toBe(parameterCount(spec));
    expect(new Set(tensors.map((t) => t.name)).size).toBe(tensors.length);
    for (const t of tensors) expect(t.parameters).toBe(t.shape.reduce((a, b) => a * b, 1));
  });

  it('uses Hugging Face names and [out, in] shapes (MobileLLM-R1-140M)', () => {
    const byName = new Map(tensorBreakdown(specOf('mobilellm-r1-140m')).map((t) => [t.name, t.shape]));
    expect(byName.get('model.embed_tokens.weight')).toEqual([128_256, 576]);
    expect(byName.get('model.layers.0.self_attn.q_proj.weight')).toEqual([576, 576]);
    expect(byName.get('model.layers.0.self_attn.k_proj.weight')).toEqual([192, 576]);
    expect(byName.get('model.layers.14.self_attn.o_proj.weight')).toEqual([576, 576]);
    // Llama-4 calls the dense SwiGLU "feed_forward"
    expect(byName.get('model.layers.0.feed_forward.gate_proj.weight')).toEqual([2048, 576]);
    expect(byName.get('model.layers.0.feed_forward.down_proj.weight')).toEqual([576, 2048]);
    expect(byName.get('model.layers.0.input_layernorm.weight')).toEqual([576]);
    expect(byName.get('model.norm.weight')).toEqual([576]);
    expect(byName.has('lm_head.weight')).toBe(false); // tied
    expect(byName.has('model.layers.0.self_attn.q_norm.weight')).toBe(false); // weightless L2 norm
    expect(byName.has('model.layers.15.input_layernorm.weight')).toBe(false);
  });

  it('lists OLMo-2 post-norms, full-width QK-norms and its untied lm_head', () => {
    const byName = new Map(tensorBreakdown(specOf('olmo-2-0425-1b')).map((t) => [t.name, t.shape]));
    expect(byName.get('model.layers.0.self_attn.q_norm.weight')).toEqual([2048]);
    expect(byName.get('model.layers.0.self_attn.k_norm.weight')).toEqual([2048]);
    expect(byName.get('model.layers.0.post_feedforward_layernorm.weight')).toEqual([2048]);
    expect(byName.has('model.layers.0.input_layernorm.weight')).toBe(false);
    expect(byName.get('model.layers.0.mlp.up_proj.weight')).toEqual([8192, 2048]);
    expect(byName.get('lm_head.weight')).toEqual([100_352, 2048]);
  });

  it('lists Qwen3 per-head QK-norms of [head_dim] and a 2048-wide q_proj (16 heads × 128)', () => {
    const byName = new Map(tensorBreakdown(specOf('qwen3-0.6b')).map((t) => [t.name, t.shape]));
    expect(byName.get('model.layers.27.self_attn.q_norm.weight')).toEqual([128]);
    expect(byName.get('model.layers.27.self_attn.k_norm.weight')).toEqual([128]);
    expect(byName.get('model.layers.0.self_attn.q_proj.weight')).toEqual([2048, 1024]);
    expect(byName.get('model.layers.0.self_attn.o_proj.weight')).toEqual([1024, 2048]);
  });
});

describe('immediate block-wise weight sharing', () => {
  it('halves the unique block weights of an even-depth model exactly and keeps its layers (R1-950M)', () => {
    const plain = specOf('mobilellm-r1-950m');
    const sharing = shared(plain);
    const before = parameterBreakdown(plain);
    const after = parameterBreakdown(sharing);
    expect(sharing.numHiddenLayers).toBe(22);
    expect(after.storedBlockCount).toBe(11);
    expect(after.uniqueBlockParameters * 2).toBe(before.uniqueBlockParameters);
    expect(uniqueParameterCount(sharing)).toBe(949_685_760 - 752_683_008 / 2);
    // the same compute: every layer still runs, so the as-run count is unchanged
    expect(parameterCount(sharing)).toBe(parameterCount(plain));
    expect(uniqueParameterCount(plain)).toBe(parameterCount(plain));
  });

  it('keeps the last block of an odd-depth model unshared (R1-140M: 15 layers → 8 stored)', () => {
    const sharing = shared(specOf('mobilellm-r1-140m'));
    const parts = parameterBreakdown(sharing);
    expect(parts.storedBlockCount).toBe(8);
    expect(parts.uniqueBlockParameters).toBe(8 * 4_424_832);
    const tensors = tensorBreakdown(sharing);
    const lastBlock = tensors.filter((t) => t.layer === 14);
    expect(lastBlock.every((t) => t.sharedFrom === null)).toBe(true);
  });

  it('marks block 2k+1 as reusing block 2k, tensor by tensor, and stores the rest once', () => {
    const sharing = shared(specOf('qwen3-0.6b'));
    const tensors = tensorBreakdown(sharing);
    const q5 = tensors.find((t) => t.name === 'model.layers.5.self_attn.q_proj.weight');
    const q4 = tensors.find((t) => t.name === 'model.layers.4.self_attn.q_proj.weight');
    expect(q5?.sharedFrom).toBe('model.layers.4.self_attn.q_proj.weight');
    expect(q4?.sharedFrom).toBeNull();
    const names = new Set(tensors.map((t) => t.name));
    for (const t of tensors) if (t.sharedFrom !== null) expect(names.has(t.sharedFrom)).toBe(true);
    const stored = tensors.filter((t) => t.sharedFrom === null);
    expect(sum(stored.map((t) => t.parameters))).toBe(uniqueParameterCount(sharing));
    expect(tensors.filter((t) => t.layer === 27)).toHaveLength(tensors.filter((t) => t.layer === 0).length);
  });
});
