import { modelKey } from './labels';
import type { RunQualityEntry, TradeoffQuality, TrialSpec } from './schemas';

/**
 * Which configurations are worth choosing, one rule for the Compare screen, the reports and the CLI:
 * the fp32 reference's own quality, the quality a run measured for a variant, and the Pareto front over
 * decode speed, memory and closeness to fp32.
 */

/** The fp32 variant with an fp32 KV cache is the reference every quality number is measured against. */
export function isFp32Reference(spec: Pick<TrialSpec, 'quant' | 'kvDtype'>): boolean {
  return spec.quant === 'fp32' && (spec.kvDtype ?? 'float32') === 'float32';
}

/**
 * A configuration's quality against fp32: the reference itself (KL 0, agreement 1), else the run's
 * measured entry for its model and preset, else null (not measured). Always null for a catalog model:
 * it runs with seeded weights, so it has no quality and no place on a quality axis ("needs real
 * weights"), whatever an older run document recorded for it.
 */
export function qualityOf(
  spec: Pick<TrialSpec, 'model' | 'quant' | 'kvDtype'>,
  entries: readonly RunQualityEntry[],
): TradeoffQuality | null {
  if (spec.model.kind === 'catalog') return null;
  if (isFp32Reference(spec)) return { klMean: 0, top1Agreement: 1, source: 'reference' };
  const key = modelKey(spec.model);
  // quality entries are per model and preset; a KV-dtype override of the preset is not told apart
  const entry = entries.find((candidate) => candidate.modelKey === key && candidate.quant === spec.quant);
  if (!entry) return null;
  return {
    klMean: entry.report.overall.klMean,
    top1Agreement: entry.report.overall.top1Agreement,
    source: 'measured',
  };
}

/** What Pareto marking compares. An objective a point does not have (null, or absent) is not weighed. */
export interface ParetoCandidate {
  /** tokens/s; more is better */
  decodeTokensPerSecond: number;
  /** bytes; less is better */
  memoryBytes?: number | null;
  /** nats, KL against fp32; less is better */
  klMean: number | null;
}

/** -1: `a` is better in this objective, 1: worse, 0: as good, or not both have it */
function compareLess(a: number | null | undefined, b: number | null | undefined): number {
  if (a === null || a === undefined || b === null || b === undefined) return 0;
  return Math.sign(a - b);
}

/**
 * `a` dominates `b`: at least as good in every objective and better in one. Memory and KL count only
 * when both points have them; otherwise the rest decide, so an unmeasured point is neither helped nor
 * hurt by quality (and a faster, smaller unmeasured variant dominates fp32 itself). Equal points do not
 * dominate each other: both stay on the front.
 */
export function dominates(a: ParetoCandidate, b: ParetoCandidate): boolean {
  const comparisons = [
    compareLess(b.decodeTokensPerSecond, a.decodeTokensPerSecond),
    compareLess(a.memoryBytes, b.memoryBytes),
    compareLess(a.klMean, b.klMean),
  ];
  return comparisons.every((c) => c <= 0) && comparisons.some((c) => c < 0);
}

/** For each candidate, the indexes of the candidates that dominate it (empty: Pareto-optimal). */
export function paretoDominators(candidates: readonly ParetoCandidate[]): number[][] {
  return candidates.map((b, index) =>
    candidates.flatMap((a, other) => (other !== index && dominates(a, b) ? [other] : [])),
  );
}

/** For each candidate, whether it is on the Pareto front: nothing dominates it. */
export function paretoFront(candidates: readonly ParetoCandidate[]): boolean[] {
  return paretoDominators(candidates).map((dominators) => dominators.length === 0);
}
