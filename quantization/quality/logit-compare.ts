/**
 * One position's next-token distributions, reference against variant. Softmax runs in float64 with the
 * row maximum subtracted, so large logits neither overflow exp() nor lose the small probabilities that
 * KL divergence weighs.
 */

export interface RowComparison {
  /** KL(p_ref ‖ p_variant) = Σ p_ref · (log p_ref − log p_variant), nats */
  klNats: number;
  /** both rows' argmax is the same token (the first index wins a tie, in both rows alike) */
  top1Match: boolean;
  maxAbsLogitError: number;
  /** Σ |logit_ref − logit_variant| over the row: divide by the count for a mean */
  sumAbsLogitError: number;
}

interface RowSummary {
  max: number;
  argmax: number;
  /** log Σ exp(x): the softmax's normaliser, so log p_i = x_i − logSumExp */
  logSumExp: number;
}

function summarize(row: Float32Array, start: number, vocab: number, label: string): RowSummary {
  let max = -Infinity;
  let argmax = 0;
  for (let i = 0; i < vocab; i += 1) {
    const value = row[start + i]!;
    if (!Number.isFinite(value)) throw new RangeError(`the ${label}'s logit for token ${i} is ${value}`);
    if (value > max) {
      max = value;
      argmax = i;
    }
  }
  let sum = 0;
  for (let i = 0; i < vocab; i += 1) sum += Math.exp(row[start + i]! - max);
  return { max, argmax, logSumExp: max + Math.log(sum) };
}

/**
 * Compares `vocab` logits starting at `start` in both arrays. Throws RangeError when a logit is NaN or
 * infinite (an fp16 overflow, say): no distribution can be made of it.
 */
export function compareLogitRows(
  reference: Float32Array,
  variant: Float32Array,
  start: number,
  vocab: number,
): RowComparison {
  const ref = summarize(reference, start, vocab, 'reference');
  const vari = summarize(variant, start, vocab, 'variant');
  let kl = 0;
  let maxAbs = 0;
  let sumAbs = 0;
  for (let i = 0; i < vocab; i += 1) {
    const x = reference[start + i]!;
    const y = variant[start + i]!;
    const logRef = x - ref.logSumExp;
    kl += Math.exp(logRef) * (logRef - (y - vari.logSumExp));
    const diff = Math.abs(x - y);
    sumAbs += diff;
    if (diff > maxAbs) maxAbs = diff;
  }
  return {
    // KL is ≥ 0; rounding can leave a -1e-17 where the rows are (nearly) equal
    klNats: Math.max(0, kl),
    top1Match: ref.argmax === vari.argmax,
    maxAbsLogitError: maxAbs,
    sumAbsLogitError: sumAbs,
  };
}
