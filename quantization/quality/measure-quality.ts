import type { ExecutionProvider, QualityReport } from '../../profiler/api';
import { CONTINUATION_PROMPT_TOKENS, greedyContinuation, identicalPrefixLength } from './greedy-continuation';
import { compareLogitRows } from './logit-compare';
import { QualityInputError } from './quality-error';
import {
  checkContext,
  checkSameVocabulary,
  describeSide,
  inspectSide,
  openSide,
  type OpenSide,
} from './quality-models';
import { QualityTotals } from './quality-totals';
import { tokenSequences } from './token-sequences';

export interface QualityProgress {
  stage: 'teacher-forced' | 'continuation';
  /** sequences finished in this stage */
  done: number;
  sequences: number;
}

export interface MeasureQualityOptions {
  /** seeded sequences to compare (default 4); ignored when `tokenIds` is given */
  sequences?: number;
  /** tokens per seeded sequence, all read in one prefill (default 64) */
  positions?: number;
  /** tokens each model greedy-decodes per sequence (default 16) */
  continuationTokens?: number;
  /** seed of the seeded ids (default 0) */
  seed?: number;
  /** the caller's sequences, one length, in the models' vocabulary; used instead of seeded ids */
  tokenIds?: readonly (readonly number[])[];
  /** default 'cpu': the provider the variant will run on is the one whose numbers matter */
  ep?: ExecutionProvider;
  /** onnxruntime intra-op threads; default: onnxruntime's own choice */
  threads?: number;
  onProgress?: (progress: QualityProgress) => void;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new QualityInputError(`${name} must be a whole number of at least 1, not ${value}.`);
  }
  return value;
}

/**
 * Teacher-forced: every position's next-token distribution compared (one prefill per model over the
 * whole sequence, or one run per token on a graph that computes the last position's logits only). Errors name the model, sequence and position where logits go bad.
 */
async function compareSequence(
  reference: OpenSide,
  variant: OpenSide,
  ids: readonly number[],
  vocabSize: number,
  totals: QualityTotals,
  where: string,
): Promise<void> {
  reference.runner.reset();
  variant.runner.reset();
  const refLogits = await reference.runner.everyPositionLogits(ids);
  const varLogits = await variant.runner.everyPositionLogits(ids);
  const expected = ids.length * vocabSize;
  for (const [role, logits] of [
    ['reference', refLogits],
    ['variant', varLogits],
  ] as const) {
    if (logits.data.length !== expected) {
      throw new QualityInputError(
        `The ${role}'s logits for ${where} have shape [${logits.dims.join(', ')}], not [1, ${ids.length}, ` +
          `${vocabSize}]: the logits' last dim must be the vocabulary its config.json gives.`,
      );
    }
  }
  for (let position = 0; position < ids.length; position += 1) {
    try {
      totals.addRow(
        position,
        compareLogitRows(refLogits.data, varLogits.data, position * vocabSize, vocabSize),
      );
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new QualityInputError(
        `${where}, position ${position}: ${error.message}, so no KL can be computed.`,
        {
          cause: error,
        },
      );
    }
  }
}

/**
 * How far `variantPath` (a quantized model) drifts from `referencePath` (its fp32 original) on the same
 * tokens: KL divergence, top-1 agreement and logit error at every position of teacher-forced sequences,
 * and whether greedy continuations from the same prompt stay identical. One session per model, made
 * once; logits are compared sequence by sequence and dropped, so memory stays at two sequences' logits.
 */
export async function measureQuality(
  referencePath: string,
  variantPath: string,
  options: MeasureQualityOptions = {},
): Promise<QualityReport> {
  const continuationTokens = positiveInteger('continuationTokens', options.continuationTokens ?? 16);
  const sides = await Promise.all([
    inspectSide('reference', referencePath),
    inspectSide('variant', variantPath),
  ]);
  checkSameVocabulary(...sides);
  const vocabSize = sides[0].vocabSize;
  const tokens = tokenSequences(
    {
      sequences: positiveInteger('sequences', options.sequences ?? 4),
      positions: positiveInteger('positions', options.positions ?? 64),
      positionsGiven: options.positions !== undefined,
      seed: options.seed ?? 0,
      tokenIds: options.tokenIds,
    },
    vocabSize,
  );
  const promptTokens = Math.min(CONTINUATION_PROMPT_TOKENS, tokens.positions);
  // the last continuation token is produced, never fed back, so it needs no room in the cache
  const contextTokens = Math.max(tokens.positions, promptTokens + continuationTokens - 1);
  for (const side of sides) checkContext(side, tokens.positions, contextTokens);

  const ep = options.ep ?? 'cpu';
  const opened: OpenSide[] = [];
  try {
    for (const side of sides) {
      opened.push(await openSide(side, ep, options.threads, contextTokens));
    }
    const [reference, variant] = opened as [OpenSide, OpenSide];
    const totals = new QualityTotals(tokens.positions, vocabSize);
    const count = tokens.sequences.length;
    for (const [index, ids] of tokens.sequences.entries()) {
      await compareSequence(reference, variant, ids, vocabSize, totals, `sequence ${index}`);
      options.onProgress?.({ stage: 'teacher-forced', done: index + 1, sequences: count });
    }
    for (const [index, ids] of tokens.sequences.entries()) {
      const prompt = ids.slice(0, promptTokens);
      const expected = await greedyContinuation(reference.runner, prompt, continuationTokens);
      const actual = await greedyContinuation(variant.runner, prompt, continuationTokens);
      totals.addContinuation(identicalPrefixLength(expected, actual), continuationTokens);
      options.onProgress?.({ stage: 'continuation', done: index + 1, sequences: count });
    }

    const referenceModel = describeSide(referencePath, sides[0].inspection);
    const variantModel = describeSide(variantPath, sides[1].inspection);
    const { parameters } = referenceModel;
    return {
      reference: referenceModel,
      variant: variantModel,
      sequences: count,
      positionsPerSequence: tokens.positions,
      continuationTokens,
      overall: totals.overall(),
      perPosition: totals.perPosition(),
      bytes: {
        variantOnDisk: variantModel.diskBytes,
        referenceOnDisk: referenceModel.diskBytes,
        variantWeights: variantModel.weightsBytes,
        referenceWeights: referenceModel.weightsBytes,
        // ÷ the reference's count: a packed 4-bit tensor counts bytes, not the weights it holds
        variantBytesPerParameter: variantModel.weightsBytes / parameters,
        referenceBytesPerParameter: referenceModel.weightsBytes / parameters,
        compression: referenceModel.weightsBytes / variantModel.weightsBytes,
      },
      tokenSource: tokens.tokenSource,
      seed: tokens.seed,
    };
  } finally {
    await Promise.all(opened.map((side) => side.session.release()));
  }
}
