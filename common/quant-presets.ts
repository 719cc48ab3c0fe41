import { z } from 'zod';
import { QUANT_PRESET_NAMES, unknownPresetMessage, type QuantPresetName } from './preset-names';

/**
 * Quantization presets users know from onnxruntime-genai and Optimum, each a full set of options that
 * the CLI's flags can override. The KV-cache dtype is its own setting. The names feed the trial and
 * sweep schemas, the run builder's chips and the CLI; the options, the quantizer (quantization/).
 */

export const QuantPresetNameSchema = z.enum(QUANT_PRESET_NAMES, {
  error: (issue) => unknownPresetMessage(issue.input),
});
export { QUANT_PRESET_NAMES, type QuantPresetName };

/**
 * A GGUF tensor type as llama.cpp names a model's precision ("Q4_0", "Q8_0", "F16", "Q4_K - Medium"):
 * the quantization of a llama.cpp result (an imported llama-bench record, a llama.cpp trial). onnxruntime
 * trials take a preset; these name what llama.cpp ran, never an option the quantizer takes.
 */
export const GgufTypeSchema = z
  .string()
  .regex(/^(F32|F16|BF16|I?Q\d\w*( - \w+)?)$/, 'expected a GGUF type such as Q4_0, Q8_0, F16 or F32');

/**
 * What a trial's weights are stored as: a preset (onnxruntime) or a GGUF type (llama.cpp). Anything else
 * is refused with the list of presets, as a typo of one is the likely mistake.
 */
export const TrialQuantSchema = z
  .string()
  .refine((name) => QuantPresetNameSchema.safeParse(name).success || GgufTypeSchema.safeParse(name).success, {
    error: (issue) => unknownPresetMessage(issue.input),
  });
export type TrialQuant = z.infer<typeof TrialQuantSchema>;

export const QuantOptionsSchema = z.object({
  /** how MatMul weights are stored: kept fp32, fp16, MatMulNBits 4/8-bit, or DynamicQuantizeMatMul int8 */
  weights: z.enum(['float32', 'float16', 'nbits', 'dynamic-int8']),
  /** MatMulNBits bits */
  bits: z.union([z.literal(4), z.literal(8)]).default(4),
  /** elements per quantization block along K */
  blockSize: z.union([z.literal(16), z.literal(32), z.literal(64), z.literal(128)]).default(32),
  symmetric: z.boolean().default(true),
  /** MatMulNBits accuracy_level: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 (A quantized to int8 per block) */
  accuracyLevel: z.number().int().min(0).max(4).default(0),
  /** the token embedding: GatherBlockQuantized (shared with a tied lm_head) or left as it is */
  quantizeEmbeddings: z.boolean().default(true),
  /** activations, graph I/O and the rest of the float tensors */
  activations: z.enum(['float32', 'float16']).default('float32'),
  /** the KV cache's dtype at the graph boundary (past_key_values / present) */
  kvDtype: z.enum(['float32', 'float16']).default('float32'),
});
export type QuantOptions = z.infer<typeof QuantOptionsSchema>;
export type QuantOptionsInput = z.input<typeof QuantOptionsSchema>;

const presets: Record<QuantPresetName, QuantOptionsInput> = {
  fp32: { weights: 'float32', quantizeEmbeddings: false },
  fp16: { weights: 'float16', quantizeEmbeddings: false, activations: 'float16', kvDtype: 'float16' },
  // weight-only int8, as ORT's MatMulNBits quantizer (bits 8) with genai's CPU accuracy level
  int8: { weights: 'nbits', bits: 8, blockSize: 32, symmetric: true, accuracyLevel: 4 },
  // per-column int8 weights, activations quantized at run time (quantize_dynamic's fused form)
  'int8-dyn': { weights: 'dynamic-int8', quantizeEmbeddings: false },
  // onnxruntime-genai's CPU default: block 32, symmetric, accuracy level 4
  int4: { weights: 'nbits', bits: 4, blockSize: 32, symmetric: true, accuracyLevel: 4 },
  // ORT's MatMulNBitsQuantizer default: block 128, asymmetric, accuracy level unset
  'int4-b128-asym': { weights: 'nbits', bits: 4, blockSize: 128, symmetric: false, accuracyLevel: 0 },
  // int4 weights with fp16 activations and KV, for GPU EPs
  q4f16: {
    weights: 'nbits',
    bits: 4,
    blockSize: 32,
    symmetric: true,
    accuracyLevel: 0,
    activations: 'float16',
    kvDtype: 'float16',
  },
};

/** A trial that runs its model as it is stored: fp32 with the preset's own KV dtype needs no quantizing. */
export function runsAsStored(spec: { quant: string; kvDtype?: string | undefined }): boolean {
  return spec.quant === 'fp32' && spec.kvDtype === undefined;
}

export class QuantPresetError extends Error {
  override name = 'QuantPresetError';
}

/** A preset's options with overrides applied (flags: --block-size, --asym, --accuracy-level, --kv-dtype). */
export function resolvePreset(name: string, overrides: Partial<QuantOptionsInput> = {}): QuantOptions {
  const preset = QuantPresetNameSchema.safeParse(name);
  if (!preset.success) throw new QuantPresetError(unknownPresetMessage(name));
  const parsed = QuantOptionsSchema.safeParse({ ...presets[preset.data], ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QuantPresetError(
      `Invalid option for preset ${name}: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
