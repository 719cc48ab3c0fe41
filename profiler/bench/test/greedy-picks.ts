import { inspectModel } from '../../models/loader';
import { DecoderRunner } from '../../runtime/decoder-runner';
import { LlamaDecoder } from '../../runtime/llama-cpp/llama-decoder';
import type { LlamaLibrary } from '../../runtime/llama-cpp/llama-library';
import { createSession } from '../../runtime/session-factory';

/**
 * What a model picks on onnxruntime and on llama.cpp, for the cross-runtime tests: greedy ids after a
 * prompt, the argmax after each token of a forced continuation, and every next-token probability
 * from an empty cache.
 */

export interface PickProtocol {
  prompt: readonly number[];
  /** fed token by token after the prompt: the argmax after each is recorded */
  forced: readonly number[];
  /** greedy ids generated after the prompt */
  generate: number;
  vocabSize: number;
  contextTokens: number;
}

export interface Picks {
  greedy: number[];
  forced: number[];
  /** next-token probabilities after each token of prompt + forced, from an empty cache */
  probabilities: Float64Array[];
}

type Step = (ids: readonly number[]) => Promise<number>;

export function softmax(logits: Float32Array): Float64Array {
  const max = Math.max(...logits);
  const exp = Float64Array.from(logits, (x) => Math.exp(x - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((x) => x / sum);
}

/** the largest difference of any token's probability at any position */
export function maxProbabilityDifference(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let max = 0;
  for (const [row, values] of a.entries()) {
    for (const [id, p] of values.entries()) max = Math.max(max, Math.abs(p - b[row]![id]!));
  }
  return max;
}

/** the share of positions where both picked the same id */
export function agreement(a: readonly number[], b: readonly number[]): number {
  return a.filter((id, i) => id === b[i]).length / a.length;
}

async function greedy(protocol: PickProtocol, prefill: Step, decode: Step): Promise<number[]> {
  const ids = [await prefill(protocol.prompt)];
  while (ids.length < protocol.generate) ids.push(await decode([ids.at(-1)!]));
  return ids;
}

export async function onnxPicks(modelFile: string, protocol: PickProtocol): Promise<Picks> {
  const inspection = await inspectModel(modelFile);
  const { session } = await createSession(inspection.modelFile, {
    ep: 'cpu',
    threads: 1,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    sessionConfig: {},
  });
  try {
    const runner = new DecoderRunner(session, {
      signature: inspection.signature,
      vocabSize: protocol.vocabSize,
      contextTokens: protocol.contextTokens,
    });
    await runner.startSequence({ kind: 'none' });
    const result: Picks = {
      greedy: await greedy(
        protocol,
        async (ids) => (await runner.prefill(ids)).tokenId,
        async ([id]) => (await runner.decode(id!)).tokenId,
      ),
      forced: [],
      probabilities: [],
    };
    await runner.startSequence({ kind: 'none' });
    await runner.prefill(protocol.prompt);
    for (const id of protocol.forced) result.forced.push((await runner.decode(id)).tokenId);
    runner.reset();
    const { data } = await runner.everyPositionLogits([...protocol.prompt, ...protocol.forced]);
    const vocab = protocol.vocabSize;
    for (let row = 0; row < data.length / vocab; row += 1) {
      result.probabilities.push(softmax(data.subarray(row * vocab, (row + 1) * vocab)));
    }
    return result;
  } finally {
    await session.release();
  }
}

export async function llamaPicks(
  library: LlamaLibrary,
  file: string,
  protocol: PickProtocol,
): Promise<Picks> {
  const decoder = await LlamaDecoder.open(library, file, {
    threads: 1,
    contextTokens: protocol.contextTokens,
    batchTokens: 64,
    gpuLayers: 0,
    flashAttention: false,
  });
  try {
    decoder.startSequence();
    const result: Picks = {
      greedy: await greedy(
        protocol,
        async (ids) => (await decoder.prefill(ids)).tokenId,
        async ([id]) => (await decoder.decode(id!)).tokenId,
      ),
      forced: [],
      probabilities: [],
    };
    decoder.startSequence();
    await decoder.prefill(protocol.prompt);
    for (const id of protocol.forced) result.forced.push((await decoder.decode(id)).tokenId);
    result.probabilities = await decoder.everyPositionProbabilities(
      [...protocol.prompt, ...protocol.forced],
      protocol.vocabSize,
    );
    return result;
  } finally {
    await decoder.dispose();
  }
}
