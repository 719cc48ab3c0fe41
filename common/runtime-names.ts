/**
 * Without zod, so the renderer's bundle stays free of it (runtimes.ts holds the schema).
 *
 * The runtimes a trial can run on: onnxruntime (ONNX graphs, onnxruntime-node) and llama.cpp (GGUF
 * files, through node-llama-cpp). One quantization preset names the same idea on both, so Compare can
 * pair them: fp32 ↔ F32, fp16 ↔ F16, int8 ↔ Q8_0, int4 ↔ Q4_0 — each a block-32 symmetric format
 * (MatMulNBits bits 8 / 4, block 32, symmetric; ggml's Q8_0 / Q4_0 have the same block and scale).
 */

export const RUNTIMES = ['onnxruntime', 'llama.cpp'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** The GGUF tensor type each preset stands for on llama.cpp. */
export const GGUF_TYPE_OF_PRESET = { fp32: 'F32', fp16: 'F16', int8: 'Q8_0', int4: 'Q4_0' } as const;
export type GgufPreset = keyof typeof GGUF_TYPE_OF_PRESET;
export type GgufTensorType = (typeof GGUF_TYPE_OF_PRESET)[GgufPreset];

/** The GGUF type of a preset, or null when llama.cpp has no counterpart of it. */
export function ggufTypeOf(quant: string): GgufTensorType | null {
  return Object.hasOwn(GGUF_TYPE_OF_PRESET, quant) ? GGUF_TYPE_OF_PRESET[quant as GgufPreset] : null;
}

export function ggufPresetMessage(quant: string): string {
  return (
    `--quant ${quant} has no llama.cpp counterpart: on llama.cpp use ` +
    Object.entries(GGUF_TYPE_OF_PRESET)
      .map(([preset, type]) => `${preset} (${type})`)
      .join(', ') +
    '.'
  );
}

/**
 * How a variant's weight format reads in labels: the preset on onnxruntime ("int4"), the GGUF type on
 * llama.cpp ("Q4_0"), so a label never says int4 of a file that holds Q4_0 blocks. A model file opened
 * as it is stored says its own type.
 */
export function quantText(spec: {
  quant: string;
  runtime?: string | undefined;
  model?: { kind: string } | undefined;
}): string {
  if (spec.runtime !== 'llama.cpp') return spec.quant;
  if (spec.model?.kind === 'folder') return 'GGUF as stored'; // a user's file keeps its own types
  return ggufTypeOf(spec.quant) ?? spec.quant;
}
