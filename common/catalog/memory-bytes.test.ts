import { describe, expect, it } from 'vitest';
import { getCatalogEntry } from './catalog-entries';
import { CatalogError } from './catalog-error';
import { kvBytesPerToken, weightsBytes } from './memory-bytes';

const specOf = (id: string) => getCatalogEntry(id).spec;

describe('kvBytesPerToken', () => {
  it('gives 2 · 22 layers · 6 KV heads · 64 · 2 bytes = 33,792 bytes for MobileLLM-R1-950M in fp16', () => {
    expect(kvBytesPerToken(specOf('mobilellm-r1-950m'), 2)).toBe(33_792);
  });

  it('matches the per-token KV elements of models-facts.md §1f (5,760 / 7,680 / 16,896)', () => {
    expect(kvBytesPerToken(specOf('mobilellm-r1-140m'), 1)).toBe(5_760);
    expect(kvBytesPerToken(specOf('mobilellm-r1-360m'), 1)).toBe(7_680);
    expect(kvBytesPerToken(specOf('mobilellm-r1-950m'), 1)).toBe(16_896);
  });

  it('does not shrink under block sharing: every block keeps its own cache', () => {
    const spec = specOf('mobilellm-r1-950m');
    expect(kvBytesPerToken({ ...spec, blockWeightSharing: 'immediate-blockwise' }, 2)).toBe(33_792);
  });
});

describe('weightsBytes', () => {
  it('gives fp32 MobileLLM-R1-140M as 140,248,512 × 4 bytes (the checkpoint is ~578 MB with tokenizer)', () => {
    expect(weightsBytes(specOf('mobilellm-r1-140m'), 4)).toBe(560_994_048);
  });

  it('counts shared blocks once and rounds packed 4-bit weights up to whole bytes', () => {
    const spec = specOf('mobilellm-r1-950m');
    const sharing = { ...spec, blockWeightSharing: 'immediate-blockwise' as const };
    expect(weightsBytes(sharing, 2)).toBe((949_685_760 - 752_683_008 / 2) * 2);
    const odd = { ...specOf('smollm2-135m'), vocabSize: 49_153 }; // makes the count odd
    expect(weightsBytes(odd, 0.5)).toBe(Math.ceil((134_515_008 + 576) / 2));
  });

  it('rejects a byte width that is not a positive number, saying which argument', () => {
    expect(() => weightsBytes(specOf('smollm2-135m'), 0)).toThrow(CatalogError);
    expect(() => weightsBytes(specOf('smollm2-135m'), 0)).toThrow(/bytesPerParam .* got 0/);
    expect(() => kvBytesPerToken(specOf('smollm2-135m'), Number.NaN)).toThrow(/bytesPerElement .* got NaN/);
  });
});
