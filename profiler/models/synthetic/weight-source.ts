import type { WeightTensor } from '../../../common/catalog/tensor-breakdown';
import { seededTensorChunks, seededTensorValues } from './seeded-weights';

/**
 * Where the values of a decoder's weights come from: seeded noise (synthetic models, for speed and
 * memory) or a real checkpoint (profiler/models/checkpoint). The graph builder asks for each stored
 * tensor of the spec's tensor breakdown by its Hugging Face name and never cares which it is.
 *
 * Values are fp32 in the ONNX layout the graphs store: projections as MatMul weights [in, out]
 * (PyTorch's [out, in] transposed), everything else in its PyTorch shape.
 */
export interface WeightSource {
  /** 'seeded' or 'checkpoint': written into the model's metadata */
  readonly kind: 'seeded' | 'checkpoint';
  /**
   * The tensor's values in order, in chunks (a 197M-element embedding is never whole in memory). A
   * yielded array may be reused: consume it before asking for the next.
   */
  chunks(tensor: WeightTensor): Iterable<Float32Array> | AsyncIterable<Float32Array>;
  /** All of one tensor's values (q/k/v packing needs them whole). */
  values(tensor: WeightTensor): Promise<Float32Array>;
}

/** Values depend only on (seed, tensor name): the same in both graph styles and the reference. */
export function seededWeightSource(seed: number): WeightSource {
  return {
    kind: 'seeded',
    chunks: (tensor) => seededTensorChunks(seed, tensor),
    values: (tensor) => Promise.resolve(seededTensorValues(seed, tensor)),
  };
}
