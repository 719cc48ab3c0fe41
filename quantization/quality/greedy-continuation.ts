import type { DecoderRunner } from '../../profiler/runtime/decoder-runner';

/** Prompt tokens the continuations start from: enough context to decode from, short of the sequence. */
export const CONTINUATION_PROMPT_TOKENS = 16;

/** `tokens` greedy tokens after `prompt`, from an empty cache: the prefill's token, then decode steps. */
export async function greedyContinuation(
  runner: DecoderRunner,
  prompt: readonly number[],
  tokens: number,
): Promise<number[]> {
  runner.reset();
  const generated = [(await runner.prefill(prompt)).tokenId];
  while (generated.length < tokens) generated.push((await runner.decode(generated.at(-1)!)).tokenId);
  return generated;
}

/** Tokens before two continuations first differ (their length when they never do). */
export function identicalPrefixLength(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  let index = 0;
  while (index < length && a[index] === b[index]) index += 1;
  return index;
}
