import { DataType, type NodeProto } from '../../profiler/onnx';
import { asFloat32 } from '../float-values';
import { unpackZeroPoints, withoutBlockPadding } from '../pack';
import { quantizedGatherNodes, type QuantizedTable } from '../quantized-gather';
import { usesOf, type WeightPlan } from '../weight-uses';
import {
  blockwiseDecision,
  quantizeBlockwise,
  shorterThanBlock,
  writeBlockwise,
  type BlockwiseOptions,
  type BlockwiseWeight,
} from './blockwise-weight';
import { writeMatMulNBits } from './matmul-nbits';
import { takenPlan, type InitializerSink, type Int64Constant, type WeightFormat } from './weight-format';

/**
 * GatherBlockQuantized (com.microsoft) for the token embedding, which weight-uses.ts tells from other
 * gathered tables. A tied table is also the head's MatMulNBits B and is gathered from as it is, one
 * copy for both ops. An untied one is stored without B's padding of K to whole blocks: the op reads a
 * short last block, so none is stored or counted as weights.
 */
export function gatherBlockFormat(options: BlockwiseOptions): WeightFormat {
  return {
    consider(_tensor, plan) {
      if (!plan || usesOf(plan, 'gather').length === 0) return 'pass';
      const reason = plan.blocker ?? shorterThanBlock(plan, options.blockSize);
      return reason ? { skip: reason } : 'take';
    },

    async write(source, sink) {
      const plan = takenPlan(source, 'GatherBlockQuantized');
      const weight = quantizeBlockwise(plan, asFloat32(source.bytes), options);
      const [matmuls, gathers] = [usesOf(plan, 'matmul'), usesOf(plan, 'gather')];
      const { replacements, table } =
        matmuls.length > 0
          ? await writeTied(plan, weight, sink, options)
          : {
              replacements: new Map<NodeProto, NodeProto[]>(),
              table: await writeRows(weight, sink, options),
            };
      const constants: Int64Constant[] = [];
      for (const use of gathers) {
        const gathered = quantizedGatherNodes(use.node, table);
        replacements.set(use.node, gathered.nodes);
        constants.push(...gathered.constants);
      }
      const counts = { matmuls: matmuls.length, gathers: gathers.length };
      return { replacements, constants, decisions: [blockwiseDecision(plan, counts, options)] };
    },
  };
}

/** A tied table: MatMulNBits' B for the head, and its zero points once more as the gather reads them. */
async function writeTied(
  plan: WeightPlan,
  weight: BlockwiseWeight,
  sink: InitializerSink,
  options: BlockwiseOptions,
): Promise<{ replacements: Map<NodeProto, NodeProto[]>; table: QuantizedTable }> {
  const { K, N, quantized } = weight;
  const { bits, blockSize } = options;
  const replacements = await writeMatMulNBits(plan, weight, sink, options);
  // GatherBlockQuantized on the 3-D B wants one zero point per [row, block] (its packed axis, the
  // last, has length 1): MatMulNBits' two-per-byte zero points unpacked into their own small tensor
  const zeroPoints = `${plan.tensor.name ?? ''}_gather_zero_points`;
  if (quantized.zeroPoints) {
    const unpacked = unpackZeroPoints(quantized.zeroPoints, N, quantized.kBlocks, bits);
    await sink.add(zeroPoints, DataType.UINT8, [N, quantized.kBlocks, 1], unpacked);
  }
  const table: QuantizedTable = {
    data: weight.data,
    scales: weight.scales,
    ...(quantized.zeroPoints ? { zeroPoints } : {}),
    layout: 'shared',
    K,
    kBlocks: quantized.kBlocks,
    gatheredCols: quantized.kBlocks * blockSize,
    bits,
    blockSize,
  };
  return { replacements, table };
}

/** An untied table: rows [N, ceil(K·bits/8)], the packing without padding to whole blocks. */
async function writeRows(
  weight: BlockwiseWeight,
  sink: InitializerSink,
  { bits, blockSize }: BlockwiseOptions,
): Promise<QuantizedTable> {
  const { K, N, quantized } = weight;
  const rows = withoutBlockPadding(quantized, N, K, bits);
  await writeBlockwise(weight, { dims: rows.dataDims, bytes: rows.packed }, sink);
  return {
    data: weight.data,
    scales: weight.scales,
    ...(quantized.zeroPoints ? { zeroPoints: weight.zeroPoints } : {}),
    layout: 'rows',
    K,
    kBlocks: quantized.kBlocks,
    gatheredCols: rows.gatheredCols,
    bits,
    blockSize,
  };
}
