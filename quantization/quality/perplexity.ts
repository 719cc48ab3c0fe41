import type { PerplexitySide } from '../../common/schemas/quality';
import type { DecoderRunner } from '../../profiler/runtime/decoder-runner';

/**
 * Sliding-window perplexity (Hugging Face's "Perplexity of fixed-length models"; llama.cpp's perplexity
 * tool does the same with its own window): windows of `windowTokens` start every `strideTokens`; the
 * tokens a window adds past the previous window's end are scored, each with every earlier token of its
 * window as context. The first token of the text is never scored (nothing predicts it).
 */
export interface PerplexityWindows {
  windowTokens: number;
  strideTokens: number;
}

/** [begin, end) of each window, and the first index each one scores. */
export function perplexityWindows(length: number, { windowTokens, strideTokens }: PerplexityWindows) {
  const windows: { begin: number; end: number; scoreFrom: number }[] = [];
  let previousEnd = 0;
  for (let begin = 0; begin < length; begin += strideTokens) {
    const end = Math.min(begin + windowTokens, length);
    windows.push({ begin, end, scoreFrom: Math.max(previousEnd, begin + 1) });
    previousEnd = end;
    if (end === length) break;
  }
  return windows;
}

/** −log softmax(row)[target], float64 with the maximum subtracted. */
function negativeLogLikelihood(logits: Float32Array, start: number, vocab: number, target: number): number {
  let max = -Infinity;
  for (let i = 0; i < vocab; i += 1) max = Math.max(max, logits[start + i]!);
  let sum = 0;
  for (let i = 0; i < vocab; i += 1) sum += Math.exp(logits[start + i]! - max);
  return max + Math.log(sum) - logits[start + target]!;
}

export async function slidingPerplexity(
  runner: DecoderRunner,
  ids: readonly number[],
  vocab: number,
  windows: PerplexityWindows,
): Promise<PerplexitySide & { scoredTokens: number }> {
  let totalNll = 0;
  let scored = 0;
  for (const window of perplexityWindows(ids.length, windows)) {
    runner.reset();
    const { data } = await runner.everyPositionLogits(ids.slice(window.begin, window.end));
    for (let t = window.scoreFrom; t < window.end; t += 1) {
      // token t is predicted by the logits at position t − 1 of the text, row t − 1 − begin of the window
      totalNll += negativeLogLikelihood(data, (t - 1 - window.begin) * vocab, vocab, ids[t]!);
      scored += 1;
    }
  }
  runner.reset();
  const meanNllNats = totalNll / scored;
  return { perplexity: Math.exp(meanNllNats), meanNllNats, scoredTokens: scored };
}
