import { attr } from '../../onnx';
import type { ModelSpec } from '../../../common/catalog/model-spec';
import {
  attentionMaskName,
  inputIdsName,
  pastKeyName,
  pastValueName,
  positionIdsName,
  presentKeyName,
  presentValueName,
} from './decoder-io';
import type { GraphAssembler } from './graph-assembler';
import type { LogitsPositions } from './model-config-files';
import { embed, layerWeightName, lmHead, swiGlu } from './graph-parts';

/**
 * The *standard* style: plain ONNX ops only (opset 21), in the order Hugging Face's modeling code runs
 * them — the layout Optimum exports and transformers.js loads. Inputs include position_ids.
 */

const largestNegativeFloat32 = -3.4028234663852886e38; // HF masks with finfo(float32).min

/** RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · w (w omitted: weight-free, as Llama-4's L2 norm). */
function rmsNorm(g: GraphAssembler, scope: string, x: string, eps: number, weight: string | null): string {
  const squared = g.op(scope, 'Mul', [x, x]);
  const mean = g.op(scope, 'ReduceMean', [squared, g.int64([-1])], { keepdims: attr.int(1) });
  const shifted = g.op(scope, 'Add', [mean, g.float32([eps], true)]);
  const root = g.op(scope, 'Sqrt', [shifted]);
  const normalized = g.op(scope, 'Div', [x, root]);
  return weight ? g.op(`${scope}/scale`, 'Mul', [normalized, weight]) : normalized;
}

interface RopeTables {
  /** [batch, 1, seq, headDim/2] */
  cos: string;
  sin: string;
}

/** cos/sin rows for each position id, shaped to broadcast over heads. */
function ropeTables(g: GraphAssembler, cosCache: string, sinCache: string): RopeTables {
  const scope = '/model/rotary_emb';
  const lookup = (cache: string, which: string): string => {
    const rows = g.op(`${scope}/${which}`, 'Gather', [cache, positionIdsName], { axis: attr.int(0) });
    return g.op(`${scope}/${which}`, 'Unsqueeze', [rows, g.int64([1])]);
  };
  return { cos: lookup(cosCache, 'cos'), sin: lookup(sinCache, 'sin') };
}

/** Rotate x [batch, heads, seq, headDim]: pairs (i, i+d/2) for 'half', (2i, 2i+1) for 'interleaved'. */
function rotate(g: GraphAssembler, spec: ModelSpec, scope: string, x: string, rope: RopeTables): string {
  const half = spec.headDim / 2;
  if (spec.ropeStyle === 'half') {
    const [x1, x2] = g.opMulti(scope, 'Split', [x], [`${scope}/x1`, `${scope}/x2`], {
      axis: attr.int(-1),
      num_outputs: attr.int(2),
    });
    const a = g.op(`${scope}/x1cos`, 'Mul', [x1!, rope.cos]);
    const b = g.op(`${scope}/x2sin`, 'Mul', [x2!, rope.sin]);
    const c = g.op(`${scope}/x2cos`, 'Mul', [x2!, rope.cos]);
    const d = g.op(`${scope}/x1sin`, 'Mul', [x1!, rope.sin]);
    const first = g.op(`${scope}/first`, 'Sub', [a, b]);
    const second = g.op(`${scope}/second`, 'Add', [c, d]);
    return g.op(scope, 'Concat', [first, second], { axis: attr.int(-1) });
  }
  const pairs = g.op(`${scope}/pairs`, 'Reshape', [x, g.int64([0, 0, 0, half, 2])]);
  const [even, odd] = g.opMulti(scope, 'Split', [pairs], [`${scope}/even`, `${scope}/odd`], {
    axis: attr.int(-1),
    num_outputs: attr.int(2),
  });
  const cos = g.op(`${scope}/cos`, 'Unsqueeze', [rope.cos, g.int64([-1])]);
  const sin = g.op(`${scope}/sin`, 'Unsqueeze', [rope.sin, g.int64([-1])]);
  const a = g.op(`${scope}/ecos`, 'Mul', [even!, cos]);
  const b = g.op(`${scope}/osin`, 'Mul', [odd!, sin]);
  const c = g.op(`${scope}/esin`, 'Mul', [even!, sin]);
  const d = g.op(`${scope}/ocos`, 'Mul', [odd!, cos]);
  const rotatedEven = g.op(`${scope}/even_out`, 'Sub', [a, b]);
  const rotatedOdd = g.op(`${scope}/odd_out`, 'Add', [c, d]);
  const joined = g.op(scope, 'Concat', [rotatedEven, rotatedOdd], { axis: attr.int(-1) });
  return g.op(scope, 'Reshape', [joined, g.int64([0, 0, 0, spec.headDim])]);
}

/** Additive attention bias [batch, 1, seq, total]: 0 where a query may attend, float32 min elsewhere. */
function attentionBias(g: GraphAssembler): string {
  const scope = '/model/attn_mask';
  const maskShape = g.op(`${scope}/mask_shape`, 'Shape', [attentionMaskName]);
  const total = g.op(`${scope}/total`, 'Gather', [maskShape, g.int64([1], true)], { axis: attr.int(0) });
  const idsShape = g.op(`${scope}/ids_shape`, 'Shape', [inputIdsName]);
  const length = g.op(`${scope}/length`, 'Gather', [idsShape, g.int64([1], true)], { axis: attr.int(0) });
  const past = g.op(`${scope}/past`, 'Sub', [total, length]);
  const one = g.int64([1], true);
  const queryPositions = g.op(`${scope}/query_positions`, 'Range', [past, total, one]);
  const keyPositions = g.op(`${scope}/key_positions`, 'Range', [g.int64([0], true), total, one]);
  const queries = g.op(`${scope}/queries`, 'Unsqueeze', [queryPositions, g.int64([1])]);
  const keys = g.op(`${scope}/keys`, 'Unsqueeze', [keyPositions, g.int64([0])]);
  const causal = g.op(`${scope}/causal`, 'LessOrEqual', [keys, queries]);
  const padding = g.op(`${scope}/padding`, 'Cast', [attentionMaskName], { to: attr.int(9) }); // BOOL
  const paddingRows = g.op(`${scope}/padding_rows`, 'Unsqueeze', [padding, g.int64([1, 2])]);
  const allowed = g.op(`${scope}/allowed`, 'And', [causal, paddingRows]);
  return g.op(scope, 'Where', [allowed, g.float32([0], true), g.float32([largestNegativeFloat32], true)]);
}

/** [batch, seq, heads·headDim] → [batch, heads, seq, headDim] */
function toHeads(g: GraphAssembler, scope: string, x: string, heads: number, headDim: number): string {
  const split = g.op(scope, 'Reshape', [x, g.int64([0, 0, heads, headDim])]);
  return g.op(scope, 'Transpose', [split], { perm: attr.ints([0, 2, 1, 3]) });
}

/** [batch, kvHeads, total, headDim] → [batch, heads, total, headDim], each KV head serving its group. */
function repeatKv(g: GraphAssembler, spec: ModelSpec, scope: string, x: string): string {
  const group = spec.numAttentionHeads / spec.numKeyValueHeads;
  if (group === 1) return x;
  const expanded = g.op(scope, 'Unsqueeze', [x, g.int64([2])]);
  const repeated = g.op(scope, 'Expand', [expanded, g.int64([1, 1, group, 1, 1])]);
  return g.op(scope, 'Reshape', [repeated, g.int64([0, spec.numAttentionHeads, -1, spec.headDim])]);
}

function attention(
  g: GraphAssembler,
  spec: ModelSpec,
  layer: number,
  x: string,
  rope: RopeTables,
  bias: string,
): string {
  const scope = `/model/layers.${layer}/self_attn`;
  const { numAttentionHeads: heads, numKeyValueHeads: kvHeads, headDim, rmsNormEps: eps, qkNorm } = spec;
  const w = (suffix: string): string => layerWeightName(spec, layer, `self_attn.${suffix}`);
  const projection = (name: string, input: string): string => {
    const product = g.op(`${scope}/${name}`, 'MatMul', [input, w(`${name}.weight`)]);
    return spec.attentionBias ? g.op(`${scope}/${name}`, 'Add', [product, w(`${name}.bias`)]) : product;
  };
  let q = projection('q_proj', x);
  let k = projection('k_proj', x);
  const v = projection('v_proj', x);
  if (qkNorm === 'learned-full-width-before-rope') {
    q = rmsNorm(g, `${scope}/q_norm`, q, eps, w('q_norm.weight'));
    k = rmsNorm(g, `${scope}/k_norm`, k, eps, w('k_norm.weight'));
  }
  let qHeads = toHeads(g, `${scope}/q_heads`, q, heads, headDim);
  let kHeads = toHeads(g, `${scope}/k_heads`, k, kvHeads, headDim);
  const vHeads = toHeads(g, `${scope}/v_heads`, v, kvHeads, headDim);
  if (qkNorm === 'learned-per-head-before-rope') {
    qHeads = rmsNorm(g, `${scope}/q_norm`, qHeads, eps, w('q_norm.weight'));
    kHeads = rmsNorm(g, `${scope}/k_norm`, kHeads, eps, w('k_norm.weight'));
  }
  qHeads = rotate(g, spec, `${scope}/q_rotary`, qHeads, rope);
  kHeads = rotate(g, spec, `${scope}/k_rotary`, kHeads, rope);
  if (qkNorm === 'weightless-after-rope') {
    qHeads = rmsNorm(g, `${scope}/q_l2norm`, qHeads, eps, null);
    kHeads = rmsNorm(g, `${scope}/k_l2norm`, kHeads, eps, null);
  }
  const presentKey = g.op(
    `${scope}/present_key`,
    'Concat',
    [pastKeyName(layer), kHeads],
    { axis: attr.int(2) },
    {
      outputs: [presentKeyName(layer)],
    },
  );
  const presentValue = g.op(
    `${scope}/present_value`,
    'Concat',
    [pastValueName(layer), vHeads],
    { axis: attr.int(2) },
    {
      outputs: [presentValueName(layer)],
    },
  );
  const keys = repeatKv(g, spec, `${scope}/repeat_k`, presentKey);
  const values = repeatKv(g, spec, `${scope}/repeat_v`, presentValue);
  const keysT = g.op(`${scope}/keys_t`, 'Transpose', [keys], { perm: attr.ints([0, 1, 3, 2]) });
  const scores = g.op(`${scope}/scores`, 'MatMul', [qHeads, keysT]);
  const scaled = g.op(`${scope}/scores`, 'Mul', [scores, g.float32([1 / Math.sqrt(headDim)], true)]);
  const masked = g.op(`${scope}/scores`, 'Add', [scaled, bias]);
  const probabilities = g.op(scope, 'Softmax', [masked], { axis: attr.int(-1) });
  const context = g.op(`${scope}/context`, 'MatMul', [probabilities, values]);
  const merged = g.op(`${scope}/context`, 'Transpose', [context], { perm: attr.ints([0, 2, 1, 3]) });
  const flat = g.op(`${scope}/context`, 'Reshape', [merged, g.int64([0, 0, heads * headDim])]);
  return projection('o_proj', flat);
}

/** Builds the standard-style decoder into `g`; returns nothing: outputs are the named graph outputs. */
export function buildStandardGraph(
  g: GraphAssembler,
  spec: ModelSpec,
  cosCache: string,
  sinCache: string,
  logits: LogitsPositions,
): void {
  const eps = spec.rmsNormEps;
  const rope = ropeTables(g, cosCache, sinCache);
  const bias = attentionBias(g);
  let hidden = embed(g);
  for (let layer = 0; layer < spec.numHiddenLayers; layer += 1) {
    const scope = `/model/layers.${layer}`;
    const w = (suffix: string): string => layerWeightName(spec, layer, suffix);
    if (spec.normPlacement === 'pre') {
      const x = rmsNorm(g, `${scope}/input_layernorm`, hidden, eps, w('input_layernorm.weight'));
      hidden = g.op(`${scope}/attn_residual`, 'Add', [hidden, attention(g, spec, layer, x, rope, bias)]);
      const y = rmsNorm(
        g,
        `${scope}/post_attention_layernorm`,
        hidden,
        eps,
        w('post_attention_layernorm.weight'),
      );
      hidden = g.op(`${scope}/mlp_residual`, 'Add', [hidden, swiGlu(g, spec, layer, y)]);
    } else {
      const attended = attention(g, spec, layer, hidden, rope, bias);
      const normed = rmsNorm(
        g,
        `${scope}/post_attention_layernorm`,
        attended,
        eps,
        w('post_attention_layernorm.weight'),
      );
      hidden = g.op(`${scope}/attn_residual`, 'Add', [hidden, normed]);
      const mlp = swiGlu(g, spec, layer, hidden);
      const mlpNormed = rmsNorm(
        g,
        `${scope}/post_feedforward_layernorm`,
        mlp,
        eps,
        w('post_feedforward_layernorm.weight'),
      );
      hidden = g.op(`${scope}/mlp_residual`, 'Add', [hidden, mlpNormed]);
    }
  }
  const final = rmsNorm(g, '/model/norm', hidden, eps, 'model.norm.weight');
  lmHead(g, spec, final, logits);
}
