import { DataType } from '../../profiler/onnx';
import { quantizeMatMulNBits, type QuantizedNBits } from '../pack';
import type { QuantOptions } from '../presets';
import { weightMatrix, type WeightPlan } from '../weight-uses';
import type { InitializerSink, QuantizeDecision } from './weight-format';

/**
 * What the two blockwise formats share (MatMulNBits, GatherBlockQuantized): the weight quantized once
 * along K as MatMulNBits' B, whichever ops read it, its initializer names and the record's wording.
 */

export type BlockwiseOptions = Pick<QuantOptions, 'bits' | 'blockSize' | 'symmetric' | 'accuracyLevel'>;

export interface BlockwiseWeight {
  /** elements reduced (the float table's row width for an embedding) */
  K: number;
  /** outputs (rows of an embedding table) */
  N: number;
  quantized: QuantizedNBits;
  /** initializer names */
  data: string;
  scales: string;
  /** asymmetric only */
  zeroPoints: string;
}

/** Why a weight stays float when a whole block does not fit in its K. */
export function shorterThanBlock(plan: WeightPlan, blockSize: number): string | undefined {
  const { K } = weightMatrix(plan);
  return K < blockSize ? `K = ${K} is smaller than the block size ${blockSize}` : undefined;
}

export function quantizeBlockwise(
  plan: WeightPlan,
  values: Float32Array,
  { bits, blockSize, symmetric }: BlockwiseOptions,
): BlockwiseWeight {
  const name = plan.tensor.name ?? '';
  const { K, N, layout } = weightMatrix(plan);
  const quantized = quantizeMatMulNBits(values, K, N, {
    bits,
    blockSize,
    symmetric,
    transposed: layout === 'NK',
  });
  return {
    K,
    N,
    quantized,
    data: `${name}_Q${bits}`,
    scales: `${name}_scales`,
    zeroPoints: `${name}_zero_points`,
  };
}

/**
 * Streams the weight: `data`, its packed values in the layout its readers want, then the scales [N,
 * kBlocks] in the variant's float type and, asymmetric, the packed zero points [N, bytes per row].
 */
export async function writeBlockwise(
  weight: BlockwiseWeight,
  data: { dims: readonly number[]; bytes: Uint8Array },
  sink: InitializerSink,
): Promise<void> {
  const { N, quantized } = weight;
  await sink.add(weight.data, DataType.UINT8, data.dims, data.bytes);
  await sink.addFloat(weight.scales, [N, quantized.kBlocks], quantized.scales);
  if (quantized.zeroPoints) {
    const zeroPoints = quantized.zeroPoints;
    await sink.add(weight.zeroPoints, DataType.UINT8, [N, zeroPoints.length / N], zeroPoints);
  }
}

/** e.g. "MatMulNBits 4-bit ×22 + GatherBlockQuantized ×1 (block 32, symmetric)" */
export function blockwiseDecision(
  plan: WeightPlan,
  counts: { matmuls: number; gathers: number },
  { bits, blockSize, symmetric }: BlockwiseOptions,
): QuantizeDecision {
  const parts = [
    counts.matmuls ? `MatMulNBits ${bits}-bit ×${counts.matmuls}` : '',
    counts.gathers ? `GatherBlockQuantized ×${counts.gathers}` : '',
  ].filter(Boolean);
  return {
    tensor: plan.tensor.name ?? '',
    action: 'quantized',
    detail: `${parts.join(' + ')} (block ${blockSize}, ${symmetric ? 'symmetric' : 'asymmetric'})`,
  };
}
