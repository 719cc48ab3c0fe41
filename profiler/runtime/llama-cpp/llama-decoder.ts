import type { StepResult } from '../decoder-runner';
import type { AddonContext, AddonModel, AddonSampler, LlamaLibrary } from './llama-library';

/**
 * Greedy decoding on llama.cpp at its lowest level, the measured loop of a llama.cpp trial — as
 * llama-bench times it: one llama_decode per batch (the prompt as one batch, then one token per
 * step), logits for the last position only, nothing else inside the timed call. The greedy pick
 * (llama.cpp's greedy sampler, an argmax over the last position's logits) is timed apart, as the
 * onnxruntime runner times its argmax. One sequence (id 0); the depth is filled once by the model and
 * each repetition rewinds the cache to it (llama_memory_seq_rm), so every repetition starts alike.
 */

const SEQUENCE = 0;

export interface LlamaDecoderOptions {
  /** compute threads, set explicitly */
  threads: number;
  /** KV cells: depth + P + G */
  contextTokens: number;
  /** tokens per llama_decode call (n_batch = n_ubatch); at least the prompt */
  batchTokens: number;
  /** layers offloaded to a GPU backend; 0 on the CPU */
  gpuLayers: number;
  flashAttention: boolean;
}

export class LlamaDecoder {
  /** tokens in the cache */
  cachedTokens = 0;
  private depthTokens = 0;
  private readonly oneToken = new Uint32Array(1);
  private readonly firstLogit = Uint32Array.of(0);

  private constructor(
    readonly model: AddonModel,
    readonly context: AddonContext,
    private readonly sampler: AddonSampler,
    readonly options: LlamaDecoderOptions,
    /** ms, model load + context creation */
    readonly loadMs: number,
  ) {}

  /** Loads the GGUF (memory-mapped, as llama-bench does) and creates the context. */
  static async open(
    library: LlamaLibrary,
    file: string,
    options: LlamaDecoderOptions,
  ): Promise<LlamaDecoder> {
    const { bindings } = library;
    const started = performance.now();
    const model = new bindings.AddonModel(file, { gpuLayers: options.gpuLayers, useMmap: true });
    if (!(await model.init())) throw new Error(`llama.cpp could not load ${file}`);
    const context = new bindings.AddonContext(model, {
      contextSize: options.contextTokens,
      batchSize: options.batchTokens,
      sequences: 1,
      threads: options.threads,
      flashAttention: options.flashAttention,
    });
    if (!(await context.init())) {
      await model.dispose();
      throw new Error(`llama.cpp could not create a ${options.contextTokens}-token context for ${file}`);
    }
    const loadMs = performance.now() - started;
    const sampler = new bindings.AddonSampler(model);
    sampler.applyConfig({ temperature: 0 }); // greedy
    return new LlamaDecoder(model, context, sampler, options, loadMs);
  }

  /** Runs the model over `ids` in batches of `chunkTokens` (untimed): the cache's depth. */
  async fill(ids: readonly number[], chunkTokens: number): Promise<void> {
    this.rewind(0);
    for (let start = 0; start < ids.length; start += chunkTokens) {
      const chunk = Uint32Array.from(ids.slice(start, start + chunkTokens));
      this.context.initBatch(chunk.length);
      this.context.addToBatch(SEQUENCE, this.cachedTokens, chunk, new Uint32Array(0));
      await this.context.decodeBatch();
      this.cachedTokens += chunk.length;
    }
    this.depthTokens = this.cachedTokens;
  }

  /** Drops every cached token past `tokens`. */
  private rewind(tokens: number): void {
    this.context.removeTokenCellsFromSequence(SEQUENCE, tokens, -1);
    this.cachedTokens = tokens;
  }

  /** Back to the depth the last fill left: the next sequence starts where every other one did. */
  startSequence(): void {
    this.rewind(this.depthTokens);
  }

  private async step(tokens: Uint32Array): Promise<StepResult> {
    const logitIndex = tokens.length - 1;
    this.context.initBatch(tokens.length);
    const logitIndexes = tokens.length === 1 ? this.firstLogit : Uint32Array.of(logitIndex);
    const [batchIndex] = this.context.addToBatch(SEQUENCE, this.cachedTokens, tokens, logitIndexes);
    const started = performance.now();
    await this.context.decodeBatch();
    const ran = performance.now();
    const tokenId = await this.context.sampleToken(batchIndex!, this.sampler);
    const sampled = performance.now();
    this.cachedTokens += tokens.length;
    return { tokenId, runMs: ran - started, samplingMs: sampled - ran };
  }

  /** The timed prefill: the prompt as one batch, logits of its last position. */
  prefill(ids: readonly number[]): Promise<StepResult> {
    return this.step(Uint32Array.from(ids));
  }

  /** One timed decode step. */
  decode(token: number): Promise<StepResult> {
    this.oneToken[0] = token;
    return this.step(this.oneToken);
  }

  /**
   * The next-token distribution at every position of `ids`, from an empty cache, one token at a time:
   * softmax of llama.cpp's logits, [position][token id]. For comparisons across runtimes; not timed.
   */
  async everyPositionProbabilities(ids: readonly number[], vocabSize: number): Promise<Float64Array[]> {
    this.rewind(0);
    const rows: Float64Array[] = [];
    for (const id of ids) {
      this.oneToken[0] = id;
      this.context.initBatch(1);
      const [batchIndex] = this.context.addToBatch(
        SEQUENCE,
        this.cachedTokens,
        this.oneToken,
        this.firstLogit,
      );
      await this.context.decodeBatch();
      this.cachedTokens += 1;
      const [, pairs] = await this.context.sampleToken(batchIndex!, this.sampler, true);
      const row = new Float64Array(vocabSize);
      for (let i = 0; i + 1 < (pairs?.length ?? 0); i += 2) row[pairs![i]!] = pairs![i + 1]!;
      rows.push(row);
    }
    return rows;
  }

  async dispose(): Promise<void> {
    this.sampler.dispose();
    await this.context.dispose();
    await this.model.dispose();
  }
}
