import {
  attr,
  DataLocation,
  DataType,
  MICROSOFT_DOMAIN,
  node,
  tensor,
  valueInfo,
  type GraphProto,
  type NodeProto,
  type TensorProto,
} from '../../../onnx';

/**
 * Test fixtures: hand-made decoder fragments shaped like real exports (Optimum's transposed head copy,
 * QDQ weights, MatMulInteger, a learned position table), for the learned-parameter and decode-read
 * tests. Weights are dims only, marked external: nothing here has or needs values.
 */

export const VOCAB = 100;
export const HIDDEN = 8;

/** A weight of these dims, data in an external file that does not exist (never read). */
export const weight = (name: string, dims: number[], dataType: number = DataType.FLOAT): TensorProto => ({
  name,
  data_type: dataType,
  dims,
  data_location: DataLocation.EXTERNAL,
});

/** An inline float32 tensor of these values. */
export const inlineFloats = (name: string, values: number[]): TensorProto =>
  tensor(name, DataType.FLOAT, [values.length], Float32Array.from(values));

export const ms = (
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Parameters<typeof node>[3] = {},
): NodeProto => node(opType, inputs, outputs, attributes, MICROSOFT_DOMAIN);

/** input_ids → Gather(embedding) → `hidden`; `nodes` then end in `logits`. */
export function decoderGraph(
  nodes: NodeProto[],
  initializers: TensorProto[],
  embedding = 'embed',
): GraphProto {
  return {
    name: 'fixture',
    node: [node('Gather', [embedding, 'input_ids'], ['hidden'], { axis: attr.int(0) }), ...nodes],
    initializer: initializers,
    input: [
      valueInfo('input_ids', DataType.INT64, ['batch', 'sequence']),
      valueInfo('position_ids', DataType.INT64, ['batch', 'sequence']),
    ],
    output: [valueInfo('logits', DataType.FLOAT, ['batch', 'sequence', VOCAB])],
  };
}

/** The names inspectModel passes for these fixtures. */
export const fixtureContext = (tiedEmbeddings: boolean | null) => ({
  tokenIds: 'input_ids',
  logits: 'logits',
  tiedEmbeddings,
});
