import { describe, expect, it } from 'vitest';
import { catalogEntries, catalogIds, getCatalogEntry } from './catalog-entries';

describe('catalog entries', () => {
  it('lists the MobileLLM-R1 sizes and their comparison peers under stable ids', () => {
    expect(catalogIds).toEqual([
      'mobilellm-r1-140m',
      'mobilellm-r1-360m',
      'mobilellm-r1-950m',
      'qwen3-0.6b',
      'smollm2-135m',
      'smollm2-360m',
      'smollm2-1.7b',
      'olmo-2-0425-1b',
    ]);
  });

  it('describes MobileLLM-R1 as Llama-4: interleaved RoPE, weightless QK-norm after RoPE, tied', () => {
    for (const id of ['mobilellm-r1-140m', 'mobilellm-r1-360m', 'mobilellm-r1-950m']) {
      const { spec, architecture } = getCatalogEntry(id);
      expect(architecture.className).toBe('Llama4ForCausalLM');
      expect(spec).toMatchObject({
        ropeStyle: 'interleaved',
        qkNorm: 'weightless-after-rope',
        normPlacement: 'pre',
        tieWordEmbeddings: true,
        vocabSize: 128_256,
        headDim: 64,
      });
    }
    expect(getCatalogEntry('mobilellm-r1-950m').spec).toMatchObject({
      numHiddenLayers: 22,
      hiddenSize: 1536,
      intermediateSize: 6144, // intermediate_size_mlp, not the unused MoE field
      numAttentionHeads: 24,
      numKeyValueHeads: 6,
    });
  });

  it('describes the peers’ distinguishing features', () => {
    expect(getCatalogEntry('qwen3-0.6b').spec).toMatchObject({
      qkNorm: 'learned-per-head-before-rope',
      ropeStyle: 'half',
      headDim: 128,
    });
    expect(getCatalogEntry('olmo-2-0425-1b').spec).toMatchObject({
      qkNorm: 'learned-full-width-before-rope',
      normPlacement: 'post',
      tieWordEmbeddings: false,
    });
    expect(getCatalogEntry('smollm2-1.7b').spec.numKeyValueHeads).toBe(32);
  });

  it('defaults every entry to no block sharing, with a note saying why for MobileLLM-R1', () => {
    for (const entry of catalogEntries) {
      expect(entry.spec.blockWeightSharing).toBe('none');
      expect(entry.blockWeightSharingNote.length).toBeGreaterThan(0);
    }
    const note = getCatalogEntry('mobilellm-r1-360m').blockWeightSharingNote;
    expect(note).toMatch(/press coverage/i);
    expect(note).toMatch(/published config has no sharing/);
  });

  it('carries the README scores, with null (never a guess) where the table says "--"', () => {
    const r1 = getCatalogEntry('mobilellm-r1-950m').scores;
    expect([r1.math500, r1.gsm8k, r1.aime24, r1.aime25, r1.liveCodeBenchV6].map((s) => s.percent)).toEqual([
      74.0, 67.5, 15.5, 16.3, 19.9,
    ]);
    const small = getCatalogEntry('mobilellm-r1-140m').scores;
    expect(small.aime24.percent).toBeNull();
    expect(small.aime24.source).toContain('not reported');
    expect(getCatalogEntry('smollm2-135m').scores.row).toBe('SmolLM2-135M-Instruct');
    expect(getCatalogEntry('olmo-2-0425-1b').scores.gsm8k.percent).toBe(69.7);
    for (const entry of catalogEntries) {
      for (const score of [entry.scores.math500, entry.scores.liveCodeBenchV6]) {
        expect(score.source).toContain('MobileLLM-R1 README');
      }
    }
  });

  it('profiles the post-trained context where known, and notes what is not verified', () => {
    for (const entry of catalogEntries) {
      const { baseTokens, postTrainedTokens, notes } = entry.context;
      expect(entry.spec.maxContextTokens).toBe(postTrainedTokens ?? baseTokens);
      if (baseTokens === null || postTrainedTokens === null) expect(notes).toMatch(/not (verified|checked)/);
    }
    expect(getCatalogEntry('mobilellm-r1-140m').context).toMatchObject({
      baseTokens: 4096,
      postTrainedTokens: 32_768,
    });
    expect(getCatalogEntry('mobilellm-r1-950m').context.notes).toMatch(/not verified/);
  });

  it('gives bos/eos only where a config was read', () => {
    expect(getCatalogEntry('mobilellm-r1-140m').tokens).toMatchObject({
      bosTokenId: 128000,
      eosTokenIds: [128001, 128008, 128009],
    });
    expect(getCatalogEntry('mobilellm-r1-950m').tokens.bosTokenId).toBeNull();
    expect(getCatalogEntry('qwen3-0.6b').tokens.eosTokenIds).toEqual([151645]);
  });
});
