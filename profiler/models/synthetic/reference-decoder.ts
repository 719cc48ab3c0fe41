import type { ModelSpec } from '../../../common/catalog/model-spec';

/**
 * A plain TypeScript forward pass of the decoder the catalog describes, following Hugging Face's
 * modeling code (Llama / Llama-4 text / Qwen3 / OLMo-2). It is the yardstick the ONNX graphs are checked
 * against on tiny configurations; it is far too slow for real sizes, and that is fine.
 */

/**
 * Weights by checkpoint name, row-major in the ONNX layout the graphs store: projections [in, out],
 * embedding and lm_head [vocab, hidden], norms and biases [n].
 */
export type WeightLookup = (name: string) => Float32Array;

function rmsNorm(
  x: Float32Array,
  weight: Float32Array | null,
  eps: number,
  offset = 0,
  width = x.length,
): void {
  let sumSquares = 0;
  for (let i = 0; i < width; i += 1) sumSquares += x[offset + i]! * x[offset + i]!;
  const inverse = 1 / Math.sqrt(sumSquares / width + eps);
  for (let i = 0; i < width; i += 1) {
    x[offset + i] = x[offset + i]! * inverse * (weight ? weight[i % weight.length]! : 1);
  }
}

/** y = x·W (+ b), W [inWidth, outWidth] row-major (a MatMul weight). */
function project(
  weight: Float32Array,
  x: Float32Array,
  outWidth: number,
  bias: Float32Array | null,
): Float32Array {
  const y = new Float64Array(outWidth);
  for (let i = 0; i < x.length; i += 1) {
    const xi = x[i]!;
    const row = i * outWidth;
    for (let o = 0; o < outWidth; o += 1) y[o] = y[o]! + xi * weight[row + o]!;
  }
  return Float32Array.from(y, (value, o) => value + (bias ? bias[o]! : 0));
}

/** y = W·x, W [outWidth, inWidth] row-major (the lm_head, which shares the embedding's layout). */
function projectRows(weight: Float32Array, x: Float32Array, outWidth: number): Float32Array {
  const y = new Float32Array(outWidth);
  for (let o = 0; o < outWidth; o += 1) {
    let sum = 0;
    const row = o * x.length;
    for (let i = 0; i < x.length; i += 1) sum += weight[row + i]! * x[i]!;
    y[o] = sum;
  }
  return y;
}

export class ReferenceDecoder {
  /** per layer: keys and values of every cached position, [position][kvHead·headDim] */
  private readonly keys: Float32Array[][];
  private readonly values: Float32Array[][];
  /** radians per position for each rotated pair, theta^(−2i/headDim) */
  private readonly inverseFrequencies: Float64Array;

  constructor(
    private readonly spec: ModelSpec,
    private readonly weight: WeightLookup,
  ) {
    this.keys = Array.from({ length: spec.numHiddenLayers }, () => []);
    this.values = Array.from({ length: spec.numHiddenLayers }, () => []);
    const pairs = spec.headDim / 2;
    this.inverseFrequencies = Float64Array.from(
      { length: pairs },
      (_, i) => spec.ropeTheta ** ((-2 * i) / spec.headDim),
    );
  }

  /** tokens already in the KV cache */
  get cachedTokens(): number {
    return this.keys[0]?.length ?? 0;
  }

  /** Run tokens after the cached ones; returns logits [ids.length × vocab], row-major. */
  forward(ids: readonly number[]): Float32Array {
    const { vocabSize, hiddenSize } = this.spec;
    const logits = new Float32Array(ids.length * vocabSize);
    const embedding = this.weight('model.embed_tokens.weight');
    const lmHead = this.spec.tieWordEmbeddings ? embedding : this.weight('lm_head.weight');
    for (const [t, id] of ids.entries()) {
      let h: Float32Array = embedding.slice(id * hiddenSize, (id + 1) * hiddenSize);
      const position = this.cachedTokens;
      for (let layer = 0; layer < this.spec.numHiddenLayers; layer += 1) h = this.block(layer, h, position);
      rmsNorm(h, this.weight('model.norm.weight'), this.spec.rmsNormEps);
      logits.set(projectRows(lmHead, h, vocabSize), t * vocabSize);
    }
    return logits;
  }

  private layerWeight(layer: number, suffix: string): Float32Array {
    const source = this.spec.blockWeightSharing === 'immediate-blockwise' ? layer - (layer % 2) : layer;
    return this.weight(`model.layers.${source}.${suffix}`);
  }

  private block(layer: number, h: Float32Array, position: number): Float32Array {
    const { rmsNormEps: eps, normPlacement, ffnModuleName: ffn } = this.spec;
    const w = (suffix: string): Float32Array => this.layerWeight(layer, suffix);
    const residual = (base: Float32Array, delta: Float32Array): Float32Array =>
      base.map((v, i) => v + delta[i]!);
    if (normPlacement === 'pre') {
      const x = h.slice();
      rmsNorm(x, w('input_layernorm.weight'), eps);
      const afterAttention = residual(h, this.attention(layer, x, position));
      const y = afterAttention.slice();
      rmsNorm(y, w('post_attention_layernorm.weight'), eps);
      return residual(afterAttention, this.mlp(layer, y, ffn));
    }
    const attention = this.attention(layer, h, position);
    rmsNorm(attention, w('post_attention_layernorm.weight'), eps);
    const afterAttention = residual(h, attention);
    const mlp = this.mlp(layer, afterAttention, ffn);
    rmsNorm(mlp, w('post_feedforward_layernorm.weight'), eps);
    return residual(afterAttention, mlp);
  }

  private rotate(x: Float32Array, offset: number, position: number): void {
    const half = this.spec.headDim / 2;
    for (let i = 0; i < half; i += 1) {
      const angle = position * this.inverseFrequencies[i]!;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const [a, b] =
        this.spec.ropeStyle === 'interleaved'
          ? [offset + 2 * i, offset + 2 * i + 1]
          : [offset + i, offset + i + half];
      const xa = x[a]!;
      const xb = x[b]!;
      x[a] = xa * cos - xb * sin;
      x[b] = xa * sin + xb * cos;
    }
  }

  private attention(layer: number, x: Float32Array, position: number): Float32Array {
    const {
      numAttentionHeads: heads,
      numKeyValueHeads: kvHeads,
      headDim,
      qkNorm,
      rmsNormEps: eps,
      attentionBias,
    } = this.spec;
    const w = (suffix: string): Float32Array => this.layerWeight(layer, suffix);
    const bias = (name: string): Float32Array | null => (attentionBias ? w(`self_attn.${name}.bias`) : null);
    const q = project(w('self_attn.q_proj.weight'), x, heads * headDim, bias('q_proj'));
    const k = project(w('self_attn.k_proj.weight'), x, kvHeads * headDim, bias('k_proj'));
    const v = project(w('self_attn.v_proj.weight'), x, kvHeads * headDim, bias('v_proj'));

    if (qkNorm === 'learned-full-width-before-rope') {
      rmsNorm(q, w('self_attn.q_norm.weight'), eps);
      rmsNorm(k, w('self_attn.k_norm.weight'), eps);
    }
    const perHead = (tensor: Float32Array, count: number, weight: Float32Array | null): void => {
      for (let head = 0; head < count; head += 1) rmsNorm(tensor, weight, eps, head * headDim, headDim);
    };
    if (qkNorm === 'learned-per-head-before-rope') {
      perHead(q, heads, w('self_attn.q_norm.weight'));
      perHead(k, kvHeads, w('self_attn.k_norm.weight'));
    }
    for (let head = 0; head < heads; head += 1) this.rotate(q, head * headDim, position);
    for (let head = 0; head < kvHeads; head += 1) this.rotate(k, head * headDim, position);
    if (qkNorm === 'weightless-after-rope') {
      perHead(q, heads, null);
      perHead(k, kvHeads, null);
    }

    const keys = this.keys[layer]!;
    const values = this.values[layer]!;
    keys.push(k);
    values.push(v);
    const scale = 1 / Math.sqrt(headDim);
    const groupSize = heads / kvHeads;
    const output = new Float32Array(heads * headDim);
    const scores = new Float64Array(keys.length);
    for (let head = 0; head < heads; head += 1) {
      const kvOffset = Math.floor(head / groupSize) * headDim;
      let max = -Infinity;
      for (let p = 0; p < keys.length; p += 1) {
        let dot = 0;
        for (let d = 0; d < headDim; d += 1) dot += q[head * headDim + d]! * keys[p]![kvOffset + d]!;
        scores[p] = dot * scale;
        max = Math.max(max, scores[p]!);
      }
      let total = 0;
      for (let p = 0; p < keys.length; p += 1) {
        scores[p] = Math.exp(scores[p]! - max);
        total += scores[p]!;
      }
      for (let p = 0; p < keys.length; p += 1) {
        const weight = scores[p]! / total;
        const value = values[p]!;
        for (let d = 0; d < headDim; d += 1) {
          output[head * headDim + d] = output[head * headDim + d]! + weight * value[kvOffset + d]!;
        }
      }
    }
    return project(w('self_attn.o_proj.weight'), output, this.spec.hiddenSize, bias('o_proj'));
  }

  private mlp(layer: number, x: Float32Array, ffn: string): Float32Array {
    const { intermediateSize, hiddenSize } = this.spec;
    const w = (suffix: string): Float32Array => this.layerWeight(layer, `${ffn}.${suffix}`);
    const gate = project(w('gate_proj.weight'), x, intermediateSize, null);
    const up = project(w('up_proj.weight'), x, intermediateSize, null);
    const activated = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!); // SiLU(gate)·up
    return project(w('down_proj.weight'), activated, hiddenSize, null);
  }
}
