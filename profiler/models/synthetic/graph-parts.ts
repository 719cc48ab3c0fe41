import { attr } from '../../onnx';
import type { ModelSpec } from '../../../common/catalog/model-spec';
import { inputIdsName, logitsName } from './decoder-io';
import type { GraphAssembler } from './graph-assembler';
import type { LogitsPositions } from './model-config-files';

/** Graph pieces both styles build the same way. */

export const embeddingName = 'model.embed_tokens.weight';

/** Name of block `layer`'s stored tensor `suffix`, following shared weights to their source block. */
export function layerWeightName(spec: ModelSpec, layer: number, suffix: string): string {
  const source = spec.blockWeightSharing === 'immediate-blockwise' ? layer - (layer % 2) : layer;
  return `model.layers.${source}.${suffix}`;
}

/** Token embedding: Gather rows of [vocab, hidden]. */
export function embed(g: GraphAssembler): string {
  return g.op('/model/embed_tokens', 'Gather', [embeddingName, inputIdsName], { axis: attr.int(0) });
}

/** SwiGLU: down(SiLU(gate(x)) · up(x)), SiLU as x·σ(x) (genai's act_fn/Sigmoid + Mul). */
export function swiGlu(g: GraphAssembler, spec: ModelSpec, layer: number, x: string): string {
  const scope = `/model/layers.${layer}/mlp`;
  const w = (name: string): string =>
    layerWeightName(spec, layer, `${spec.ffnModuleName}.${name}_proj.weight`);
  const gate = g.op(`${scope}/gate_proj`, 'MatMul', [x, w('gate')]);
  const up = g.op(`${scope}/up_proj`, 'MatMul', [x, w('up')]);
  const sigmoid = g.op(`${scope}/act_fn`, 'Sigmoid', [gate]);
  const activated = g.op(`${scope}/act_fn`, 'Mul', [gate, sigmoid]);
  const product = g.op(scope, 'Mul', [activated, up]);
  return g.op(`${scope}/down_proj`, 'MatMul', [product, w('down')]);
}

/**
 * logits = h · Eᵀ with E the [vocab, hidden] table: Gemm(transB) reads the embedding in place, so a
 * tied model keeps one copy of its largest tensor in memory (a MatMul on a transposed copy would not).
 * With `positions` 'last', only the last position's hidden state reaches the head: logits [batch, 1,
 * vocab] (onnxruntime-genai's prune_lm_head); 'all' gives [batch, sequence, vocab].
 */
export function lmHead(
  g: GraphAssembler,
  spec: ModelSpec,
  hidden: string,
  positions: LogitsPositions,
): string {
  const weight = spec.tieWordEmbeddings ? embeddingName : 'lm_head.weight';
  const rows =
    positions === 'last'
      ? g.op('/lm_head/last_position', 'Slice', [
          hidden,
          g.int64([-1]),
          g.int64([LAST_INDEX_END]),
          g.int64([1]),
        ])
      : hidden;
  const flat = g.op('/lm_head/flatten', 'Reshape', [rows, g.int64([-1, spec.hiddenSize])]);
  const product = g.op('/lm_head', 'Gemm', [flat, weight], { transB: attr.int(1) });
  if (positions === 'last') {
    return g.op(
      '/lm_head/unflatten',
      'Reshape',
      [product, g.int64([-1, 1, spec.vocabSize])],
      {},
      {
        outputs: [logitsName],
      },
    );
  }
  const idsShape = g.op('/lm_head/ids', 'Shape', [inputIdsName]);
  const shape = g.op('/lm_head/shape', 'Concat', [idsShape, g.int64([spec.vocabSize])], {
    axis: attr.int(0),
  });
  return g.op('/lm_head/unflatten', 'Reshape', [product, shape], {}, { outputs: [logitsName] });
}

/** Slice's "to the end" (int64 max would do; any bound past the sequence is clamped). */
const LAST_INDEX_END = 2 ** 31 - 1;
