import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTokenizer } from '../../profiler/runtime/text-tokenizer';
import { QualityInputError } from './quality-error';

/**
 * The user's text as token ids, tokenized with the model folder's own tokenizer exactly as it encodes
 * (special tokens only where its post-processor adds them), and cut into consecutive sequences for the
 * teacher-forced comparison.
 */
export function tokenizeTextFile(file: string, modelFile: string): number[] {
  if (!existsSync(file))
    throw new QualityInputError(`--text ${file} does not exist: give a UTF-8 text file.`);
  const tokenizer = loadTokenizer(path.dirname(modelFile));
  if (!tokenizer) {
    throw new QualityInputError(
      `${path.dirname(modelFile)} has no tokenizer.json (nor its parent folder): --text needs the model's ` +
        'tokenizer. Import the checkpoint with its tokenizer files (models import copies them).',
    );
  }
  const ids = tokenizer.encode(readFileSync(file, 'utf8'));
  if (ids.length < 2)
    throw new QualityInputError(`--text ${file} gives ${ids.length} token(s): nothing to score.`);
  return ids;
}

/** Up to `sequences` consecutive, non-overlapping runs of `positions` tokens from the start of the text. */
export function textSequences(
  ids: readonly number[],
  sequences: number,
  positions: number,
  file: string,
): number[][] {
  const available = Math.floor(ids.length / positions);
  if (available < 1) {
    throw new QualityInputError(
      `--text ${file} is ${ids.length} tokens, fewer than one sequence of ${positions}: give a longer text or fewer --positions.`,
    );
  }
  return Array.from({ length: Math.min(sequences, available) }, (_, i) =>
    ids.slice(i * positions, (i + 1) * positions),
  );
}
