import * as ort from 'onnxruntime-node';
import type { DecoderSignature } from '../api';
import { float16BitsToFloat32 } from '../onnx';
import { argmaxLastRow } from './argmax';
import { SeededKvValues, type KvElements } from './seeded-kv';

/**
 * Greedy decoding with a KV cache over one onnxruntime session: the measured loop. Everything a step
 * needs is prepared once (feed names, the mask buffer, the one-token tensors), and nothing is logged:
 * a decode step is one run(), then the argmax, each timed on its own.
 *
 * Two ways to hold the cache (`kvBuffer`):
 * - 'grow' (Optimum / transformers.js): past is fed in, present comes back one token longer and is fed
 *   back as the next past, so onnxruntime allocates and fills a new cache every step.
 * - 'shared' (onnxruntime-genai's past_present_share_buffer): one buffer of `contextTokens` rows per
 *   layer and key/value, fed as past and bound as the preallocated present: GroupQueryAttention writes
 *   the new rows in place and attends over the first `total` rows (the mask's width). Only graphs whose
 *   past inputs feed GroupQueryAttention alone can run it.
 *   onnxruntime-node still copies every fetched output into a new JS buffer after run() (its binding's
 *   OrtValueToNapiValue), preallocated ones included, so each step also copies the buffer once.
 */

export type KvBuffer = 'grow' | 'shared';

export interface StepResult {
  /** argmax of the last position's logits */
  tokenId: number;
  /** ms, the run() call alone, wall clock */
  runMs: number;
  /** ms, the argmax over the logits (sampling), wall clock */
  samplingMs: number;
}

/** What fills the cache before the timed part (the depth), untimed. */
export type DepthFill =
  | { kind: 'none' }
  /** seeded values written straight into the cache: no model run */
  | { kind: 'synthetic'; tokens: number; seed: number }
  /** the model run over these ids, `chunkTokens` at a time (llama.cpp's ubatch) */
  | { kind: 'model'; ids: readonly number[]; chunkTokens: number };

export interface DecoderRunnerOptions {
  signature: DecoderSignature;
  vocabSize: number;
  /** tokens; the attention mask buffer is sized for it, and so are 'shared' KV buffers */
  contextTokens: number;
  /** default 'grow' */
  kvBuffer?: KvBuffer;
}

type KvTensorType = 'float32' | 'float16';

function kvTensor(dtype: string, kvHeads: number, rows: number, headDim: number): ort.Tensor {
  const elements = kvHeads * rows * headDim;
  const dims = [1, kvHeads, rows, headDim];
  if (dtype === 'float16') return new ort.Tensor('float16', new Uint16Array(elements), dims);
  return new ort.Tensor('float32', new Float32Array(elements), dims);
}

/** The same fill as before, so a 'shared' cache can rewind to it instead of filling again. */
function sameFill(a: DepthFill, b: DepthFill): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'synthetic' && b.kind === 'synthetic') return a.tokens === b.tokens && a.seed === b.seed;
  if (a.kind === 'model' && b.kind === 'model') {
    return (
      a.chunkTokens === b.chunkTokens &&
      a.ids.length === b.ids.length &&
      a.ids.every((id, i) => id === b.ids[i])
    );
  }
  return true;
}

export function depthOf(fill: DepthFill): number {
  if (fill.kind === 'synthetic') return fill.tokens;
  if (fill.kind === 'model') return fill.ids.length;
  return 0;
}

export class DecoderRunner {
  private readonly roles: DecoderSignature['roles'];
  private readonly presentNames: readonly string[];
  private readonly kvHeads: number;
  private readonly headDim: number;
  private readonly kvType: KvTensorType;
  readonly kvBuffer: KvBuffer;
  /** int64 ones, as long as the context: each step's mask is a view of its first `total` entries */
  private readonly ones: BigInt64Array;
  private readonly oneToken = new BigInt64Array(1);
  private readonly onePosition = new BigInt64Array(1);
  private readonly oneTokenTensor: ort.Tensor;
  private readonly onePositionTensor: ort.Tensor;
  private readonly feeds: Record<string, ort.Tensor> = {};
  /** 'shared': logits plus every present bound to its past buffer; 'grow': every output */
  private readonly fetches: Record<string, ort.Tensor | null> | undefined;
  /** 'shared': the buffers, past keys then past values in layer order */
  private readonly sharedBuffers: ort.Tensor[] = [];
  /** 'shared': the fill the buffers' first rows hold, so later sequences rewind to it */
  private filled: DepthFill = { kind: 'none' };
  private cached = 0;
  private runs = 0;
  /**
   * bytes of the present tensors the last run returned. Only the sum is kept: holding a 'shared'
   * cache's returned copies until the next run would keep one more cache alive than a step needs
   */
  private lastPresentBytes = 0;
  private lastPrefillLogits: { bytes: number; rows: number } | null = null;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: DecoderRunnerOptions,
  ) {
    const { roles, kvHeads, headDim, kvDtype } = options.signature;
    this.roles = roles;
    this.presentNames = [...roles.presentKeys, ...roles.presentValues];
    this.kvHeads = kvHeads ?? 1;
    this.headDim = headDim ?? 1;
    this.kvType = kvDtype === 'float16' ? 'float16' : 'float32';
    this.kvBuffer = options.kvBuffer ?? 'grow';
    this.ones = new BigInt64Array(options.contextTokens).fill(1n);
    this.oneTokenTensor = new ort.Tensor('int64', this.oneToken, [1, 1]);
    this.onePositionTensor = new ort.Tensor('int64', this.onePosition, [1, 1]);
    if (this.kvBuffer === 'shared') {
      this.fetches = { [roles.logits]: null };
      roles.pastKeys.forEach((past, layer) => this.bindShared(past, roles.presentKeys[layer]!));
      roles.pastValues.forEach((past, layer) => this.bindShared(past, roles.presentValues[layer]!));
    }
    this.reset();
  }

  private bindShared(past: string, present: string): void {
    const buffer = kvTensor(this.kvType, this.kvHeads, this.options.contextTokens, this.headDim);
    this.sharedBuffers.push(buffer);
    this.feeds[past] = buffer;
    this.fetches![present] = buffer;
  }

  /** tokens in the KV cache */
  get cachedTokens(): number {
    return this.cached;
  }

  /** run() calls so far (fills, prefills and decode steps): profiles are matched to phases by it */
  get runCount(): number {
    return this.runs;
  }

  /** Empty the KV cache (a new sequence). */
  reset(): void {
    if (this.kvBuffer === 'grow') {
      const empty = kvTensor(this.kvType, this.kvHeads, 0, this.headDim);
      for (const name of [...this.roles.pastKeys, ...this.roles.pastValues]) this.feeds[name] = empty;
    }
    // 'shared': the buffers stay; rows past `cached` are ignored by the mask and overwritten
    this.cached = 0;
    this.filled = { kind: 'none' };
    this.lastPresentBytes = 0;
  }

  /**
   * Start a sequence whose cache holds `fill` (untimed). A 'shared' cache that already holds the same
   * fill rewinds to it: later sequences only wrote rows after it. A 'grow' cache is filled again each
   * time — keeping a copy to rewind to would hold one more cache than a deployment does.
   */
  async startSequence(fill: DepthFill): Promise<void> {
    const depth = depthOf(fill);
    if (depth > this.options.contextTokens) {
      throw new RangeError(
        `a depth of ${depth} tokens does not fit the ${this.options.contextTokens}-token context`,
      );
    }
    if (this.kvBuffer === 'shared' && fill.kind !== 'none' && sameFill(this.filled, fill)) {
      this.cached = depth;
      this.lastPresentBytes = 0;
      return;
    }
    this.reset();
    if (fill.kind === 'synthetic') this.fillSynthetic(fill.tokens, fill.seed);
    else if (fill.kind === 'model') {
      for (let start = 0; start < fill.ids.length; start += fill.chunkTokens) {
        await this.runTokens(fill.ids.slice(start, start + fill.chunkTokens));
      }
    }
    this.filled = fill;
  }

  /**
   * Seeded values for the first `tokens` rows of every layer's key and value, as the cache really holds
   * them. Each head's rows get their own stream, so both buffer kinds hold the same values.
   */
  private fillSynthetic(tokens: number, seed: number): void {
    const values = new SeededKvValues(seed);
    const names = [...this.roles.pastKeys, ...this.roles.pastValues];
    names.forEach((name, index) => {
      // BNSH: head h's rows start at h · (rows the tensor holds) · headDim
      let tensor = this.feeds[name]!;
      if (this.kvBuffer === 'grow') {
        tensor = kvTensor(this.kvType, this.kvHeads, tokens, this.headDim);
        this.feeds[name] = tensor;
      }
      const headElements = Number(tensor.dims[2]) * this.headDim;
      for (let head = 0; head < this.kvHeads; head += 1) {
        const start = head * headElements;
        values.fill(
          tensor.data as KvElements,
          start,
          start + tokens * this.headDim,
          index * this.kvHeads + head,
        );
      }
    });
    this.cached = tokens;
  }

  private checkRoom(tokens: number): void {
    if (this.cached + tokens > this.options.contextTokens) {
      throw new RangeError(
        `the KV cache would hold ${this.cached + tokens} tokens, over the ${this.options.contextTokens}-token context`,
      );
    }
  }

  private setMask(total: number): void {
    if (this.roles.attentionMask) {
      this.feeds[this.roles.attentionMask] = new ort.Tensor('int64', this.ones.subarray(0, total), [
        1,
        total,
      ]);
    }
  }

  /** One run(): 'grow' feeds the presents back as the next past; 'shared' wrote them in place. */
  private async run(): Promise<ort.InferenceSession.ReturnType> {
    this.runs += 1;
    const outputs = this.fetches
      ? await this.session.run(this.feeds, this.fetches)
      : await this.session.run(this.feeds);
    if (this.kvBuffer === 'grow') {
      const { pastKeys, pastValues, presentKeys, presentValues } = this.roles;
      for (let layer = 0; layer < pastKeys.length; layer += 1) {
        this.feeds[pastKeys[layer]!] = outputs[presentKeys[layer]!]!;
        this.feeds[pastValues[layer]!] = outputs[presentValues[layer]!]!;
      }
    }
    this.lastPresentBytes = this.presentNames.reduce(
      (bytes, name) => bytes + (outputs[name]!.data as KvElements).byteLength,
      0,
    );
    return outputs;
  }

  /** Feeds several tokens after the cached ones in one run(); the cache then holds them. */
  private async runTokens(ids: readonly number[]): Promise<ort.InferenceSession.ReturnType> {
    this.checkRoom(ids.length);
    const total = this.cached + ids.length;
    this.feeds[this.roles.inputIds] = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [
      1,
      ids.length,
    ]);
    this.setMask(total);
    if (this.roles.positionIds) {
      const positions = BigInt64Array.from({ length: ids.length }, (_, i) => BigInt(this.cached + i));
      this.feeds[this.roles.positionIds] = new ort.Tensor('int64', positions, [1, ids.length]);
    }
    const outputs = await this.run();
    this.cached = total;
    return outputs;
  }

  private sample(outputs: ort.InferenceSession.ReturnType, runMs: number): StepResult {
    const startedMs = performance.now();
    const tokenId = argmaxLastRow(
      outputs[this.roles.logits]!.data as Float32Array | Uint16Array,
      this.options.vocabSize,
    );
    return { tokenId, runMs, samplingMs: performance.now() - startedMs };
  }

  /** Run several tokens at once after the cached ones (the prefill), then sample the next token. */
  async prefill(ids: readonly number[]): Promise<StepResult> {
    this.checkRoom(ids.length);
    const startedMs = performance.now();
    const outputs = await this.runTokens(ids);
    const step = this.sample(outputs, performance.now() - startedMs);
    const logits = outputs[this.roles.logits]!;
    this.lastPrefillLogits = {
      bytes: (logits.data as KvElements).byteLength,
      rows: Number(logits.dims[1] ?? 1),
    };
    return step;
  }

  /**
   * Bytes and rows of the logits the last prefill returned: an all-positions graph returns P rows,
   * a last-position one 1.
   */
  get prefillLogits(): { bytes: number; rows: number } | null {
    return this.lastPrefillLogits;
  }

  /** One decode step: the token after the cached ones → the next token. */
  async decode(tokenId: number): Promise<StepResult> {
    this.checkRoom(1);
    this.oneToken[0] = BigInt(tokenId);
    this.feeds[this.roles.inputIds] = this.oneTokenTensor;
    this.setMask(this.cached + 1);
    if (this.roles.positionIds) {
      this.onePosition[0] = BigInt(this.cached);
      this.feeds[this.roles.positionIds] = this.onePositionTensor;
    }
    const startedMs = performance.now();
    const outputs = await this.run();
    const runMs = performance.now() - startedMs;
    this.cached += 1;
    return this.sample(outputs, runMs);
  }

  /**
   * Every position's logits for `ids` from an empty cache, [1, ids.length, vocab] as float32 (fp16
   * logits widened): what teacher-forced quality comparisons read. A graph that computes the last
   * position's logits only is run one token at a time, which gives the same rows. Not timed.
   */
  async everyPositionLogits(
    ids: readonly number[],
  ): Promise<{ data: Float32Array; dims: readonly number[] }> {
    if (this.cached !== 0)
      throw new Error('everyPositionLogits starts from an empty cache: call reset() first');
    const vocab = this.options.vocabSize;
    if (this.options.signature.logitsPositions !== 'last') {
      const logits = (await this.runTokens(ids))[this.roles.logits]!;
      if (logits.dims[1] === ids.length || ids.length === 1)
        return { data: widened(logits), dims: logits.dims };
      this.reset(); // the graph said nothing and returned one row: fall back to one token at a time
    }
    const data = new Float32Array(ids.length * vocab);
    for (const [position, id] of ids.entries()) {
      const row = widened((await this.runTokens([id]))[this.roles.logits]!);
      data.set(row.subarray(row.length - vocab), position * vocab);
    }
    return { data, dims: [1, ids.length, vocab] };
  }

  /**
   * The next-token logits (float32, the last position's row) after feeding `ids` after the cached ones,
   * which the cache then holds: what sampling reads. Not timed.
   */
  async nextTokenLogits(ids: readonly number[]): Promise<Float32Array> {
    const row = widened((await this.runTokens(ids))[this.roles.logits]!);
    return row.slice(row.length - this.options.vocabSize);
  }

  /** Σ bytes of the present tensors the last run returned: the KV cache as it is held ('shared': the buffers). */
  kvCacheBytes(): number {
    return this.lastPresentBytes;
  }
}

function widened(logits: ort.Tensor): Float32Array {
  const { data } = logits;
  if (data instanceof Float32Array) return data;
  if (data instanceof Uint16Array) return float16BitsToFloat32(data);
  throw new Error(`logits of type ${logits.type} are not supported: float32 and float16 are`);
}
