import { QualityInputError } from './quality-error';

/**
 * The caller's token ids, checked and used as given: one length (positions are averaged across
 * sequences), every id inside the vocabulary.
 */
export function checkUserSequences(
  tokenIds: readonly (readonly number[])[],
  vocabSize: number,
  positions: number | undefined,
): number[][] {
  if (tokenIds.length === 0) {
    throw new QualityInputError(
      'tokenIds holds no sequences: give at least one, or leave it out for self-sampled text.',
    );
  }
  const length = tokenIds[0]!.length;
  tokenIds.forEach((sequence, index) => {
    if (sequence.length === 0)
      throw new QualityInputError(`tokenIds[${index}] is empty: each sequence needs tokens.`);
    if (sequence.length !== length) {
      throw new QualityInputError(
        `tokenIds[${index}] has ${sequence.length} tokens but tokenIds[0] has ${length}: the positions are ` +
          'averaged across sequences, so give sequences of one length (trim the longer ones).',
      );
    }
    const bad = sequence.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
    if (bad >= 0) {
      throw new QualityInputError(
        `tokenIds[${index}][${bad}] is ${sequence[bad]}, not a token id of the ${vocabSize}-token vocabulary ` +
          `(0–${vocabSize - 1}): tokenize with the models' own tokenizer.`,
      );
    }
  });
  if (positions !== undefined && positions !== length) {
    throw new QualityInputError(
      `positions is ${positions} but the given sequences have ${length} tokens: leave positions ` +
        'out when giving tokenIds, or make them agree.',
    );
  }
  return tokenIds.map((sequence) => [...sequence]);
}
