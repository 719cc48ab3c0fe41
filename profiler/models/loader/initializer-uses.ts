import {
  DataType,
  elementCount,
  nodeAttributes,
  type GraphProto,
  type NodeProto,
  type TensorProto,
} from '../../onnx';
import { operatorKey } from './graph-census';

/**
 * Where each initializer is read and in what part: the map the learned-parameter count and the
 * decode-read bytes are computed from. Built from the node list alone; no tensor data is read.
 */

/**
 * Ops whose output is their first input re-viewed or retyped: a weight reaches its reader through
 * them (a tied lm_head's Transpose in Optimum exports, the Unsqueeze on GatherBlockQuantized scales).
 */
const VIEW_OPS = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Transpose', 'Cast']);

/**
 * The part an input plays for the op that reads it.
 * - weight: learned, read in full at every step (MatMul B, biases)
 * - scale: a multiplier (norm scale, Mul): learned unless every value is 1, read in full
 * - quantization: a quantized weight's scales / zero points: read in full, not learned
 * - table: rows gathered by index: one row read per token; learned when the rows are embeddings
 * - table-quantization: scales / zero points of a gathered table: one row read, not learned
 * - rotary: cos/sin caches an attention op looks one position up in: one row read, not learned
 * - other: anything else (masks, shapes, axes): read in full, not learned
 */
export type InputRole =
  'weight' | 'scale' | 'quantization' | 'table' | 'table-quantization' | 'rotary' | 'other';

/** Roles by operator (keyed as in the operator histogram) and input index; unlisted inputs are 'other'. */
const INPUT_ROLES: Readonly<Record<string, Readonly<Record<number, InputRole>>>> = {
  MatMul: { 1: 'weight' },
  Gemm: { 1: 'weight', 2: 'weight' },
  'com.microsoft.MatMulNBits': {
    1: 'weight',
    2: 'quantization',
    3: 'quantization',
    4: 'quantization',
    5: 'weight',
  },
  'com.microsoft.DynamicQuantizeMatMul': { 1: 'weight', 2: 'quantization', 3: 'quantization', 4: 'weight' },
  MatMulInteger: { 1: 'weight', 2: 'quantization', 3: 'quantization' },
  DequantizeLinear: { 0: 'weight', 1: 'quantization', 2: 'quantization' },
  'com.microsoft.DequantizeLinear': { 0: 'weight', 1: 'quantization', 2: 'quantization' },
  Gather: { 0: 'table' },
  'com.microsoft.GatherBlockQuantized': { 0: 'table', 2: 'table-quantization', 3: 'table-quantization' },
  'com.microsoft.GroupQueryAttention': { 7: 'rotary', 8: 'rotary' },
  'com.microsoft.RotaryEmbedding': { 2: 'rotary', 3: 'rotary' },
  RotaryEmbedding: { 1: 'rotary', 2: 'rotary' },
  SimplifiedLayerNormalization: { 1: 'scale' },
  'com.microsoft.SkipSimplifiedLayerNormalization': { 2: 'scale', 3: 'weight' },
  LayerNormalization: { 1: 'scale', 2: 'weight' },
  'com.microsoft.SkipLayerNormalization': { 2: 'scale', 3: 'weight', 4: 'weight' },
  RMSNormalization: { 1: 'scale' },
  Mul: { 0: 'scale', 1: 'scale' },
  Add: { 0: 'weight', 1: 'weight' },
};

/** One read of an initializer: the node, which of its inputs, and what that input is to it. */
export interface InitializerUse {
  node: NodeProto;
  input: number;
  role: InputRole;
}

export interface InitializerUses {
  initializers: ReadonlyMap<string, TensorProto>;
  /** the reads of each initializer that some node reads, view ops looked through */
  uses: ReadonlyMap<string, readonly InitializerUse[]>;
  /** what a value is a view of: view ops followed back to an initializer, a graph input or a node output */
  viewSource(value: string): string;
  /** the node that computes a value; undefined for initializers and graph inputs */
  producer(value: string): NodeProto | undefined;
}

/**
 * Shape and axes constants (int64 / int32) and scalars: never a learned parameter, and too small to
 * count as bytes read. A 1-element tensor counts as a scalar (eps, a mask fill value).
 */
export function isShapeOrScalar(tensor: TensorProto): boolean {
  const dataType = tensor.data_type ?? DataType.UNDEFINED;
  return dataType === DataType.INT64 || dataType === DataType.INT32 || elementCount(tensor.dims) <= 1;
}

/** Every node, If / Loop / Scan bodies included: they may read the outer graph's initializers. */
function allNodes(graph: GraphProto): NodeProto[] {
  return graph.node.flatMap((n) => [
    n,
    ...n.attribute.flatMap((attribute) =>
      [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])].flatMap(allNodes),
    ),
  ]);
}

export function initializerUses(graph: GraphProto): InitializerUses {
  const initializers = new Map(graph.initializer.map((tensor) => [tensor.name ?? '', tensor]));
  const nodes = allNodes(graph);
  const producers = new Map<string, NodeProto>();
  const readers = new Map<string, { node: NodeProto; input: number }[]>();
  for (const n of nodes) {
    for (const output of n.output) if (output) producers.set(output, n);
    n.input.forEach((input, index) => {
      if (!input) return; // an omitted optional input
      const list = readers.get(input) ?? [];
      list.push({ node: n, input: index });
      readers.set(input, list);
    });
  }
  const isView = (n: NodeProto): boolean => VIEW_OPS.has(operatorKey(n.op_type ?? '', n.domain));

  /** the reads of a value, through views: a view's data input passes the value on to its readers */
  const readsOf = (value: string): InitializerUse[] =>
    (readers.get(value) ?? []).flatMap(({ node: n, input }) =>
      isView(n) && input === 0
        ? readsOf(n.output[0] ?? '')
        : [{ node: n, input, role: INPUT_ROLES[operatorKey(n.op_type ?? '', n.domain)]?.[input] ?? 'other' }],
    );

  const uses = new Map<string, InitializerUse[]>();
  for (const name of initializers.keys()) {
    const found = readsOf(name);
    if (found.length > 0) uses.set(name, found);
  }
  const viewSource = (value: string): string => {
    const from = producers.get(value);
    return from && isView(from) ? viewSource(from.input[0] ?? '') : value;
  };
  return { initializers, uses, viewSource, producer: (value) => producers.get(value) };
}

/** An integer attribute of a node, or its ONNX default. */
export function intAttribute(n: NodeProto, name: string, fallback: number): number {
  const value = nodeAttributes(n)[name];
  return typeof value === 'number' ? value : fallback;
}

/**
 * Rows of a table along the axis a row-reading use gathers on: Gather's `axis`, GatherBlockQuantized's
 * `gather_axis` (its scales and zero points are gathered on the same axis), a rotary cache's positions
 * (its first axis). The axis is the reader's, applied to the initializer's own dims: the views between
 * them here (Unsqueeze of scales at the end) keep that axis in place.
 */
export function gatheredRows(tensor: TensorProto, use: InitializerUse): number {
  const opType = use.node.op_type ?? '';
  const axis =
    use.role === 'rotary' ? 0 : intAttribute(use.node, opType === 'Gather' ? 'axis' : 'gather_axis', 0);
  return tensor.dims[axis < 0 ? axis + tensor.dims.length : axis] ?? 1;
}
