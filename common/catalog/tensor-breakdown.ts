import type { ModelSpec } from './model-spec';

/** One weight tensor of the model, as a synthetic-model builder or a checkpoint reader sees it. */
export interface WeightTensor {
  /** Hugging Face checkpoint name, e.g. "model.layers.3.self_attn.q_proj.weight" */
  name: string;
  /** elements per dimension, PyTorch order: [out, in] for projections, [n] for norms and biases */
  shape: readonly number[];
  /** elements (product of the shape) */
  parameters: number;
  /** decoder block index; null for the embedding, the final norm and lm_head */
  layer: number | null;
  /**
   * The tensor whose weights this one reuses under block weight sharing; null when it is stored in its
   * own right. A builder emits one initializer per stored tensor and points shared ones at it.
   */
  sharedFrom: string | null;
}

/** The block whose weights block `layer` runs with: its even partner under immediate block-wise sharing. */
export function blockWeightSourceLayer(spec: ModelSpec, layer: number): number {
  return spec.blockWeightSharing === 'immediate-blockwise' ? layer - (layer % 2) : layer;
}

/** Names relative to `model.layers.{i}.` with their shapes, in the order a block uses them. */
function blockTensorShapes(spec: ModelSpec): [string, number[]][] {
  const hidden = spec.hiddenSize;
  const queryWidth = spec.numAttentionHeads * spec.headDim; // elements
  const keyValueWidth = spec.numKeyValueHeads * spec.headDim; // elements
  const ffn = spec.ffnModuleName;
  const tensors: [string, number[]][] = [];
  const projection = (name: string, outWidth: number, inWidth: number) => {
    tensors.push([`self_attn.${name}.weight`, [outWidth, inWidth]]);
    if (spec.attentionBias) tensors.push([`self_attn.${name}.bias`, [outWidth]]);
  };

  if (spec.normPlacement === 'pre') tensors.push(['input_layernorm.weight', [hidden]]);
  projection('q_proj', queryWidth, hidden);
  projection('k_proj', keyValueWidth, hidden);
  projection('v_proj', keyValueWidth, hidden);
  projection('o_proj', hidden, queryWidth);
  if (spec.qkNorm === 'learned-per-head-before-rope') {
    tensors.push(['self_attn.q_norm.weight', [spec.headDim]], ['self_attn.k_norm.weight', [spec.headDim]]);
  } else if (spec.qkNorm === 'learned-full-width-before-rope') {
    tensors.push(['self_attn.q_norm.weight', [queryWidth]], ['self_attn.k_norm.weight', [keyValueWidth]]);
  }
  // pre-norm: this norm feeds the MLP; post-norm (OLMo-2): it normalises the attention output
  tensors.push(['post_attention_layernorm.weight', [hidden]]);
  tensors.push(
    [`${ffn}.gate_proj.weight`, [spec.intermediateSize, hidden]],
    [`${ffn}.up_proj.weight`, [spec.intermediateSize, hidden]],
    [`${ffn}.down_proj.weight`, [hidden, spec.intermediateSize]],
  );
  if (spec.normPlacement === 'post') tensors.push(['post_feedforward_layernorm.weight', [hidden]]);
  return tensors;
}

function tensor(
  name: string,
  shape: number[],
  layer: number | null,
  sharedFrom: string | null,
): WeightTensor {
  return { name, shape, parameters: shape.reduce((a, b) => a * b, 1), layer, sharedFrom };
}

/**
 * Every weight tensor of the model, in execution order: embedding, blocks, final norm, then lm_head
 * when untied. Under block sharing, blocks 2k+1 list their tensors with `sharedFrom` naming block 2k's.
 */
export function tensorBreakdown(spec: ModelSpec): WeightTensor[] {
  const blockTensors = blockTensorShapes(spec);
  const tensors: WeightTensor[] = [
    tensor('model.embed_tokens.weight', [spec.vocabSize, spec.hiddenSize], null, null),
  ];
  for (let layer = 0; layer < spec.numHiddenLayers; layer += 1) {
    const source = blockWeightSourceLayer(spec, layer);
    for (const [suffix, shape] of blockTensors) {
      const sharedFrom = source === layer ? null : `model.layers.${source}.${suffix}`;
      tensors.push(tensor(`model.layers.${layer}.${suffix}`, shape, layer, sharedFrom));
    }
  }
  tensors.push(tensor('model.norm.weight', [spec.hiddenSize], null, null));
  if (!spec.tieWordEmbeddings) {
    tensors.push(tensor('lm_head.weight', [spec.vocabSize, spec.hiddenSize], null, null));
  }
  return tensors;
}
