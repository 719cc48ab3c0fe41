import type { DecoderRoles } from '../profiler/api';
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

/** The uses of one kind: the MatMul/Gemm uses a MatMul format rewrites, the Gathers of a table. */
export function usesOf(plan: WeightPlan, kind: WeightUse['kind']): WeightUse[] {
  return plan.uses.filter((use) => use.kind === kind);
}

/** The weight as an op multiplies it, K (reduced) × N (outputs), read as its first use reads it. */
export function weightMatrix(plan: WeightPlan): { K: number; N: number; layout: WeightLayout } {
  const [rows, cols] = plan.tensor.dims as [number, number];
  const layout = plan.uses[0]!.layout;
  return layout === 'KN' ? { K: rows, N: cols, layout } : { K: cols, N: rows, layout };
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

/** The decoder inputs that tell an embedding Gather from a position lookup (decoder-signature.ts names them). */
export type TokenRoles = Pick<DecoderRoles, 'inputIds' | 'positionIds'>;

/** Ops that pass indices on with the same values (a dtype or shape change), e.g. input_ids → Cast → Gather. */
const SAME_INDICES = new Set(['Cast', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity']);

/** The value a Gather's indices come from, back through SAME_INDICES ops: a graph input, usually. */
function indicesSource(indices: string, producers: ReadonlyMap<string, NodeProto>): string {
  let value = indices;
  for (let producer = producers.get(value); producer && SAME_INDICES.has(producer.op_type ?? '');) {
    value = producer.input[0] ?? '';
    producer = producers.get(value);
  }
  return value;
}

/**
 * Why a gathered table that is not the token embedding stays float: rows looked up by position (a
 * rotary cos/sin cache, a learned position table) are few and read one at a time, so quantizing them
 * saves little, and blockwise 4-bit error on cos/sin bends every query and key that RoPE rotates.
 */
function notTokenTableBlocker(source: string, roles: TokenRoles): string {
  if (source === roles.positionIds) return 'a rotary / position table gathered by position ids: kept float';
  return `a table gathered by ${source}, not by the token ids ${roles.inputIds}: kept float`;
}

/**
 * The graph's weights and their uses. Only a table gathered by the token ids (`roles.inputIds`, through
 * casts and reshapes) is an embedding the quantizer may turn into GatherBlockQuantized; any other
 * gathered table gets a blocker.
 */
export function analyzeWeightUses(graph: GraphProto, roles: TokenRoles): GraphUses {
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
      if (!table || (attributes.axis ?? 0) !== 0) continue;
      addUse(table, { kind: 'gather', node, layout: 'NK' });
      const source = indicesSource(node.input[1] ?? '', producers);
      if (source !== roles.inputIds)
        plans.get(table.name ?? '')!.blocker ??= notTokenTableBlocker(source, roles);
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
