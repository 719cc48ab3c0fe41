import type { ModelSpec } from '../../../common/catalog/model-spec';
import { tensorBreakdown, type WeightTensor } from '../../../common/catalog/tensor-breakdown';
import { onnxLayoutShape } from './seeded-weights';
import type { WeightSource } from './weight-source';

/** One initializer to stream into the model's data file, its values produced chunk by chunk. */
export interface PlannedWeight {
  name: string;
  /** ONNX layout */
  dims: number[];
  /** elements */
  parameters: number;
  chunks(): Iterable<Float32Array> | AsyncIterable<Float32Array>;
}

/** The tensors stored once (under block sharing, odd blocks reuse their even partner's). */
function storedTensors(spec: ModelSpec): WeightTensor[] {
  return tensorBreakdown(spec).filter((tensor) => tensor.sharedFrom === null);
}

function plain(source: WeightSource, tensor: WeightTensor): PlannedWeight {
  return {
    name: tensor.name,
    dims: onnxLayoutShape(tensor),
    parameters: tensor.parameters,
    chunks: () => source.chunks(tensor),
  };
}

/** Standard style: every checkpoint tensor as its own initializer, under its checkpoint name. */
export function standardWeightPlan(spec: ModelSpec, source: WeightSource): PlannedWeight[] {
  return storedTensors(spec).map((tensor) => plain(source, tensor));
}

export const packedQkvWeightName = (layer: number): string =>
  `model.layers.${layer}.attn.qkv_proj.MatMul.weight`;
export const packedQkvBiasName = (layer: number): string => `model.layers.${layer}.attn.qkv_proj.Add.bias`;

/**
 * [hidden, q|k|v] from three [hidden, width] MatMul weights: row r is q's row r, then k's, then v's —
 * one MatMul instead of three, as onnxruntime-genai packs them. The values are the separate tensors'
 * own, so both styles compute the same network.
 */
function packRows(parts: readonly Float32Array[], rows: number): Float32Array {
  const widths = parts.map((part) => part.length / rows);
  const packedWidth = widths.reduce((a, b) => a + b, 0);
  const packed = new Float32Array(rows * packedWidth);
  for (let r = 0; r < rows; r += 1) {
    let column = r * packedWidth;
    for (const [index, part] of parts.entries()) {
      const width = widths[index]!;
      packed.set(part.subarray(r * width, (r + 1) * width), column);
      column += width;
    }
  }
  return packed;
}

/** Fused style: q/k/v projections (and biases) packed per stored block; the rest as in standard. */
export function fusedWeightPlan(spec: ModelSpec, source: WeightSource): PlannedWeight[] {
  const stored = storedTensors(spec);
  const byName = new Map(stored.map((tensor) => [tensor.name, tensor]));
  const plan: PlannedWeight[] = [];
  for (const tensor of stored) {
    const match = /^model\.layers\.(\d+)\.self_attn\.([qkv])_proj\.(weight|bias)$/.exec(tensor.name);
    if (!match) {
      plan.push(plain(source, tensor));
      continue;
    }
    const [, layerText, projection, kind] = match;
    if (projection !== 'q') continue; // k and v join q's packed tensor
    const layer = Number(layerText);
    const parts = ['q', 'k', 'v'].map((p) =>
      byName.get(`model.layers.${layer}.self_attn.${p}_proj.${kind}`)!,
    );
    const width = parts.reduce((sum, part) => sum + (part.shape[0] ?? 0), 0);
    const parameters = parts.reduce((sum, part) => sum + part.parameters, 0);
    const rows = kind === 'weight' ? spec.hiddenSize : 1;
    async function* packed(): AsyncGenerator<Float32Array> {
      const values: Float32Array[] = [];
      for (const part of parts) values.push(await source.values(part)); // one at a time: bounded reads
      yield packRows(values, rows);
    }
    plan.push({
      name: kind === 'weight' ? packedQkvWeightName(layer) : packedQkvBiasName(layer),
      dims: kind === 'weight' ? [spec.hiddenSize, width] : [width],
      parameters,
      chunks: packed,
    });
  }
  return plan;
}
