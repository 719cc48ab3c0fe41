import type { DecoderSignature } from '../profiler/api';
import { attr, DataType, node, type NodeProto, type ValueInfoProto } from '../profiler/onnx';
import { asFloat32, toFloat16 } from './float-values';

/**
 * The graph's dtypes around the quantized weights: float16 activations, and a KV cache stored in
 * another float type than the activations.
 */

/** The parts of a graph these passes change: its nodes, inputs and outputs. */
export interface GraphParts {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
}

/** Float graph I/O, Cast targets and Constant values become float16. */
export function toFloat16Graph({ nodes, inputs, outputs }: GraphParts): GraphParts {
  const retype = (info: ValueInfoProto): ValueInfoProto => {
    const tensorType = info.type?.tensor_type;
    if (tensorType?.elem_type !== DataType.FLOAT) return info;
    return { ...info, type: { ...info.type, tensor_type: { ...tensorType, elem_type: DataType.FLOAT16 } } };
  };
  const converted = nodes.map((n) => {
    if (n.op_type === 'Cast') {
      return {
        ...n,
        attribute: n.attribute.map((a) =>
          a.name === 'to' && a.i === DataType.FLOAT ? { ...a, i: DataType.FLOAT16 } : a,
        ),
      };
    }
    if (n.op_type === 'Constant' || n.op_type === 'ConstantOfShape') {
      return {
        ...n,
        attribute: n.attribute.map((a) => {
          const t = a.t;
          if (!t || t.data_type !== DataType.FLOAT) return a;
          const values = t.raw_data ? asFloat32(t.raw_data) : Float32Array.from(t.float_data ?? []);
          return {
            ...a,
            t: {
              ...t,
              data_type: DataType.FLOAT16,
              float_data: [],
              raw_data: new Uint8Array(toFloat16(values).buffer),
            },
          };
        }),
      };
    }
    return n;
  });
  return { nodes: converted, inputs: inputs.map(retype), outputs: outputs.map(retype) };
}

/** When the KV cache's dtype differs from the activations', Cast at the graph boundary. */
export function castKvCache(
  { nodes, inputs, outputs }: GraphParts,
  signature: DecoderSignature,
  kvType: number,
  activationType: number,
): GraphParts {
  if (kvType === activationType) return { nodes, inputs, outputs };
  const past = new Set([...signature.roles.pastKeys, ...signature.roles.pastValues]);
  const present = new Set([...signature.roles.presentKeys, ...signature.roles.presentValues]);
  const withType = (info: ValueInfoProto, type: number): ValueInfoProto => ({
    ...info,
    type: { ...info.type, tensor_type: { ...info.type?.tensor_type, elem_type: type } },
  });
  const rename = (name: string): string =>
    past.has(name) ? `${name}/as_activation` : present.has(name) ? `${name}/as_activation` : name;
  const rewired = nodes.map((n) => ({
    ...n,
    input: n.input.map((i) => (past.has(i) ? rename(i) : i)),
    output: n.output.map((o) => (present.has(o) ? rename(o) : o)),
  }));
  const casts = [
    ...[...past].map((name) =>
      node('Cast', [name], [rename(name)], { to: attr.int(activationType) }, '', `${name}/Cast`),
    ),
    ...[...present].map((name) =>
      node('Cast', [rename(name)], [name], { to: attr.int(kvType) }, '', `${name}/Cast`),
    ),
  ];
  return {
    nodes: [...casts.slice(0, past.size), ...rewired, ...casts.slice(past.size)],
    inputs: inputs.map((info) => (past.has(info.name ?? '') ? withType(info, kvType) : info)),
    outputs: outputs.map((info) => (present.has(info.name ?? '') ? withType(info, kvType) : info)),
  };
}
