import { describe, expect, it } from 'vitest';
import { QUANT_PRESET_NAMES, resolvePreset, runsAsStored } from './quant-presets';
import { SweepSpecSchema, TrialSpecSchema } from './schemas';

describe('quantization presets', () => {
  it('are the names the trial and sweep schemas accept, refusing others with the list', () => {
    const model = { kind: 'catalog' as const, id: 'mobilellm-r1-140m' };
    for (const quant of QUANT_PRESET_NAMES) expect(TrialSpecSchema.parse({ model, quant }).quant).toBe(quant);
    const trial = TrialSpecSchema.safeParse({ model, quant: 'int3' });
    expect(trial.error?.issues[0]?.message).toBe(
      'Unknown quantization preset "int3". Presets: fp32, fp16, int8, int8-dyn, int4, int4-b128-asym, q4f16.',
    );
    const sweep = SweepSpecSchema.safeParse({ models: [model], quants: ['int4', 'q3'] });
    expect(sweep.error?.issues[0]?.path).toEqual(['quants', 1]);
    expect(sweep.error?.issues[0]?.message).toMatch(/^Unknown quantization preset "q3"\. Presets: fp32,/);
  });

  it('resolve to full option sets, and fp32 with its own KV dtype runs as stored', () => {
    expect(resolvePreset('int4')).toMatchObject({
      weights: 'nbits',
      bits: 4,
      blockSize: 32,
      symmetric: true,
    });
    expect(() => resolvePreset('int3')).toThrow(/Unknown quantization preset "int3"\. Presets: fp32, fp16/);
    expect(runsAsStored({ quant: 'fp32' })).toBe(true);
    expect(runsAsStored({ quant: 'fp32', kvDtype: 'float16' })).toBe(false);
    expect(runsAsStored({ quant: 'int4' })).toBe(false);
  });
});
