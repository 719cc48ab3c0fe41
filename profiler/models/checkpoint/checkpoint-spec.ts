import {
  catalogEntries,
  ModelSpecSchema,
  parameterCount,
  type CatalogEntry,
  type ModelFamily,
  type ModelSpec,
  type ResolvedModel,
} from '../../../common/catalog';
import { CheckpointError } from './checkpoint-error';

/**
 * A checkpoint's config.json → the ModelSpec the graph builder reads, per supported family. Shapes come
 * from the config, never from the catalog: a fine-tune, a pruned or a tiny test model imports as well as
 * the published sizes. What the graphs cannot compute (NoPE layers, RoPE scaling, sliding windows, MoE)
 * is refused by name rather than imported wrong.
 */

interface FamilyRule {
  family: ModelFamily;
  /** the switches of the family's architecture */
  switches: Pick<ModelSpec, 'ropeStyle' | 'qkNorm' | 'normPlacement' | 'ffnModuleName'>;
  /** extra checks and fields read from config.json */
  read?: (config: ConfigReader) => Partial<ModelSpec>;
}

class ConfigReader {
  constructor(
    readonly file: string,
    readonly raw: Record<string, unknown>,
  ) {}

  private fail(key: string, expected: string): never {
    throw new CheckpointError(
      `${this.file}: ${key} is ${JSON.stringify(this.raw[key])}, expected ${expected}. Is this the checkpoint's own config.json?`,
    );
  }

  count(key: string, fallback?: number): number {
    const value = this.raw[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      this.fail(key, 'a whole number ≥ 1');
    return value;
  }

  positive(key: string, fallback?: number): number {
    const value = this.raw[key] ?? fallback;
    if (typeof value !== 'number' || !(value > 0)) this.fail(key, 'a number > 0');
    return value;
  }

  flag(key: string, fallback: boolean): boolean {
    const value = this.raw[key] ?? fallback;
    if (typeof value !== 'boolean') this.fail(key, 'true or false');
    return value;
  }

  /** Refuses a setting the graphs do not implement, saying what it would change. */
  refuseUnless(key: string, ok: (value: unknown) => boolean, why: string): void {
    const value = this.raw[key];
    if (value === undefined || value === null || ok(value)) return;
    throw new CheckpointError(
      `${this.file}: ${key} = ${JSON.stringify(value)} is not supported: ${why}. The workbench's graphs ` +
        'would compute a different model, so it does not import this checkpoint.',
    );
  }
}

const noRopeScaling = (config: ConfigReader): void =>
  config.refuseUnless(
    'rope_scaling',
    (value) => typeof value === 'object' && (value as { rope_type?: unknown }).rope_type === 'default',
    'the graphs apply plain RoPE, without scaling',
  );

const FAMILIES: Record<string, FamilyRule> = {
  llama4_text: {
    family: 'MobileLLM-R1',
    switches: {
      ropeStyle: 'interleaved',
      qkNorm: 'weightless-after-rope',
      normPlacement: 'pre',
      ffnModuleName: 'feed_forward',
    },
    read: (config) => {
      noRopeScaling(config);
      config.refuseUnless(
        'no_rope_layers',
        (value) => Array.isArray(value) && value.every((use) => use === 1 || use === true),
        'NoPE layers (0 entries) are not built; every layer applies RoPE in the graphs',
      );
      config.refuseUnless(
        'moe_layers',
        (value) => Array.isArray(value) && value.length === 0,
        'mixture-of-experts layers are not built; MobileLLM-R1 has none',
      );
      const context = config.count('max_position_embeddings');
      const chunk = config.count('attention_chunk_size', context);
      return {
        // intermediate_size is Llama-4's unused MoE width; the dense SwiGLU is intermediate_size_mlp
        intermediateSize: config.count('intermediate_size_mlp', config.count('intermediate_size')),
        qkNorm: config.flag('use_qk_norm', false) ? 'weightless-after-rope' : 'none',
        // chunked attention equals causal attention up to the chunk: run no longer than that
        maxContextTokens: Math.min(context, chunk),
      };
    },
  },
  qwen3: {
    family: 'Qwen3',
    switches: {
      ropeStyle: 'half',
      qkNorm: 'learned-per-head-before-rope',
      normPlacement: 'pre',
      ffnModuleName: 'mlp',
    },
    read: (config) => {
      noRopeScaling(config);
      config.refuseUnless(
        'use_sliding_window',
        (value) => value === false,
        'sliding-window attention is not built',
      );
      return {};
    },
  },
  llama: {
    family: 'SmolLM2',
    switches: { ropeStyle: 'half', qkNorm: 'none', normPlacement: 'pre', ffnModuleName: 'mlp' },
    read: (config) => {
      noRopeScaling(config);
      config.refuseUnless('mlp_bias', (value) => value === false, 'MLP biases are not built');
      return {};
    },
  },
  olmo2: {
    family: 'OLMo-2',
    switches: {
      ropeStyle: 'half',
      qkNorm: 'learned-full-width-before-rope',
      normPlacement: 'post',
      ffnModuleName: 'mlp',
    },
    read: (config) => {
      noRopeScaling(config);
      return {};
    },
  },
};

export const SUPPORTED_MODEL_TYPES = Object.keys(FAMILIES);

/** The spec a config.json describes (strict: a missing or odd field is named). */
export function specFromConfig(
  file: string,
  raw: Record<string, unknown>,
): { spec: ModelSpec; family: ModelFamily } {
  const modelType = raw.model_type;
  const rule = typeof modelType === 'string' ? FAMILIES[modelType] : undefined;
  if (!rule) {
    throw new CheckpointError(
      `${file}: model_type ${JSON.stringify(modelType)} is not a supported family. Supported: ` +
        `${Object.entries(FAMILIES)
          .map(([type, family]) => `${type} (${family.family})`)
          .join(', ')}.`,
    );
  }
  const config = new ConfigReader(file, raw);
  const heads = config.count('num_attention_heads');
  const hidden = config.count('hidden_size');
  const fields = {
    numHiddenLayers: config.count('num_hidden_layers'),
    hiddenSize: hidden,
    intermediateSize: config.count('intermediate_size'),
    numAttentionHeads: heads,
    numKeyValueHeads: config.count('num_key_value_heads', heads),
    headDim: config.count('head_dim', Number.isInteger(hidden / heads) ? hidden / heads : undefined),
    vocabSize: config.count('vocab_size'),
    // transformers' PretrainedConfig default; the tensor check catches a config that says otherwise
    tieWordEmbeddings: config.flag('tie_word_embeddings', true),
    rmsNormEps: config.positive('rms_norm_eps'),
    ropeTheta: config.positive('rope_theta', 10_000),
    attentionBias: config.flag('attention_bias', false),
    maxContextTokens: config.count('max_position_embeddings'),
    blockWeightSharing: 'none' as const,
    ...rule.switches,
    ...rule.read?.(config),
  };
  const parsed = ModelSpecSchema.safeParse(fields);
  if (!parsed.success) {
    throw new CheckpointError(
      `${file} does not describe a runnable decoder: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`,
    );
  }
  return { spec: parsed.data, family: rule.family };
}

/** Same architecture and shapes (the context may differ: base and post-trained models share weights). */
function sameShapes(a: ModelSpec, b: ModelSpec): boolean {
  return JSON.stringify({ ...a, maxContextTokens: 0 }) === JSON.stringify({ ...b, maxContextTokens: 0 });
}

/**
 * The import as a ResolvedModel: the catalog entry of its family for the facts (exact when its shapes
 * are a published model's, whose parameter count then applies), the checkpoint's own spec.
 */
export function resolveCheckpoint(
  file: string,
  raw: Record<string, unknown>,
  name: string,
): { model: ResolvedModel; matchedCatalogId: string | null } {
  const { spec, family } = specFromConfig(file, raw);
  const familyEntries = catalogEntries.filter((entry) => entry.family === family);
  const match = familyEntries.find((entry) => sameShapes(entry.spec, spec)) ?? null;
  const entry: CatalogEntry = match ?? familyEntries[0]!;
  const published =
    match && parameterCount(spec) === match.publishedParameters ? match.publishedParameters : null;
  const id =
    name
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'checkpoint';
  return {
    model: {
      id,
      displayName: name,
      hfRepo: match?.hfRepo ?? name,
      spec,
      publishedParameters: published,
      overrides: {},
      entry,
    },
    matchedCatalogId: match?.id ?? null,
  };
}
