import { nodeAttributes, type GraphProto, type NodeProto, type TensorProto } from '../profiler/onnx';
import { DataType } from '../profiler/onnx';

/**
 * Where each constant weight is used, and how: the quantizer's map of the graph. A weight is quantized
 * only when every use is one it knows how to rewrite, so a tensor is never half converted.
 */

/** How a use reads the weight: [K, N] as MatMul's B, or [N, K] (Gemm transB, Transpose → MatMul, Gather). */
export type WeightLayout = 'KN' | 'NK';

export interface WeightUse {
  kind: 'matmul' | 'gather';
  node: NodeProto;
  layout: WeightLayout;
  /** the Transpose node between the weight and a MatMul (tied embeddings in Optimum exports) */
  transpose?: NodeProto;
}

export interface WeightPlan {
  tensor: TensorProto;
  uses: WeightUse[];
  /** why it cannot be quantized, when it cannot */
  blocker?: string;
}

/** Ops that mean a model (or a part of it) is already quantized. */
export const QUANTIZED_OPS = new Set([
  'MatMulNBits',
  'GatherBlockQuantized',
  'DynamicQuantizeMatMul',
  'MatMulInteger',
  'DequantizeLinear',
  'QLinearMatMul',
]);

export interface GraphUses {
  /** per float 2-D initializer that some MatMul/Gemm/Gather reads */
  plans: Map<string, WeightPlan>;
  /** MatMul/Gemm/Gather nodes with a weight that is not a constant: listed as skipped */
  nonConstant: { node: NodeProto; input: string }[];
  /** nodes already quantized */
  alreadyQuantized: NodeProto[];
}

function nodeLabel(node: NodeProto): string {
  return `${node.op_type} ${node.name ?? node.output[0]}`;
}

export function analyzeWeightUses(graph: GraphProto): GraphUses {
  const initializers = new Map(graph.initializer.map((tensor) => [tensor.name ?? '', tensor]));
  const producers = new Map<string, NodeProto>();
  const consumers = new Map<string, NodeProto[]>();
  for (const node of graph.node) {
    for (const output of node.output) producers.set(output, node);
    for (const input of node.input) consumers.set(input, [...(consumers.get(input) ?? []), node]);
  }
  const isWeight = (name: string): TensorProto | undefined => {
    const tensor = initializers.get(name);
    return tensor && tensor.data_type === DataType.FLOAT && tensor.dims.length === 2 ? tensor : undefined;
  };
  const plans = new Map<string, WeightPlan>();
  const nonConstant: GraphUses['nonConstant'] = [];
  const alreadyQuantized: NodeProto[] = [];
  const addUse = (tensor: TensorProto, use: WeightUse): void => {
    const name = tensor.name ?? '';
    const plan = plans.get(name) ?? { tensor, uses: [] };
    plan.uses.push(use);
    plans.set(name, plan);
  };

  for (const node of graph.node) {
    const attributes = nodeAttributes(node);
    if (QUANTIZED_OPS.has(node.op_type ?? '')) {
      alreadyQuantized.push(node);
      continue;
    }
    if (node.op_type === 'MatMul') {
      const b = node.input[1] ?? '';
      const direct = isWeight(b);
      const transpose = producers.get(b);
      const perm = transpose ? nodeAttributes(transpose).perm : undefined;
      const transposed =
        transpose?.op_type === 'Transpose' &&
        (perm === undefined || (Array.isArray(perm) && perm.join() === '1,0'))
          ? isWeight(transpose.input[0] ?? '')
          : undefined;
      if (direct) addUse(direct, { kind: 'matmul', node, layout: 'KN' });
      else if (transposed && transpose) addUse(transposed, { kind: 'matmul', node, layout: 'NK', transpose });
      else nonConstant.push({ node, input: b });
    } else if (node.op_type === 'Gemm') {
      const weight = isWeight(node.input[1] ?? '');
      if (!weight) {
        nonConstant.push({ node, input: node.input[1] ?? '' });
        continue;
      }
      const plain = (attributes.alpha ?? 1) === 1 && (attributes.transA ?? 0) === 0 && node.input.length < 3;
      addUse(weight, { kind: 'matmul', node, layout: attributes.transB === 1 ? 'NK' : 'KN' });
      if (!plain) plans.get(weight.name ?? '')!.blocker = `${nodeLabel(node)} uses alpha, transA or a bias C`;
    } else if (node.op_type === 'Gather') {
      const table = isWeight(node.input[0] ?? '');
      if (table && (attributes.axis ?? 0) === 0) addUse(table, { kind: 'gather', node, layout: 'NK' });
    }
  }

  // a weight read by anything else (an Add, a second Transpose use…) stays as it is
  for (const [name, plan] of plans) {
    const known = new Set(plan.uses.flatMap((use) => [use.node, ...(use.transpose ? [use.transpose] : [])]));
    const other = (consumers.get(name) ?? []).find((node) => !known.has(node));
    if (other) plan.blocker ??= `also read by ${nodeLabel(other)}`;
    const matmulLayouts = new Set(plan.uses.filter((use) => use.kind === 'matmul').map((use) => use.layout));
    if (matmulLayouts.size > 1) plan.blocker ??= 'used as both [K, N] and [N, K]';
    for (const use of plan.uses) {
      const transposeOutput = use.transpose?.output[0];
      if (transposeOutput && (consumers.get(transposeOutput) ?? []).length > 1) {
        plan.blocker ??= `its transpose ${use.transpose?.name ?? ''} feeds more than one node`;
      }
    }
  }
  return { plans, nonConstant, alreadyQuantized };
}
