import { describe, expect, it } from 'vitest';
import { compareLogitRows } from './logit-compare';

describe('compareLogitRows', () => {
  it('computes KL(p_ref ‖ p_variant) in nats, with the logit errors and top-1 match', () => {
    // p_ref = (1/2, 1/2), p_var = (1/4, 3/4): KL = ½ ln 2 + ½ ln(2/3)
    const reference = Float32Array.of(9, 9, 0, 0); // second row: log 1, log 1
    const variant = Float32Array.of(9, 9, 0, Math.log(3));
    const row = compareLogitRows(reference, variant, 2, 2);
    expect(row.klNats).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 6);
    expect(row.top1Match).toBe(false);
    expect(row.maxAbsLogitError).toBeCloseTo(Math.log(3), 6);
    expect(row.sumAbsLogitError).toBeCloseTo(Math.log(3), 6);
  });

  it('stays exact for logits too large for a plain exp()', () => {
    const row = compareLogitRows(Float32Array.of(1000, 990), Float32Array.of(1000, 990), 0, 2);
    expect(row.klNats).toBe(0);
    expect(row.top1Match).toBe(true);
  });

  it('refuses logits that are not numbers', () => {
    expect(() => compareLogitRows(Float32Array.of(1, 2), Float32Array.of(1, Number.NaN), 0, 2)).toThrow(
      /variant's logit for token 1 is NaN/,
    );
  });
});
