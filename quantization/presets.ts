/**
 * The quantization presets: names, option table and resolvePreset live in common/quant-presets.ts,
 * where the trial schema and the run builder read them too.
 */
export * from '../common/quant-presets';
