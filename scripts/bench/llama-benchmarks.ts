/**
 * In-process comparisons for llama.cpp trials (one bench-task process each, so both sides share the
 * machine's state): the trial's measured loop (LlamaDecoder: llama_decode timed per step, greedy
 * sampling timed apart) against a bare loop of the addon's lowest-level calls (initBatch, addToBatch,
 * decodeBatch with the last position's logits, as llama-bench's tg — no sampling at all, the same fixed
 * token every step, the loop's wall time), alternating
 * runs, medians compared — as the onnxruntime runner is held to a bare session.run loop.
 */
import { LlamaDecoder } from '../../profiler/runtime/llama-cpp/llama-decoder';
import { loadLlamaLibrary } from '../../profiler/runtime/llama-cpp/llama-library';
import { seededTokenIds } from '../../profiler/runtime/prompt-ids';
import { percentile } from '../../common/statistics';

const PROMPT_TOKENS = 128;
const NEW_TOKENS = 32;
const ROUNDS = 5;

export async function llamaRunnerVersusBareLoop(
  file: string,
  vocabSize: number,
  threads: number,
): Promise<Record<string, number>> {
  const library = await loadLlamaLibrary('cpu');
  const decoder = await LlamaDecoder.open(library, file, {
    threads,
    contextTokens: PROMPT_TOKENS + NEW_TOKENS + 1,
    batchTokens: 512,
    gpuLayers: 0,
    flashAttention: false,
  });
  const prompt = seededTokenIds(0, PROMPT_TOKENS, vocabSize);
  const { context } = decoder;
  const workbench = async (): Promise<number> => {
    decoder.startSequence();
    let { tokenId } = await decoder.prefill(prompt);
    let decodeMs = 0;
    for (let step = 0; step < NEW_TOKENS; step += 1) {
      const next = await decoder.decode(tokenId);
      decodeMs += next.runMs;
      tokenId = next.tokenId;
    }
    return NEW_TOKENS / (decodeMs / 1000);
  };
  const token = Uint32Array.of(prompt[0]!);
  const lastLogits = Uint32Array.of(0);
  const bare = async (): Promise<number> => {
    context.removeTokenCellsFromSequence(0, 0, -1);
    context.initBatch(PROMPT_TOKENS);
    context.addToBatch(0, 0, Uint32Array.from(prompt), Uint32Array.of(PROMPT_TOKENS - 1));
    await context.decodeBatch();
    const started = performance.now();
    for (let step = 0; step < NEW_TOKENS; step += 1) {
      context.initBatch(1);
      // logits every step, as llama-bench's tg asks for them: without, the output layer is skipped
      context.addToBatch(0, PROMPT_TOKENS + step, token, lastLogits);
      await context.decodeBatch();
    }
    return NEW_TOKENS / ((performance.now() - started) / 1000);
  };
  await workbench(); // warm-up for both
  await bare();
  const workbenchRates: number[] = [];
  const bareRates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    workbenchRates.push(await workbench());
    bareRates.push(await bare());
  }
  await decoder.dispose();
  return {
    workbenchTokensPerSecond: percentile(workbenchRates, 50),
    bareTokensPerSecond: percentile(bareRates, 50),
  };
}
