import { DataType, DataLocation, elementCount, type TensorProto } from '../../onnx';
import {
  gatheredRows,
  intAttribute,
  isShapeOrScalar,
  type InitializerUse,
  type InitializerUses,
} from './initializer-uses';

/**
 * Learned parameters: the weights a network learns, counted from the graph protobuf the way a model
 * card counts them, so a synthetic build reports its catalog's published count and a quantized variant
 * the count of its fp32 source. No weight data is read.
 *
 * An initializer counts when some node reads it as a weight (MatMul / Gemm B and bias, a
 * MatMulNBits / DynamicQuantizeMatMul / MatMulInteger B, a DequantizeLinear input, a norm's scale or
 * bias, a Mul / Add operand) or gathers token embeddings from it. It counts at its logical size:
 * MatMulNBits B as K × N from the node's attributes, GatherBlockQuantized data as rows × unpacked
 * columns, int8 and 4-bit-typed tensors by their elements. Left out: shape / axes constants and
 * scalars; quantization scales and zero points; rotary caches (tables gathered by position ids, or
 * looked up by an attention op's cos/sin inputs); a scale whose values are all exactly 1 (the
 * placeholder a weight-free norm needs, e.g. MobileLLM-R1's QK-norm as SimplifiedLayerNormalization).
 * One table read both by the embedding Gather and a tied head counts once, being one initializer;
 * a separate head copy of the embedding counts once too, see `tiedHeadCopy`.
 */

export interface WeightContext {
  /** the graph input holding token ids: a table gathered by it is the token embedding */
  tokenIds: string;
  /** the graph output holding logits: the node computing it reads the head weight */
  logits: string;
  /** config.json's tie_word_embeddings; null without a config.json */
  tiedEmbeddings: boolean | null;
}

/** Elements of an initializer as the model uses them: unpacked, before quantization. */
function logicalElements(tensor: TensorProto, use: InitializerUse): number {
  const opType = use.node.op_type ?? '';
  if (opType === 'MatMulNBits' && use.input === 1) {
    return intAttribute(use.node, 'K', 0) * intAttribute(use.node, 'N', 0);
  }
  const stored = elementCount(tensor.dims);
  if (opType === 'GatherBlockQuantized' && use.input === 0 && tensor.data_type === DataType.UINT8) {
    return (stored * 8) / intAttribute(use.node, 'bits', 4); // uint8 data holds 8 / bits values a byte
  }
  return stored;
}

/**
 * Whether a tensor's values are all exactly 1, from its inline data (a builder's ones are a few bytes,
 * kept in the .onnx); a tensor in external data is not read and counts as learned. A trained scale is
 * never exactly all ones; only a checkpoint exported before any training would be miscounted here.
 */
function isAllOnes(tensor: TensorProto): boolean {
  if (tensor.data_location === DataLocation.EXTERNAL) return false;
  if (tensor.float_data && tensor.float_data.length > 0) return tensor.float_data.every((v) => v === 1);
  const raw = tensor.raw_data;
  if (!raw || raw.byteLength === 0) return false;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const bits: Partial<Record<number, [bytes: number, one: number]>> = {
    [DataType.FLOAT16]: [2, 0x3c00],
    [DataType.BFLOAT16]: [2, 0x3f80],
  };
  if (tensor.data_type === DataType.FLOAT) {
    for (let at = 0; at < raw.byteLength; at += 4) if (view.getFloat32(at, true) !== 1) return false;
    return true;
  }
  const half = bits[tensor.data_type ?? DataType.UNDEFINED];
  if (!half) return false;
  for (let at = 0; at < raw.byteLength; at += half[0]) if (view.getUint16(at, true) !== half[1]) return false;
  return true;
}

/** The initializer the logits are computed from (through views, and a QDQ DequantizeLinear). */
function logitsHeadWeight(uses: InitializerUses, logits: string): string | undefined {
  const head = uses.producer(uses.viewSource(logits));
  if (!head) return undefined;
  let weight = uses.viewSource(head.input[1] ?? '');
  const dequantize = uses.producer(weight);
  if (dequantize?.op_type === 'DequantizeLinear') weight = uses.viewSource(dequantize.input[0] ?? '');
  return uses.initializers.has(weight) ? weight : undefined;
}

/**
 * The head weight when it is a second copy of the token embedding: the same learned parameters stored
 * twice, counted once. A copy is a separate head initializer of the embedding's logical size when
 * config.json says tie_word_embeddings (Optimum exports of tied models often keep the embedding [V, H]
 * and a transposed head [H, V]), or when it is named `<embedding>_int8`: the int8-dyn preset's head
 * copy beside the fp32 table its Gather keeps. That one rule is by name because the graph holds no
 * link between a float table and its int8 copy, and a bare .onnx has no config.json to say so.
 */
function tiedHeadCopy(
  uses: InitializerUses,
  context: WeightContext,
  learned: ReadonlyMap<string, number>,
  tokenTables: ReadonlySet<string>,
): string | undefined {
  const head = logitsHeadWeight(uses, context.logits);
  if (head === undefined || tokenTables.has(head) || !learned.has(head)) return undefined;
  const copied = [...tokenTables].some(
    (table) =>
      learned.get(table) === learned.get(head) &&
      (context.tiedEmbeddings === true || head === `${table}_int8`),
  );
  return copied ? head : undefined;
}

/** Learned parameters of a decoder graph (elements); the rule is in this file's header. */
export function learnedParameterCount(uses: InitializerUses, context: WeightContext): number {
  const learned = new Map<string, number>();
  const tokenTables = new Set<string>();
  /** row width (elements) of the token embedding, and of tables gathered by something else */
  let tokenRowElements: number | undefined;
  const lookups: { name: string; elements: number; rowElements: number }[] = [];
  for (const [name, reads] of uses.uses) {
    const tensor = uses.initializers.get(name)!;
    if (isShapeOrScalar(tensor)) continue;
    const sizes: number[] = [];
    for (const use of reads) {
      const elements = logicalElements(tensor, use);
      if (use.role === 'weight' || (use.role === 'scale' && !isAllOnes(tensor))) sizes.push(elements);
      if (use.role !== 'table') continue;
      const rowElements = elements / gatheredRows(tensor, use);
      if (uses.viewSource(use.node.input[1] ?? '') === context.tokenIds) {
        sizes.push(elements);
        tokenTables.add(name);
        tokenRowElements = rowElements;
      } else {
        lookups.push({ name, elements, rowElements });
      }
    }
    // MatMulNBits' K × N is exact where a table's packed blocks may pad K: the smaller reading wins
    if (sizes.length > 0) learned.set(name, Math.min(...sizes));
  }
  // A table gathered by positions is a rotary cache (head_dim or head_dim / 2 wide), unless it is as
  // wide as the token embedding it is added to: a learned position embedding (GPT-2's wpe).
  for (const lookup of lookups) {
    if (!learned.has(lookup.name) && lookup.rowElements === tokenRowElements) {
      learned.set(lookup.name, lookup.elements);
    }
  }
  const copy = tiedHeadCopy(uses, context, learned, tokenTables);
  if (copy !== undefined) learned.delete(copy);
  return [...learned.values()].reduce((sum, elements) => sum + elements, 0);
}
