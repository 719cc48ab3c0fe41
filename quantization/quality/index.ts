/**
 * quantization/quality: how far a quantized variant drifts from its fp32 reference on the same tokens
 * (KL divergence, top-1 agreement, logit error, greedy continuations). The report's schema is
 * QualityReportSchema in profiler/api.
 */
export { measureQuality } from './measure-quality';
export type { MeasureQualityOptions, QualityProgress } from './measure-quality';
export { compareLogitRows } from './logit-compare';
export type { RowComparison } from './logit-compare';
export { QualityInputError } from './quality-error';
