/**
 * In-process comparisons for the runner (one bench-task process each, so both sides share the
 * machine's state): the workbench's decode loop against a bare session.run loop, and against
 * transformers.js generate, on the same model folder, alternating runs, medians compared.
 */
import {
  AutoModelForCausalLM,
  BaseStreamer,
  env,
  Tensor,
  type TextStreamer,
} from '@huggingface/transformers';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { seededTokenIds } from '../../profiler/runtime/prompt-ids';
import { percentile } from '../../common/statistics';
import { inspectModel } from '../../profiler/models/loader';
import { DecoderRunner } from '../../profiler/runtime/decoder-runner';

const PROMPT_TOKENS = 32;
const NEW_TOKENS = 64;

async function openRunner(folder: string) {
  const inspection = await inspectModel(folder);
  const session = await ort.InferenceSession.create(inspection.modelFile, { logSeverityLevel: 3 });
  const vocabSize = inspection.config?.vocab_size ?? 0;
  const runner = new DecoderRunner(session, {
    signature: inspection.signature,
    vocabSize,
    contextTokens: 1024,
  });
  return { inspection, session, runner, prompt: seededTokenIds(0, PROMPT_TOKENS, vocabSize) };
}

/** Workbench decode tok/s: prefill, then NEW_TOKENS − 1 greedy steps, timed per step as trials are. */
async function workbenchDecode(runner: DecoderRunner, prompt: number[]): Promise<number> {
  runner.reset();
  let { tokenId } = await runner.prefill(prompt);
  let decodeMs = 0;
  for (let step = 1; step < NEW_TOKENS; step += 1) {
    const next = await runner.decode(tokenId);
    decodeMs += next.runMs;
    tokenId = next.tokenId;
  }
  return (NEW_TOKENS - 1) / (decodeMs / 1000);
}

/** The floor: session.run only, feeds prepared up front, present fed back as past, no argmax. */
async function bareDecode(
  session: ort.InferenceSession,
  folderSignature: Awaited<ReturnType<typeof openRunner>>,
): Promise<number> {
  const { roles, kvHeads, headDim } = folderSignature.inspection.signature;
  const layers = roles.pastKeys.length;
  const feeds: Record<string, ort.Tensor> = {};
  const empty = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads!, 0, headDim!]);
  for (let i = 0; i < layers; i += 1) feeds[roles.pastKeys[i]!] = feeds[roles.pastValues[i]!] = empty;
  const total = PROMPT_TOKENS + NEW_TOKENS;
  const masks = Array.from(
    { length: total + 1 },
    (_, n) => new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  );
  const positions = Array.from(
    { length: total },
    (_, n) => new ort.Tensor('int64', BigInt64Array.of(BigInt(n)), [1, 1]),
  );
  const token = new ort.Tensor('int64', BigInt64Array.of(7n), [1, 1]);
  feeds[roles.inputIds] = new ort.Tensor('int64', BigInt64Array.from(folderSignature.prompt, BigInt), [
    1,
    PROMPT_TOKENS,
  ]);
  if (roles.attentionMask) feeds[roles.attentionMask] = masks[PROMPT_TOKENS]!;
  if (roles.positionIds) {
    feeds[roles.positionIds] = new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: PROMPT_TOKENS }, (_, i) => BigInt(i)),
      [1, PROMPT_TOKENS],
    );
  }
  let outputs = await session.run(feeds);
  const startedMs = performance.now();
  for (let step = 1; step < NEW_TOKENS; step += 1) {
    for (let i = 0; i < layers; i += 1) {
      feeds[roles.pastKeys[i]!] = outputs[roles.presentKeys[i]!]!;
      feeds[roles.pastValues[i]!] = outputs[roles.presentValues[i]!]!;
    }
    const cached = PROMPT_TOKENS + step - 1;
    feeds[roles.inputIds] = token;
    if (roles.attentionMask) feeds[roles.attentionMask] = masks[cached + 1]!;
    if (roles.positionIds) feeds[roles.positionIds] = positions[cached]!;
    outputs = await session.run(feeds);
  }
  return (NEW_TOKENS - 1) / ((performance.now() - startedMs) / 1000);
}

/** Timestamps of each token transformers.js puts: the first put after the prompt ends the prefill. */
class TimingStreamer extends BaseStreamer {
  readonly times: number[] = [];
  override put(): void {
    this.times.push(performance.now());
  }
  override end(): void {}
}

async function transformersDecode(
  model: Awaited<ReturnType<typeof AutoModelForCausalLM.from_pretrained>>,
  prompt: number[],
): Promise<number> {
  const streamer = new TimingStreamer();
  await model.generate({
    input_ids: new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]),
    attention_mask: new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]),
    max_new_tokens: NEW_TOKENS,
    min_new_tokens: NEW_TOKENS,
    do_sample: false,
    // transformers.js types `streamer` as a TextStreamer, but generate() only calls put() and end()
    streamer: streamer as unknown as TextStreamer,
  });
  // puts: the prompt, then each new token; decode = from the first new token to the last
  const tokenTimes = streamer.times.slice(-NEW_TOKENS);
  return (NEW_TOKENS - 1) / ((tokenTimes.at(-1)! - tokenTimes[0]!) / 1000);
}

async function alternate(
  runs: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  await a();
  await b(); // one warmup each
  const samples = { a: [] as number[], b: [] as number[] };
  for (let run = 0; run < runs; run += 1) {
    samples.a.push(await a());
    samples.b.push(await b());
  }
  return samples;
}

export async function runnerVersusBareLoop(folder: string): Promise<Record<string, number>> {
  const opened = await openRunner(folder);
  const { a, b } = await alternate(
    5,
    () => workbenchDecode(opened.runner, opened.prompt),
    () => bareDecode(opened.session, opened),
  );
  await opened.session.release();
  return { workbenchTokensPerSecond: percentile(a, 50), bareTokensPerSecond: percentile(b, 50) };
}

export async function runnerVersusTransformersJs(folder: string): Promise<Record<string, number>> {
  const opened = await openRunner(folder);
  env.allowRemoteModels = false;
  env.localModelPath = `${path.dirname(folder)}/`;
  const model = await AutoModelForCausalLM.from_pretrained(path.basename(folder), {
    dtype: 'fp32',
    device: 'cpu',
  });
  const { a, b } = await alternate(
    5,
    () => workbenchDecode(opened.runner, opened.prompt),
    () => transformersDecode(model, opened.prompt),
  );
  await model.dispose();
  await opened.session.release();
  return { workbenchTokensPerSecond: percentile(a, 50), transformersJsTokensPerSecond: percentile(b, 50) };
}
