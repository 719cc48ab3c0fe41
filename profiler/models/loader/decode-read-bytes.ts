import { bitsPerElement, initializerByteSize } from '../../onnx';
import { gatheredRows, isShapeOrScalar, type InputRole, type InitializerUses } from './initializer-uses';

/**
 * The weight bytes one decode step (one token) reads, from the graph protobuf alone: the weights side
 * of the roofline's bytes per token (the KV cache at the trial's depth is added per trial).
 *
 * - An initializer read in full by any node counts its stored bytes once: MatMul / Gemm / MatMulNBits /
 *   DynamicQuantizeMatMul / MatMulInteger / DequantizeLinear weights with their scales and zero points,
 *   norm scales and biases, Mul / Add operands, and anything else a node reads (views such as
 *   Transpose or Cast looked through).
 * - A table read only by row lookups counts one row (its bytes ÷ its rows along the gathered axis):
 *   Gather and GatherBlockQuantized tables with their scales and zero points (an untied input
 *   embedding, the fp32 table int8-dyn keeps for its Gather), and rotary cos/sin caches, gathered by
 *   position ids or fed to GroupQueryAttention's cos/sin inputs. A table that a head also reads in full
 *   (a tied embedding) counts in full, once.
 * - Shape / axes constants (int64, int32) and scalars count 0; so do initializers no node reads.
 */

/** Reads that look up one row per token. */
const ROW_ROLES: ReadonlySet<InputRole> = new Set(['table', 'table-quantization', 'rotary']);

/** Weight bytes read per decode token; the rule is in this file's header. */
export function decodeReadBytes(uses: InitializerUses): number {
  let totalBytes = 0;
  for (const [name, reads] of uses.uses) {
    const tensor = uses.initializers.get(name)!;
    // string tensors have no size; shapes and scalars are not weights
    if (isShapeOrScalar(tensor) || bitsPerElement(tensor.data_type ?? 0) === undefined) continue;
    const bytes = initializerByteSize(tensor);
    const rowReads = reads.filter((use) => ROW_ROLES.has(use.role));
    totalBytes +=
      rowReads.length < reads.length
        ? bytes
        : Math.max(...rowReads.map((use) => Math.ceil(bytes / gatheredRows(tensor, use))));
  }
  return totalBytes;
}
