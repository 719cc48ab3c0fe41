import { attr } from '../../onnx';
import type { ModelSpec } from '../../../common/catalog/model-spec';
import {
  attentionMaskName,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from './decoder-io';
import { rmsNormAttributes, type GraphAssembler } from './graph-assembler';
import type { LogitsPositions } from './model-config-files';
import { embed, layerWeightName, lmHead, swiGlu } from './graph-parts';
import { packedQkvBiasName, packedQkvWeightName } from './weight-plan';

/**
 * The *fused* style: onnxruntime contrib ops as onnxruntime-genai emits them for CPU fp32 —
 * SimplifiedLayerNormalization / SkipSimplifiedLayerNormalization, one packed QKV MatMul,
 * GroupQueryAttention with its own rotary (cos/sin caches) and seqlens_k / total_sequence_length from
 * the attention mask. No position_ids input: GQA derives positions from the mask.
 *
 * MobileLLM-R1's weight-free QK-norm runs *after* RoPE in Hugging Face's code; here it runs before
 * GQA's rotary. The two orders are the same function: a rotation keeps each head's RMS, and scaling
 * commutes with rotation. The standard graph keeps HF's order, and the style-agreement test checks it.
 */

const ms = 'com.microsoft' as const;

/** seqlens_k = Σ mask − 1 (int32, per batch row) and total_sequence_length = mask width (int32 scalar). */
function gqaLengths(g: GraphAssembler): { seqlensK: string; total: string } {
  const scope = '/model/attn_mask_reformat/attn_mask_subgraph';
  const sum = g.op(scope, 'ReduceSum', [attentionMaskName, g.int64([1])], { keepdims: attr.int(0) });
  const lastIndex = g.op(scope, 'Sub', [sum, g.int64([1], true)]);
  const seqlensK = g.op(`${scope}/seqlens_k`, 'Cast', [lastIndex], { to: attr.int(6) }); // INT32
  const shape = g.op(scope, 'Shape', [attentionMaskName]);
  const width = g.op(scope, 'Gather', [shape, g.int64([1], true)], { axis: attr.int(0) });
  const total = g.op(`${scope}/total_seq_len`, 'Cast', [width], { to: attr.int(6) });
  return { seqlensK, total };
}

/** RMSNorm per head of a [batch, seq, heads·headDim] tensor: reshape to heads, normalize, reshape back. */
function perHeadNorm(
  g: GraphAssembler,
  spec: ModelSpec,
  scope: string,
  x: string,
  heads: number,
  weight: string,
): string {
  const split = g.op(scope, 'Reshape', [x, g.int64([0, -1, spec.headDim])]);
  const normed = g.op(
    scope,
    'SimplifiedLayerNormalization',
    [split, weight],
    rmsNormAttributes(spec.rmsNormEps),
  );
  return g.op(scope, 'Reshape', [normed, g.int64([0, -1, heads * spec.headDim])]);
}

function attention(
  g: GraphAssembler,
  spec: ModelSpec,
  layer: number,
  x: string,
  lengths: { seqlensK: string; total: string },
  caches: { cos: string; sin: string },
  onesHeadWeight: string,
): string {
  const scope = `/model/layers.${layer}/attn`;
  const { numAttentionHeads: heads, numKeyValueHeads: kvHeads, headDim, qkNorm } = spec;
  const source = spec.blockWeightSharing === 'immediate-blockwise' ? layer - (layer % 2) : layer;
  const w = (suffix: string): string => layerWeightName(spec, layer, `self_attn.${suffix}`);

  let qkv = g.op(`${scope}/qkv_proj`, 'MatMul', [x, packedQkvWeightName(source)]);
  if (spec.attentionBias) qkv = g.op(`${scope}/qkv_proj`, 'Add', [qkv, packedQkvBiasName(source)]);

  let gqaInputs: string[];
  if (qkNorm === 'none') {
    gqaInputs = [qkv, '', ''];
  } else {
    const widths = g.int64([heads * headDim, kvHeads * headDim, kvHeads * headDim]);
    const outputs = ['q', 'k', 'v'].map((part) => `${scope}/qkv_split/${part}`);
    const [q0, k0, v] = g.opMulti(`${scope}/qkv_split`, 'Split', [qkv, widths], outputs, {
      axis: attr.int(-1),
    });
    let q = q0!;
    let k = k0!;
    if (qkNorm === 'learned-full-width-before-rope') {
      q = g.op(
        `${scope}/q_norm`,
        'SimplifiedLayerNormalization',
        [q, w('q_norm.weight')],
        rmsNormAttributes(spec.rmsNormEps),
      );
      k = g.op(
        `${scope}/k_norm`,
        'SimplifiedLayerNormalization',
        [k, w('k_norm.weight')],
        rmsNormAttributes(spec.rmsNormEps),
      );
    } else {
      const learned = qkNorm === 'learned-per-head-before-rope';
      q = perHeadNorm(g, spec, `${scope}/q_norm`, q, heads, learned ? w('q_norm.weight') : onesHeadWeight);
      k = perHeadNorm(g, spec, `${scope}/k_norm`, k, kvHeads, learned ? w('k_norm.weight') : onesHeadWeight);
    }
    gqaInputs = [q, k, v!];
  }

  const output = `${scope}/GroupQueryAttention/output_0`;
  g.opMulti(
    scope,
    'GroupQueryAttention',
    [
      ...gqaInputs,
      pastKeyName(layer),
      pastValueName(layer),
      lengths.seqlensK,
      lengths.total,
      caches.cos,
      caches.sin,
    ],
    [output, presentKeyName(layer), presentValueName(layer)],
    {
      num_heads: attr.int(heads),
      kv_num_heads: attr.int(kvHeads),
      scale: attr.float(1 / Math.sqrt(headDim)),
      local_window_size: attr.int(-1),
      do_rotary: attr.int(1),
      rotary_interleaved: attr.int(spec.ropeStyle === 'interleaved' ? 1 : 0),
    },
    ms,
  );
  let projected = g.op(`${scope}/o_proj`, 'MatMul', [output, w('o_proj.weight')]);
  if (spec.attentionBias) projected = g.op(`${scope}/o_proj`, 'Add', [projected, w('o_proj.bias')]);
  return projected;
}

/** SkipSimplifiedLayerNormalization: normalizes input + skip; output 3 carries the sum on as the residual. */
function skipNorm(
  g: GraphAssembler,
  spec: ModelSpec,
  scope: string,
  input: string,
  skip: string,
  weight: string,
) {
  const [normed, , , sum] = g.opMulti(
    scope,
    'SkipSimplifiedLayerNormalization',
    [input, skip, weight],
    [`${scope}/output_0`, '', '', `${scope}/output_3`],
    { epsilon: attr.float(spec.rmsNormEps) },
    ms,
  );
  return { normed: normed!, sum: sum! };
}

export function buildFusedGraph(
  g: GraphAssembler,
  spec: ModelSpec,
  cosCache: string,
  sinCache: string,
  onesHeadWeight: string,
  logits: LogitsPositions,
): void {
  const lengths = gqaLengths(g);
  const caches = { cos: cosCache, sin: sinCache };
  const eps = spec.rmsNormEps;
  const embeddings = embed(g);
  const norm = (scope: string, x: string, weight: string): string =>
    g.op(scope, 'SimplifiedLayerNormalization', [x, weight], rmsNormAttributes(eps));

  if (spec.normPlacement === 'post') {
    let hidden = embeddings;
    for (let layer = 0; layer < spec.numHiddenLayers; layer += 1) {
      const scope = `/model/layers.${layer}`;
      const w = (suffix: string): string => layerWeightName(spec, layer, suffix);
      const attended = attention(g, spec, layer, hidden, lengths, caches, onesHeadWeight);
      const normed = norm(
        `${scope}/post_attention_layernorm`,
        attended,
        w('post_attention_layernorm.weight'),
      );
      hidden = g.op(`${scope}/attn_residual`, 'Add', [hidden, normed]);
      const mlp = swiGlu(g, spec, layer, hidden);
      const mlpNormed = norm(
        `${scope}/post_feedforward_layernorm`,
        mlp,
        w('post_feedforward_layernorm.weight'),
      );
      hidden = g.op(`${scope}/mlp_residual`, 'Add', [hidden, mlpNormed]);
    }
    lmHead(g, spec, norm('/model/layers.final_norm_layernorm', hidden, 'model.norm.weight'), logits);
    return;
  }

  // pre-norm, genai's chain: each Skip norm adds the previous sublayer's output to the residual
  let x = norm(
    '/model/layers.0/input_layernorm',
    embeddings,
    layerWeightName(spec, 0, 'input_layernorm.weight'),
  );
  let residual = embeddings;
  let sublayerOutput = '';
  for (let layer = 0; layer < spec.numHiddenLayers; layer += 1) {
    const scope = `/model/layers.${layer}`;
    const w = (suffix: string): string => layerWeightName(spec, layer, suffix);
    if (layer > 0) {
      ({ normed: x, sum: residual } = skipNorm(
        g,
        spec,
        `${scope}/input_layernorm`,
        sublayerOutput,
        residual,
        w('input_layernorm.weight'),
      ));
    }
    const attended = attention(g, spec, layer, x, lengths, caches, onesHeadWeight);
    const post = skipNorm(
      g,
      spec,
      `${scope}/post_attention_layernorm`,
      attended,
      residual,
      w('post_attention_layernorm.weight'),
    );
    residual = post.sum;
    sublayerOutput = swiGlu(g, spec, layer, post.normed);
  }
  const final = skipNorm(
    g,
    spec,
    '/model/layers.final_norm_layernorm',
    sublayerOutput,
    residual,
    'model.norm.weight',
  );
  lmHead(g, spec, final.normed, logits);
}
