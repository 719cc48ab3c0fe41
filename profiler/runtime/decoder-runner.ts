import * as ort from 'onnxruntime-node';
import type { DecoderSignature } from '../api';

/**
 * Greedy decoding with a KV cache over one onnxruntime session: the measured loop. Everything a step
 * needs is prepared once (feed names, the mask buffer, the one-token tensors), present tensors are fed
 * back as past without copying, and nothing is logged: a decode step is run() + argmax and no more.
 */

export interface StepResult {
  /** argmax of the last position's logits */
  tokenId: number;
  /** ms, run() call to token id (argmax included), wall clock */
  ms: number;
}

type KvArray = Float32Array | Uint16Array;

function emptyKv(dtype: string, kvHeads: number, headDim: number): ort.Tensor {
  const dims = [1, kvHeads, 0, headDim];
  if (dtype === 'float16') return new ort.Tensor('float16', new Uint16Array(0), dims);
  return new ort.Tensor('float32', new Float32Array(0), dims);
}

/** float16 bits → number, for fp16 logits. */
function halfToFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Index of the largest of the last `vocab` values (the last position's logits). */
export function argmaxLastRow(data: ort.Tensor['data'], vocab: number): number {
  const start = (data as ArrayLike<number>).length - vocab;
  let best = 0;
  if (data instanceof Float32Array) {
    let bestValue = -Infinity;
    for (let i = 0; i < vocab; i += 1) {
      const value = data[start + i]!;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    return best;
  }
  if (data instanceof Uint16Array) {
    let bestValue = -Infinity;
    for (let i = 0; i < vocab; i += 1) {
      const value = halfToFloat(data[start + i]!);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    return best;
  }
  throw new Error(`logits of type ${Object.prototype.toString.call(data)} are not supported`);
}

export interface DecoderRunnerOptions {
  signature: DecoderSignature;
  vocabSize: number;
  /** tokens; the attention mask buffer is sized for it */
  contextTokens: number;
}

export class DecoderRunner {
  private readonly pastKeys: string[];
  private readonly pastValues: string[];
  private readonly presentKeys: string[];
  private readonly presentValues: string[];
  private readonly inputIds: string;
  private readonly attentionMask: string | null;
  private readonly positionIds: string | null;
  private readonly logits: string;
  /** int64 ones, as long as the context: each step's mask is a view of its first `total` entries */
  private readonly ones: BigInt64Array;
  private readonly oneToken = new BigInt64Array(1);
  private readonly onePosition = new BigInt64Array(1);
  private readonly oneTokenTensor: ort.Tensor;
  private readonly onePositionTensor: ort.Tensor;
  private readonly feeds: Record<string, ort.Tensor> = {};
  private cached = 0;
  private lastOutputs: ort.InferenceSession.ReturnType | null = null;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: DecoderRunnerOptions,
  ) {
    const { roles } = options.signature;
    this.pastKeys = roles.pastKeys;
    this.pastValues = roles.pastValues;
    this.presentKeys = roles.presentKeys;
    this.presentValues = roles.presentValues;
    this.inputIds = roles.inputIds;
    this.attentionMask = roles.attentionMask;
    this.positionIds = roles.positionIds;
    this.logits = roles.logits;
    this.ones = new BigInt64Array(options.contextTokens).fill(1n);
    this.oneTokenTensor = new ort.Tensor('int64', this.oneToken, [1, 1]);
    this.onePositionTensor = new ort.Tensor('int64', this.onePosition, [1, 1]);
    this.reset();
  }

  /** tokens in the KV cache */
  get cachedTokens(): number {
    return this.cached;
  }

  /** Empty the KV cache (a new sequence). */
  reset(): void {
    const { kvDtype, kvHeads, headDim } = this.options.signature;
    const empty = emptyKv(kvDtype, kvHeads ?? 1, headDim ?? 1);
    for (let layer = 0; layer < this.pastKeys.length; layer += 1) {
      this.feeds[this.pastKeys[layer]!] = empty;
      this.feeds[this.pastValues[layer]!] = empty;
    }
    this.cached = 0;
    this.lastOutputs = null;
  }

  private checkRoom(tokens: number): void {
    if (this.cached + tokens > this.options.contextTokens) {
      throw new RangeError(
        `the KV cache would hold ${this.cached + tokens} tokens, over the ${this.options.contextTokens}-token context`,
      );
    }
  }

  private setMask(total: number): void {
    if (this.attentionMask) {
      this.feeds[this.attentionMask] = new ort.Tensor('int64', this.ones.subarray(0, total), [1, total]);
    }
  }

  private async runAndFeedBack(): Promise<ort.InferenceSession.ReturnType> {
    const outputs = await this.session.run(this.feeds);
    for (let layer = 0; layer < this.pastKeys.length; layer += 1) {
      this.feeds[this.pastKeys[layer]!] = outputs[this.presentKeys[layer]!]!;
      this.feeds[this.pastValues[layer]!] = outputs[this.presentValues[layer]!]!;
    }
    this.lastOutputs = outputs;
    return outputs;
  }

  /** Feeds several tokens after the cached ones and runs them in one run(); the cache then holds them. */
  private async runTokens(ids: readonly number[]): Promise<ort.InferenceSession.ReturnType> {
    const total = this.cached + ids.length;
    this.feeds[this.inputIds] = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    this.setMask(total);
    if (this.positionIds) {
      const positions = BigInt64Array.from({ length: ids.length }, (_, i) => BigInt(this.cached + i));
      this.feeds[this.positionIds] = new ort.Tensor('int64', positions, [1, ids.length]);
    }
    const outputs = await this.runAndFeedBack();
    this.cached = total;
    return outputs;
  }

  /** Run several tokens at once after the cached ones (prefill, or filling to a depth). */
  async prefill(ids: readonly number[]): Promise<StepResult> {
    this.checkRoom(ids.length);
    const startedMs = performance.now();
    const outputs = await this.runTokens(ids);
    const tokenId = argmaxLastRow(outputs[this.logits]!.data, this.options.vocabSize);
    const ms = performance.now() - startedMs;
    return { tokenId, ms };
  }

  /**
   * Like prefill, but returns every position's logits, [1, ids.length, vocab], as float32 (fp16 logits
   * are widened): what quality comparisons read. Not timed; fp16 widening copies, fp32 does not.
   */
  async prefillLogits(ids: readonly number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
    this.checkRoom(ids.length);
    const logits = (await this.runTokens(ids))[this.logits]!;
    const { data, dims } = logits;
    if (data instanceof Float32Array) return { data, dims };
    if (data instanceof Uint16Array) return { data: Float32Array.from(data, halfToFloat), dims };
    throw new Error(`logits of type ${logits.type} are not supported: float32 and float16 are`);
  }

  /** One decode step: the token after the cached ones → the next token. */
  async decode(tokenId: number): Promise<StepResult> {
    this.checkRoom(1);
    const startedMs = performance.now();
    this.oneToken[0] = BigInt(tokenId);
    this.feeds[this.inputIds] = this.oneTokenTensor;
    this.setMask(this.cached + 1);
    if (this.positionIds) {
      this.onePosition[0] = BigInt(this.cached);
      this.feeds[this.positionIds] = this.onePositionTensor;
    }
    const outputs = await this.runAndFeedBack();
    const next = argmaxLastRow(outputs[this.logits]!.data, this.options.vocabSize);
    const ms = performance.now() - startedMs;
    this.cached += 1;
    return { tokenId: next, ms };
  }

  /** Σ bytes of the present tensors the last run returned: the KV cache as it really is. */
  kvCacheBytes(): number {
    if (!this.lastOutputs) return 0;
    let bytes = 0;
    for (const name of [...this.presentKeys, ...this.presentValues]) {
      bytes += (this.lastOutputs[name]!.data as KvArray).byteLength;
    }
    return bytes;
  }
}
