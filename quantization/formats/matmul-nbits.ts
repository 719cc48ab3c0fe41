import { attr, MICROSOFT_DOMAIN, node, type NodeProto } from '../../profiler/onnx';
import { asFloat32 } from '../float-values';
import { usesOf, type WeightPlan } from '../weight-uses';
import {
  blockwiseDecision,
  quantizeBlockwise,
  shorterThanBlock,
  writeBlockwise,
  type BlockwiseOptions,
  type BlockwiseWeight,
} from './blockwise-weight';
import { replaceMatMuls, takenPlan, type InitializerSink, type WeightFormat } from './weight-format';

/**
 * MatMulNBits (com.microsoft): weights quantized blockwise along K to 4 or 8 bits, for the weights
 * that only MatMuls and Gemms read. A table that is also gathered is the gather-block format's (which
 * shares this B); when no such format is chosen, it stays float.
 */
export function matMulNBitsFormat(options: BlockwiseOptions): WeightFormat {
  return {
    consider(_tensor, plan) {
      if (!plan) return 'pass';
      if (plan.blocker) return { skip: plan.blocker };
      const matmuls = usesOf(plan, 'matmul').length;
      if (matmuls > 0 && usesOf(plan, 'gather').length > 0) {
        return { skip: 'the table is also gathered as an embedding, which this preset keeps in float' };
      }
      const short = shorterThanBlock(plan, options.blockSize);
      if (short) return { skip: short };
      return matmuls > 0 ? 'take' : 'pass';
    },

    async write(source, sink) {
      const plan = takenPlan(source, 'MatMulNBits');
      const weight = quantizeBlockwise(plan, asFloat32(source.bytes), options);
      const replacements = await writeMatMulNBits(plan, weight, sink, options);
      const counts = { matmuls: usesOf(plan, 'matmul').length, gathers: 0 };
      return { replacements, constants: [], decisions: [blockwiseDecision(plan, counts, options)] };
    },
  };
}

/** Streams B [N, kBlocks, blob] (each row zero padded to whole blocks) and rewrites every MatMul use. */
export async function writeMatMulNBits(
  plan: WeightPlan,
  weight: BlockwiseWeight,
  sink: InitializerSink,
  { bits, blockSize, accuracyLevel }: BlockwiseOptions,
): Promise<Map<NodeProto, NodeProto[]>> {
  const { K, N, quantized } = weight;
  const dims = [N, quantized.kBlocks, quantized.blobSize];
  await writeBlockwise(weight, { dims, bytes: quantized.packed }, sink);
  const attributes = {
    K: attr.int(K),
    N: attr.int(N),
    bits: attr.int(bits),
    block_size: attr.int(blockSize),
    ...(accuracyLevel > 0 ? { accuracy_level: attr.int(accuracyLevel) } : {}),
  };
  const inputs = [weight.data, weight.scales, ...(quantized.zeroPoints ? [weight.zeroPoints] : [])];
  return replaceMatMuls(usesOf(plan, 'matmul'), (use) =>
    node(
      'MatMulNBits',
      [use.node.input[0]!, ...inputs],
      use.node.output,
      attributes,
      MICROSOFT_DOMAIN,
      `${use.node.name ?? use.node.output[0]}_Q${bits}`,
    ),
  );
}
