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
  refuseSyntheticWeights,
  type OpenSide,
} from './quality-models';
import { QualityTotals } from './quality-totals';
import { seededTokenIds } from '../../profiler/runtime/prompt-ids';
import { slidingPerplexity } from './perplexity';
import { selfSampledSequences } from './self-sampled-sequences';
import { tokenizeTextFile, textSequences } from './text-sequences';
import { checkUserSequences } from './token-sequences';

export interface QualityProgress {
  stage: 'sampling' | 'teacher-forced' | 'continuation' | 'perplexity';
  /** sequences finished in this stage */
  done: number;
  sequences: number;
}

export interface MeasureQualityOptions {
  /** sequences to compare (default 4); with `tokenIds`, their count */
  sequences?: number;
  /** tokens per sequence, all read in one prefill (default 64) */
  positions?: number;
  /** tokens each model greedy-decodes per sequence (default 16) */
  continuationTokens?: number;
  /** seed of the reference's self-sampling (default 0) */
  seed?: number;
  /** a UTF-8 text file: sequences from it (tokenized with the reference's tokenizer), and perplexity on it */
  textFile?: string;
  /** perplexity window and stride, tokens (default: min(512, context) and half the window) */
  windowTokens?: number;
  strideTokens?: number;
  /** the caller's token ids, one length, in the models' vocabulary; used instead of self-sampled text */
  tokenIds?: readonly (readonly number[])[];
  /**
   * Tests of the metric itself only: compare models with synthetic (seeded) weights. The CLI, the
   * sweep and the UI never set it: quality from seeded weights says nothing about the real model.
   */
  allowSyntheticWeights?: boolean;
  /** default 'cpu': the provider the variant will run on is the one whose numbers matter */
  ep?: ExecutionProvider;
  /** onnxruntime intra-op threads; default: onnxruntime's own choice */
  threads?: number;
  onProgress?: (progress: QualityProgress) => void;
}

/** Sampling temperature of self-sampled sequences: the model's own distribution, unsharpened. */
export const SELF_SAMPLING_TEMPERATURE = 1;
const DEFAULT_WINDOW_TOKENS = 512;

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
  if (!options.allowSyntheticWeights) for (const side of sides) refuseSyntheticWeights(side);
  checkSameVocabulary(...sides);
  const vocabSize = sides[0].vocabSize;
  const seed = options.seed ?? 0;
  const requestedSequences = positiveInteger('sequences', options.sequences ?? 4);
  const textIds = options.textFile ? tokenizeTextFile(options.textFile, sides[0].inspection.modelFile) : null;
  const userIds = options.tokenIds
    ? checkUserSequences(options.tokenIds, vocabSize, options.positions)
    : null;
  const positions = userIds ? userIds[0]!.length : positiveInteger('positions', options.positions ?? 64);
  const promptTokens = Math.min(CONTINUATION_PROMPT_TOKENS, positions);
  // the last continuation token is produced, never fed back, so it needs no room in the cache
  const contextTokens = Math.max(positions, promptTokens + continuationTokens - 1);
  for (const side of sides) checkContext(side, positions, contextTokens);
  const contextLimit = Math.min(...sides.map((side) => side.maxContextTokens ?? Number.MAX_SAFE_INTEGER));
  const windowTokens = positiveInteger(
    'windowTokens',
    options.windowTokens ?? Math.min(DEFAULT_WINDOW_TOKENS, contextLimit),
  );
  const strideTokens = positiveInteger(
    'strideTokens',
    options.strideTokens ?? Math.max(1, Math.floor(windowTokens / 2)),
  );
  if (textIds && windowTokens > contextLimit) {
    throw new QualityInputError(
      `A ${windowTokens}-token perplexity window exceeds the models' ${contextLimit}-token context: use a smaller --window.`,
    );
  }
  if (strideTokens > windowTokens) {
    throw new QualityInputError(
      `The stride (${strideTokens}) is longer than the window (${windowTokens}): tokens between windows would never be scored.`,
    );
  }

  const ep = options.ep ?? 'cpu';
  const opened: OpenSide[] = [];
  try {
    const sessionContext = Math.max(contextTokens, textIds ? windowTokens : 0);
    for (const side of sides) {
      opened.push(await openSide(side, ep, options.threads, sessionContext));
    }
    const [reference, variant] = opened as [OpenSide, OpenSide];
    // the config's BOS, as text starts; a seeded token when it names none inside the vocabulary
    const bos = sides[0].bosTokenId;
    const startTokenIds = Array.from({ length: requestedSequences }, (_, index) =>
      bos !== null && bos < vocabSize ? bos : seededTokenIds(seed, 1, vocabSize, index)[0]!,
    );
    let sequences: number[][];
    if (userIds) sequences = userIds;
    else if (textIds) sequences = textSequences(textIds, requestedSequences, positions, options.textFile!);
    else {
      sequences = await selfSampledSequences(reference.runner, {
        sequences: requestedSequences,
        positions,
        seed,
        temperature: SELF_SAMPLING_TEMPERATURE,
        startTokenIds,
      });
      options.onProgress?.({ stage: 'sampling', done: requestedSequences, sequences: requestedSequences });
    }
    const totals = new QualityTotals(positions, vocabSize);
    const count = sequences.length;
    for (const [index, ids] of sequences.entries()) {
      await compareSequence(reference, variant, ids, vocabSize, totals, `sequence ${index}`);
      options.onProgress?.({ stage: 'teacher-forced', done: index + 1, sequences: count });
    }
    for (const [index, ids] of sequences.entries()) {
      const prompt = ids.slice(0, promptTokens);
      const expected = await greedyContinuation(reference.runner, prompt, continuationTokens);
      const actual = await greedyContinuation(variant.runner, prompt, continuationTokens);
      totals.addContinuation(identicalPrefixLength(expected, actual), continuationTokens);
      options.onProgress?.({ stage: 'continuation', done: index + 1, sequences: count });
    }
    let perplexity: QualityReport['perplexity'] = null;
    if (textIds) {
      const windows = { windowTokens, strideTokens };
      const ref = await slidingPerplexity(reference.runner, textIds, vocabSize, windows);
      const vari = await slidingPerplexity(variant.runner, textIds, vocabSize, windows);
      options.onProgress?.({ stage: 'perplexity', done: 1, sequences: 1 });
      perplexity = {
        windowTokens,
        strideTokens,
        textTokens: textIds.length,
        scoredTokens: ref.scoredTokens,
        reference: { perplexity: ref.perplexity, meanNllNats: ref.meanNllNats },
        variant: { perplexity: vari.perplexity, meanNllNats: vari.meanNllNats },
        difference: vari.perplexity - ref.perplexity,
      };
    }

    const referenceModel = describeSide(referencePath, sides[0].inspection);
    const variantModel = describeSide(variantPath, sides[1].inspection);
    const { parameters } = referenceModel;
    const tokenSource = userIds ? 'user' : textIds ? 'text' : 'self-sampled';
    return {
      reference: referenceModel,
      variant: variantModel,
      sequences: count,
      positionsPerSequence: positions,
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
      tokenSource,
      seed: tokenSource === 'self-sampled' ? seed : null,
      sampling:
        tokenSource === 'self-sampled'
          ? { temperature: SELF_SAMPLING_TEMPERATURE, seed, startTokenIds: startTokenIds.slice(0, count) }
          : null,
      text: textIds ? { file: options.textFile!, tokens: textIds.length } : null,
      perplexity,
    };
  } finally {
    await Promise.all(opened.map((side) => side.session.release()));
  }
}
