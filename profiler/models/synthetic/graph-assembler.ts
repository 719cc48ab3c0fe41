import { attr, DataType, MICROSOFT_DOMAIN, node, tensor, type AttributeValue } from '../../onnx';
import type { NodeProto, TensorProto } from '../../onnx';

/**
 * Collects the nodes of a decoder graph and the small constants they need (shapes, axes, eps), with
 * unique, readable node names (`/model/layers.3/attn/q_proj/MatMul`): onnxruntime's profiler reports
 * time per node name, so the op breakdown reads like the model.
 */
export class GraphAssembler {
  readonly nodes: NodeProto[] = [];
  /** inline constant initializers (a few bytes each) */
  readonly constants: TensorProto[] = [];
  private readonly constantNames = new Map<string, string>();
  private readonly usedNodeNames = new Set<string>();

  /** `scope/opType`, or `scope/opType_2`, … when a scope holds two nodes of one type. */
  private uniqueName(scope: string, opType: string): string {
    let name = `${scope}/${opType}`;
    for (let n = 2; this.usedNodeNames.has(name); n += 1) name = `${scope}/${opType}_${n}`;
    this.usedNodeNames.add(name);
    return name;
  }

  /** Adds a node named `scope/opType`; its single output is `scope/opType/output_0` unless given. */
  op(
    scope: string,
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
    options: { outputs?: readonly string[]; domain?: 'ai.onnx' | 'com.microsoft' } = {},
  ): string {
    const name = this.uniqueName(scope, opType);
    const outputs = options.outputs ?? [`${name}/output_0`];
    const domain = options.domain === 'com.microsoft' ? MICROSOFT_DOMAIN : '';
    this.nodes.push(node(opType, inputs, outputs, attributes, domain, name));
    return outputs[0]!;
  }

  /** A multi-output node; returns its outputs in order. */
  opMulti(
    scope: string,
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
    domain: 'ai.onnx' | 'com.microsoft' = 'ai.onnx',
  ): string[] {
    const name = this.uniqueName(scope, opType);
    this.nodes.push(
      node(opType, inputs, outputs, attributes, domain === 'com.microsoft' ? MICROSOFT_DOMAIN : '', name),
    );
    return [...outputs];
  }

  /** An int64 constant (shapes, axes), shared by value. */
  int64(values: readonly number[], scalar = false): string {
    return this.constant(
      'int64',
      DataType.INT64,
      scalar ? [] : [values.length],
      BigInt64Array.from(values, BigInt),
      values,
    );
  }

  /** A float32 constant (eps, scale, -inf), shared by value. */
  float32(values: readonly number[], scalar = false): string {
    return this.constant(
      'float',
      DataType.FLOAT,
      scalar ? [] : [values.length],
      Float32Array.from(values),
      values,
    );
  }

  /** A float32 constant of a given shape (a ones weight, a RoPE cache). */
  float32Tensor(name: string, dims: readonly number[], values: Float32Array): string {
    this.constants.push(tensor(name, DataType.FLOAT, dims, values));
    return name;
  }

  private constant(
    kind: string,
    dataType: number,
    dims: readonly number[],
    data: ArrayBufferView,
    values: readonly number[],
  ): string {
    const key = `${kind}:${dims.length}:${values.join(',')}`;
    const existing = this.constantNames.get(key);
    if (existing) return existing;
    const name = `/model/constants/${kind}_${dims.length === 0 ? 'scalar' : 'vec'}_${this.constantNames.size}`;
    this.constants.push(tensor(name, dataType, dims, data));
    this.constantNames.set(key, name);
    return name;
  }
}

/** The attribute set of SimplifiedLayerNormalization (RMSNorm as genai emits it). */
export function rmsNormAttributes(eps: number): Record<string, AttributeValue> {
  return { axis: attr.int(-1), epsilon: attr.float(eps), stash_type: attr.int(1) };
}
