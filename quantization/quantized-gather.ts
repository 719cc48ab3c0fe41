import { attr, MICROSOFT_DOMAIN, node, type NodeProto } from '../profiler/onnx';
import type { Int64Constant } from './formats/weight-format';
import type { NBits, NBitsBlockSize } from './pack';

/**
 * The nodes that replace an embedding Gather once its table is quantized: a GatherBlockQuantized, then
 * whatever gives back rows exactly as wide as the float table's (K = hidden size), whatever the block.
 */

/** A quantized table as GatherBlockQuantized reads it; names are initializers. */
export interface QuantizedTable {
  data: string;
  scales: string;
  /** asymmetric only, shaped as the layout needs */
  zeroPoints?: string;
  /**
   * 'shared': MatMulNBits' B [N, kBlocks, blob] that a tied lm_head also reads (no second copy), each
   * row zero padded to whole blocks; 'rows': [N, ceil(K·bits/8)], the table of an untied embedding.
   */
  layout: 'shared' | 'rows';
  /** the float table's row width, elements */
  K: number;
  kBlocks: number;
  /** values the op returns per row: kBlocks·blockSize for 'shared', K (K + 1 for an odd 4-bit K) for 'rows' */
  gatheredCols: number;
  bits: NBits;
  blockSize: NBitsBlockSize;
}

/**
 * GatherBlockQuantized nodes for `gather` ([batch, sequence] ids → [batch, sequence, K] rows).
 * 'shared': B gathered as 3-D with quantize_axis 2 and the scales viewed as [N, kBlocks, 1]; rows come
 * out [.., kBlocks, blockSize] and are reshaped to kBlocks·blockSize. Either layout is then sliced to K
 * when the op returned more (K not a whole number of blocks): the next node wants hidden-size rows.
 */
export function quantizedGatherNodes(
  gather: NodeProto,
  table: QuantizedTable,
): { nodes: NodeProto[]; constants: Int64Constant[] } {
  const base = gather.name ?? gather.output[0] ?? 'embed';
  const shared = table.layout === 'shared';
  const nodes: NodeProto[] = [];
  const constants: Int64Constant[] = [];
  const int64Constant = (name: string, values: number[]): string => {
    constants.push({ name, values });
    return name;
  };
  let scales = table.scales;
  if (shared) {
    scales = `${base}/scales_3d`;
    const axis = int64Constant(`${base}/axis_2`, [2]);
    nodes.push(node('Unsqueeze', [table.scales, axis], [scales], {}, '', `${base}/Unsqueeze_scales`));
  }
  let rows = `${base}/quantized_rows`;
  nodes.push(
    node(
      'GatherBlockQuantized',
      [table.data, gather.input[1]!, scales, ...(table.zeroPoints ? [table.zeroPoints] : [])],
      [rows],
      {
        bits: attr.int(table.bits),
        block_size: attr.int(table.blockSize),
        gather_axis: attr.int(0),
        quantize_axis: attr.int(shared ? 2 : 1),
      },
      MICROSOFT_DOMAIN,
      `${base}_Q${table.bits}`,
    ),
  );
  if (shared) {
    const shape = int64Constant(`${base}/rows_shape`, [0, 0, table.gatheredCols]);
    nodes.push(node('Reshape', [rows, shape], [`${base}/block_rows`], {}, '', `${base}/Reshape_rows`));
    rows = `${base}/block_rows`;
  }
  if (table.gatheredCols > table.K) {
    const bounds = [
      int64Constant(`${base}/slice_starts`, [0]),
      int64Constant(`${base}/slice_ends`, [table.K]),
      int64Constant(`${base}/slice_axes`, [-1]),
    ];
    nodes.push(node('Slice', [rows, ...bounds], [`${base}/hidden_rows`], {}, '', `${base}/Slice_padding`));
  }
  nodes.at(-1)!.output = [...gather.output]; // the last node computes what the Gather did
  return { nodes, constants };
}
