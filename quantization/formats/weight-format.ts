import type { NodeProto, TensorProto } from '../../profiler/onnx';
import type { WeightPlan, WeightUse } from '../weight-uses';

/**
 * The contract between the quantizer's pipeline (quantize-model.ts) and the ways it can store a
 * weight: MatMulNBits, GatherBlockQuantized, DynamicQuantizeMatMul, float16, as it is. The options
 * choose an ordered list of formats once (choose-formats.ts); each initializer goes to the first
 * format that takes it. The pipeline knows no format by name, so a new format is a new file.
 */

/** What happened to one weight (or node), for the user's summary and quantization.json. */
export interface QuantizeDecision {
  tensor: string;
  action: 'quantized' | 'converted' | 'kept' | 'skipped';
  /** what it became, e.g. "MatMulNBits 4-bit ×22", "GatherBlockQuantized" */
  detail: string;
}

/**
 * A format's answer for one initializer, given before its bytes are read. 'take': it writes it.
 * 'pass': not its kind of weight; the next format is asked. `{ skip }`: its kind, but it cannot be
 * quantized, for this reason: the reason is recorded and the last format (which takes every
 * initializer) stores it, so no other quantizing format gets a second say.
 */
export type Verdict = 'take' | 'pass' | { skip: string };

/** One source initializer, read: the unit the pipeline streams, released once written. */
export interface SourceTensor {
  tensor: TensorProto;
  /** as stored in the source */
  bytes: Uint8Array;
  /** its MatMul/Gemm/Gather uses, when it is a float 2-D weight that such nodes read */
  plan: WeightPlan | undefined;
}

/** Where a format writes its initializers: straight to the variant's data file, in call order. */
export interface InitializerSink {
  add(name: string, dataType: number, dims: readonly number[], data: ArrayBufferView): Promise<unknown>;
  /** float values in the variant's float type: float32, or float16 (clamped) with float16 activations */
  addFloat(name: string, dims: readonly number[], values: Float32Array): Promise<unknown>;
}

/** A small int64 tensor that replacement nodes read (axes, shapes, slice bounds). */
export interface Int64Constant {
  name: string;
  values: number[];
}

/** What writing one initializer changes besides the initializers it streamed. */
export interface FormatResult {
  /** nodes that read the weight → what replaces each ([] drops it, e.g. the Transpose before a tied head) */
  replacements: ReadonlyMap<NodeProto, NodeProto[]>;
  /** written after every weight, in this order */
  constants: readonly Int64Constant[];
  decisions: readonly QuantizeDecision[];
}

export interface WeightFormat {
  /** Whether this format stores `tensor` (with its uses, `plan`): see Verdict. */
  consider(tensor: TensorProto, plan: WeightPlan | undefined): Verdict;
  /** Streams what replaces `source` to `sink` and says which nodes change and what the record says. */
  write(source: SourceTensor, sink: InitializerSink): Promise<FormatResult>;
}

/** A result that changes no node and adds no constant. */
export function initializersOnly(decisions: readonly QuantizeDecision[] = []): FormatResult {
  return { replacements: new Map(), constants: [], decisions };
}

/** The plan of a weight this format took; a format only takes weights that have one. */
export function takenPlan(source: SourceTensor, format: string): WeightPlan {
  if (source.plan) return source.plan;
  throw new Error(
    `The ${format} format was given ${source.tensor.name ?? '(unnamed)'}, which no MatMul, Gemm or Gather reads as a weight: its consider() must pass such tensors.`,
  );
}

/** Each MatMul/Gemm use replaced by the one node `rewrite` makes; a Transpose in front of it is dropped. */
export function replaceMatMuls(
  matmuls: readonly WeightUse[],
  rewrite: (use: WeightUse) => NodeProto,
): Map<NodeProto, NodeProto[]> {
  const replacements = new Map<NodeProto, NodeProto[]>();
  for (const use of matmuls) {
    replacements.set(use.node, [rewrite(use)]);
    if (use.transpose) replacements.set(use.transpose, []);
  }
  return replacements;
}
