import { seededTokenIds } from '../../profiler/runtime/prompt-ids';
import { QualityInputError } from './quality-error';

/** Where the compared sequences came from; `seed` is null for the caller's own. */
export interface TokenSequences {
  sequences: number[][];
  /** tokens per sequence */
  positions: number;
  tokenSource: 'seeded' | 'user';
  seed: number | null;
}

export interface SequenceRequest {
  sequences: number;
  positions: number;
  /** true when the caller set `positions` explicitly */
  positionsGiven: boolean;
  seed: number;
  tokenIds?: readonly (readonly number[])[];
}

/**
 * The sequences both models read: the caller's, checked and used as given, or `sequences` seeded runs
 * of `positions` ids (stream = sequence index, so each sequence differs and every machine gets the same).
 */
export function tokenSequences(request: SequenceRequest, vocabSize: number): TokenSequences {
  const { tokenIds } = request;
  if (tokenIds === undefined) {
    const sequences = Array.from({ length: request.sequences }, (_, stream) =>
      seededTokenIds(request.seed, request.positions, vocabSize, stream),
    );
    return { sequences, positions: request.positions, tokenSource: 'seeded', seed: request.seed };
  }
  if (tokenIds.length === 0) {
    throw new QualityInputError(
      'tokenIds holds no sequences: give at least one, or leave it out for seeded ids.',
    );
  }
  const positions = tokenIds[0]!.length;
  tokenIds.forEach((sequence, index) => {
    if (sequence.length === 0)
      throw new QualityInputError(`tokenIds[${index}] is empty: each sequence needs tokens.`);
    if (sequence.length !== positions) {
      throw new QualityInputError(
        `tokenIds[${index}] has ${sequence.length} tokens but tokenIds[0] has ${positions}: the positions are ` +
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
  if (request.positionsGiven && request.positions !== positions) {
    throw new QualityInputError(
      `positions is ${request.positions} but the given sequences have ${positions} tokens: leave positions ` +
        'out when giving tokenIds, or make them agree.',
    );
  }
  return { sequences: tokenIds.map((sequence) => [...sequence]), positions, tokenSource: 'user', seed: null };
}
