import { describe, expect, it } from 'vitest';
import { catalogIds, getCatalogEntry } from './catalog-entries';
import { CatalogError } from './catalog-error';
import { specFieldConfigNames } from './model-spec';
import { OverrideKeySchema, overrideKeyHelp, parseOverrides, resolveModel } from './overrides';
import { parameterCount } from './parameter-count';

/** The error resolveModel/parseOverrides throws, so tests can check its code and message. */
function catalogErrorOf(run: () => unknown): CatalogError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError, but nothing was thrown');
}

describe('resolveModel', () => {
  it('returns the catalog spec and published count when nothing is overridden', () => {
    const model = resolveModel('mobilellm-r1-950m');
    expect(model.spec).toEqual(getCatalogEntry('mobilellm-r1-950m').spec);
    expect(model.publishedParameters).toBe(949_685_760);
    expect(model.overrides).toEqual({});
  });

  it('finds a model by its Hugging Face repo, case-insensitively', () => {
    expect(resolveModel('Qwen/Qwen3-0.6B').id).toBe('qwen3-0.6b');
    expect(resolveModel('facebook/mobilellm-r1-140m').id).toBe('mobilellm-r1-140m');
  });

  it('rejects an unknown id and lists the known ones', () => {
    const error = catalogErrorOf(() => resolveModel('mobilellm-r1-2b'));
    expect(error.code).toBe('unknown-model');
    expect(error.message).toContain('Unknown model "mobilellm-r1-2b"');
    for (const id of catalogIds) expect(error.message).toContain(id);
  });

  it('rejects an unknown key, lists the allowed keys and suggests a near one', () => {
    const error = catalogErrorOf(() => resolveModel('smollm2-135m', { numHiddenLayers: 4 }));
    expect(error.code).toBe('unknown-override');
    expect(error.message).toContain('Unknown override key "numHiddenLayers" for smollm2-135m');
    expect(error.message).toContain('Did you mean num_hidden_layers?');
    for (const key of OverrideKeySchema.options) expect(error.message).toContain(key);
    expect(
      catalogErrorOf(() => resolveModel('qwen3-0.6b', { max_position_embeddings: 1 })).message,
    ).toContain('Did you mean max_context_tokens?');
  });

  it.each([
    ['num_hidden_layers', 4.5, 'a whole number ≥ 1'],
    ['num_hidden_layers', 0, 'a whole number ≥ 1'],
    ['vocab_size', 'lots', 'a whole number ≥ 1'],
    ['hidden_size', true, 'a whole number ≥ 1'],
    ['rope_theta', -1, 'a finite number > 0'],
    ['tie_word_embeddings', 'maybe', 'true or false'],
    ['block_weight_sharing', 'pairs', "'none' or 'immediate-blockwise'"],
  ])('rejects %s=%s, naming the key, the value and what it expects', (key, value, expected) => {
    const error = catalogErrorOf(() => resolveModel('mobilellm-r1-140m', { [key]: value }));
    expect(error.code).toBe('invalid-override');
    expect(error.message).toContain(`Override ${key}=${String(value)} for mobilellm-r1-140m is not valid`);
    expect(error.message).toContain(expected);
  });

  it('rejects heads that KV heads do not divide, naming both keys and values', () => {
    const error = catalogErrorOf(() => resolveModel('mobilellm-r1-360m', { num_key_value_heads: 5 }));
    expect(error.code).toBe('invalid-override');
    expect(error.message).toContain('Overrides for mobilellm-r1-360m do not make a valid model');
    expect(error.message).toContain('num_attention_heads=16 is not a multiple of num_key_value_heads=5');
  });

  it('rejects an odd head_dim, since RoPE rotates pairs', () => {
    const error = catalogErrorOf(() => resolveModel('qwen3-0.6b', { head_dim: 63 }));
    expect(error.message).toContain('head_dim=63 is odd');
  });

  it('num_hidden_layers=4 keeps the embedding and final norm and four blocks', () => {
    const model = resolveModel('mobilellm-r1-140m', { num_hidden_layers: 4 });
    expect(model.spec.numHiddenLayers).toBe(4);
    // 73,875,456 embedding + 4 × 4,424,832 per block + 576 final norm (models-facts.md §1f)
    expect(parameterCount(model.spec)).toBe(73_875_456 + 4 * 4_424_832 + 576);
    expect(model.publishedParameters).toBeNull();
    expect(model.overrides).toEqual({ num_hidden_layers: 4 });
  });

  it('vocab_size=8192 shrinks the embedding and the untied lm_head together (OLMo-2)', () => {
    const model = resolveModel('olmo-2-0425-1b', { vocab_size: '8192' });
    expect(parameterCount(model.spec)).toBe(1_484_916_736 - 2 * (100_352 - 8192) * 2048);
  });

  it('tie_word_embeddings=true drops the lm_head', () => {
    const model = resolveModel('olmo-2-0425-1b', { tie_word_embeddings: 'true' });
    expect(model.spec.tieWordEmbeddings).toBe(true);
    expect(parameterCount(model.spec)).toBe(1_484_916_736 - 100_352 * 2048);
  });

  it('keeps the published count when no override changes a shape', () => {
    const model = resolveModel('qwen3-0.6b', {
      rope_theta: '5e5',
      max_context_tokens: 8192,
      block_weight_sharing: 'immediate-blockwise',
      num_hidden_layers: 28, // the published value: no shape changes
    });
    expect(model.spec.ropeTheta).toBe(500_000);
    expect(model.spec.maxContextTokens).toBe(8192);
    expect(model.spec.blockWeightSharing).toBe('immediate-blockwise');
    expect(model.publishedParameters).toBe(596_049_920);
    expect(parameterCount(model.spec)).toBe(596_049_920);
  });

  it('leaves the catalog entry untouched', () => {
    resolveModel('smollm2-360m', { num_hidden_layers: 2 });
    expect(getCatalogEntry('smollm2-360m').spec.numHiddenLayers).toBe(32);
  });

  it('names every override key after the spec field it sets', () => {
    expect(overrideKeyHelp.map((help) => help.key)).toEqual(OverrideKeySchema.options);
    const configNames: string[] = Object.values(specFieldConfigNames);
    for (const key of OverrideKeySchema.options) expect(configNames).toContain(key);
  });
});

describe('parseOverrides', () => {
  it('reads key=value pairs, numbers as numbers and true/false as booleans', () => {
    expect(
      parseOverrides(
        ' num_hidden_layers=4, vocab_size=8192,tie_word_embeddings=False,rope_theta=1e6,' +
          'block_weight_sharing=immediate-blockwise',
      ),
    ).toEqual({
      num_hidden_layers: 4,
      vocab_size: 8192,
      tie_word_embeddings: false,
      rope_theta: 1_000_000,
      block_weight_sharing: 'immediate-blockwise',
    });
    expect(parseOverrides('')).toEqual({});
  });

  it('feeds resolveModel directly', () => {
    const model = resolveModel('smollm2-135m', parseOverrides('num_hidden_layers=4,vocab_size=8192'));
    expect(model.spec.numHiddenLayers).toBe(4);
    expect(model.spec.vocabSize).toBe(8192);
  });

  it.each([
    ['num_hidden_layers', 'has no "=" and value'],
    ['num_hidden_layers=', 'has no value after "="'],
    ['=4', 'has no key before "="'],
    ['num_hidden_layers=4,,vocab_size=8', 'entry 2 is empty'],
    ['num_hidden_layers=4,', 'entry 2 is empty'],
    ['num hidden layers=4', 'contains spaces'],
    ['vocab_size=8,vocab_size=9', '"vocab_size" is given twice'],
  ])('rejects %j: %s', (text, why) => {
    const error = catalogErrorOf(() => parseOverrides(text));
    expect(error.code).toBe('malformed-overrides');
    expect(error.message).toContain(`Cannot read overrides "${text}"`);
    expect(error.message).toContain(why);
    expect(error.message).toContain('num_hidden_layers=4,vocab_size=8192');
  });
});
