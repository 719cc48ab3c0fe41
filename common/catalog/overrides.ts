import { z } from 'zod';
import { getCatalogEntry } from './catalog-entries';
import type { CatalogEntry } from './catalog-entry';
import { CatalogError } from './catalog-error';
import { BlockWeightSharingSchema, ModelSpecSchema, specFieldConfigNames } from './model-spec';
import type { ModelSpec } from './model-spec';

/**
 * What-if variants of catalog models: "this model with 4 layers", "with an 8K vocabulary", "with
 * MobileLLM block sharing". Keys are config.json names, as people know them from model repos.
 */

/** Override values as the CLI parses them or a request carries them; strings are parsed per key. */
export type OverrideValues = Record<string, string | number | boolean>;

/** "4", 4, "1e6", "8000000.0" → number; anything else is left for the schema to reject. */
const numericText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const numberFromText = (value: unknown): unknown =>
  typeof value === 'string' && numericText.test(value.trim()) ? Number(value) : value;
const booleanFromText = (value: unknown): unknown => {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  return text === 'true' ? true : text === 'false' ? false : value;
};

const valueKinds = {
  count: {
    schema: z.preprocess(numberFromText, z.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
    expected: 'a whole number ≥ 1',
  },
  positiveNumber: {
    schema: z.preprocess(numberFromText, z.number().positive()),
    expected: 'a finite number > 0',
  },
  boolean: { schema: z.preprocess(booleanFromText, z.boolean()), expected: 'true or false' },
  blockWeightSharing: {
    schema: BlockWeightSharingSchema,
    expected: BlockWeightSharingSchema.options.map((option) => `'${option}'`).join(' or '),
  },
} as const;

interface OverrideRule {
  field: keyof ModelSpec;
  kind: keyof typeof valueKinds;
  /** changes a tensor shape (hence the parameter count), so the published count no longer applies */
  changesShapes: boolean;
  /** for help text */
  description: string;
}

export const OverrideKeySchema = z.enum([
  'num_hidden_layers',
  'hidden_size',
  'intermediate_size',
  'num_attention_heads',
  'num_key_value_heads',
  'head_dim',
  'vocab_size',
  'tie_word_embeddings',
  'max_context_tokens',
  'rope_theta',
  'block_weight_sharing',
]);
export type OverrideKey = z.infer<typeof OverrideKeySchema>;

const shape = (field: keyof ModelSpec, description: string): OverrideRule => ({
  field,
  kind: 'count',
  changesShapes: true,
  description,
});

const overrideRules: Record<OverrideKey, OverrideRule> = {
  num_hidden_layers: shape('numHiddenLayers', 'decoder blocks'),
  hidden_size: shape('hiddenSize', 'residual width, elements (head_dim stays unless overridden too)'),
  intermediate_size: shape('intermediateSize', 'SwiGLU width, elements'),
  num_attention_heads: shape('numAttentionHeads', 'query heads; a multiple of num_key_value_heads'),
  num_key_value_heads: shape('numKeyValueHeads', 'KV heads; divides num_attention_heads'),
  head_dim: shape('headDim', 'elements per head; even, as RoPE rotates pairs'),
  vocab_size: shape('vocabSize', 'tokens in the embedding table'),
  tie_word_embeddings: {
    field: 'tieWordEmbeddings',
    kind: 'boolean',
    changesShapes: true,
    description: 'lm_head reuses the embedding',
  },
  max_context_tokens: {
    field: 'maxContextTokens',
    kind: 'count',
    changesShapes: false,
    description: 'longest context, tokens',
  },
  rope_theta: {
    field: 'ropeTheta',
    kind: 'positiveNumber',
    changesShapes: false,
    description: 'RoPE base frequency',
  },
  block_weight_sharing: {
    field: 'blockWeightSharing',
    kind: 'blockWeightSharing',
    changesShapes: false,
    description: 'MobileLLM-style sharing of adjacent block pairs (same compute, half the block weights)',
  },
};

/** Every override key with what it expects, for help text and error messages. */
export const overrideKeyHelp: readonly {
  key: OverrideKey;
  expected: string;
  changesShapes: boolean;
  description: string;
}[] = OverrideKeySchema.options.map((key) => {
  const rule = overrideRules[key];
  return {
    key,
    expected: valueKinds[rule.kind].expected,
    changesShapes: rule.changesShapes,
    description: rule.description,
  };
});

/** config.json names people reach for that mean one of ours. */
const keyAliases: Record<string, OverrideKey> = {
  max_position_embeddings: 'max_context_tokens',
  intermediate_size_mlp: 'intermediate_size',
};

const looseKey = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

function unknownKeyMessage(key: string, modelId: string): string {
  const suggestion =
    keyAliases[key] ?? OverrideKeySchema.options.find((known) => looseKey(known) === looseKey(key));
  return (
    `Unknown override key "${key}" for ${modelId}.` +
    (suggestion ? ` Did you mean ${suggestion}?` : '') +
    ` Allowed keys: ${OverrideKeySchema.options.join(', ')}.`
  );
}

/** A catalog model after overrides: the spec to build and profile, and what still holds of the facts. */
export interface ResolvedModel {
  id: string;
  displayName: string;
  hfRepo: string;
  spec: ModelSpec;
  /**
   * parameters; the entry's published count while no override changed a shape, null after one did
   * (it would no longer describe this variant)
   */
  publishedParameters: number | null;
  /** the overrides that were given, parsed to their values, by key */
  overrides: Partial<Record<OverrideKey, number | boolean | string>>;
  /** the catalog entry it started from: sources, context, tokens, scores, notes */
  entry: CatalogEntry;
}

/**
 * A catalog model, by id or Hugging Face repo, with what-if overrides applied and validated. Throws a
 * CatalogError for an unknown id ('unknown-model'), an unknown key ('unknown-override'), or a value
 * that is not valid alone or with the rest of the spec ('invalid-override').
 */
export function resolveModel(idOrRepo: string, overrides: OverrideValues = {}): ResolvedModel {
  const entry = getCatalogEntry(idOrRepo);
  const changes: Record<string, unknown> = {};
  const applied: ResolvedModel['overrides'] = {};
  let shapesChanged = false;

  for (const [rawKey, rawValue] of Object.entries(overrides)) {
    const key = OverrideKeySchema.safeParse(rawKey.trim());
    if (!key.success) throw new CatalogError('unknown-override', unknownKeyMessage(rawKey, entry.id));
    const rule = overrideRules[key.data];
    const kind = valueKinds[rule.kind];
    const value = kind.schema.safeParse(rawValue);
    if (!value.success) {
      throw new CatalogError(
        'invalid-override',
        `Override ${key.data}=${String(rawValue)} for ${entry.id} is not valid: expected ${kind.expected}.`,
      );
    }
    changes[rule.field] = value.data;
    applied[key.data] = value.data;
    if (rule.changesShapes && value.data !== entry.spec[rule.field]) shapesChanged = true;
  }

  const spec = ModelSpecSchema.safeParse({ ...entry.spec, ...changes });
  if (!spec.success) {
    const problems = spec.error.issues.map((issue) => {
      const field = issue.path[0];
      const name =
        typeof field === 'string' && field in specFieldConfigNames
          ? specFieldConfigNames[field as keyof ModelSpec]
          : String(field);
      return issue.code === 'custom' ? issue.message : `${name}: ${issue.message}`;
    });
    throw new CatalogError(
      'invalid-override',
      `Overrides for ${entry.id} do not make a valid model: ${problems.join('; ')}.`,
    );
  }

  return {
    id: entry.id,
    displayName: entry.displayName,
    hfRepo: entry.hfRepo,
    spec: spec.data,
    publishedParameters: shapesChanged ? null : entry.publishedParameters,
    overrides: applied,
    entry,
  };
}

/**
 * "num_hidden_layers=4,vocab_size=8192" → { num_hidden_layers: 4, vocab_size: 8192 }, for the CLI.
 * Numbers become numbers and true/false booleans; resolveModel checks keys and values against a model.
 */
export function parseOverrides(text: string): OverrideValues {
  const values: OverrideValues = {};
  if (text.trim() === '') return values;
  const malformed = (why: string) =>
    new CatalogError(
      'malformed-overrides',
      `Cannot read overrides "${text}": ${why}. Write key=value pairs separated by commas, ` +
        'e.g. "num_hidden_layers=4,vocab_size=8192".',
    );

  text.split(',').forEach((rawPair, index) => {
    const pair = rawPair.trim();
    if (pair === '') throw malformed(`entry ${index + 1} is empty (a doubled or trailing comma?)`);
    const equals = pair.indexOf('=');
    if (equals === -1) throw malformed(`"${pair}" has no "=" and value`);
    const key = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (key === '') throw malformed(`"${pair}" has no key before "="`);
    if (/\s/.test(key)) throw malformed(`key "${key}" contains spaces`);
    if (value === '') throw malformed(`"${key}" has no value after "="`);
    if (Object.hasOwn(values, key)) throw malformed(`"${key}" is given twice`);
    const parsed = booleanFromText(numberFromText(value));
    values[key] = typeof parsed === 'number' || typeof parsed === 'boolean' ? parsed : value;
  });
  return values;
}
