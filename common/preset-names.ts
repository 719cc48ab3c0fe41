/**
 * The names of the quantization presets, in the order people compare them: the trial and sweep schemas,
 * the run builder's chips and the CLI all take them from here. Kept apart from quant-presets.ts (the
 * option table, which needs zod) so the renderer can list them without bundling zod.
 */
export const QUANT_PRESET_NAMES = [
  'fp32',
  'fp16',
  'int8',
  'int8-dyn',
  'int4',
  'int4-b128-asym',
  'q4f16',
] as const;
export type QuantPresetName = (typeof QUANT_PRESET_NAMES)[number];

/** 'Unknown quantization preset "int3". Presets: fp32, fp16, …' */
export function unknownPresetMessage(name: unknown): string {
  return `Unknown quantization preset "${String(name)}". Presets: ${QUANT_PRESET_NAMES.join(', ')}.`;
}
