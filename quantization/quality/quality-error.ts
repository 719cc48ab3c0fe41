/**
 * A quality run that cannot be done as asked: models that do not compare (different vocabularies),
 * token ids or lengths a model cannot take, options out of range. The message says which value, from
 * which model, and what to change.
 */
export class QualityInputError extends Error {
  override name = 'QualityInputError';
}
