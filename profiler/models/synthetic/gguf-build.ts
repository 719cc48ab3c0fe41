import type { ResolvedModel } from '../../../common/catalog/overrides';
import type { GgufWriteType } from '../gguf/gguf-format';
import { str, u32 } from '../gguf/gguf-metadata';
import { syntheticVocabMetadata } from '../gguf/gguf-vocab';
import type { WrittenGguf } from '../gguf/gguf-writer';
import { writeLlamaGguf, type GgufRowSource } from '../gguf/llama-gguf';
import { isProjectionWeight, seededTensorChunks, seededTensorValues } from './seeded-weights';

/**
 * The synthetic models as GGUF files for llama.cpp, with the same seeded weights as the ONNX builds
 * (each tensor's values depend only on seed and checkpoint name), in llama.cpp's `llama` architecture
 * (llama-gguf.ts says what that architecture cannot hold and what is done about it).
 */

export { GgufBuildError, permuteForAdjacentRope } from '../gguf/llama-gguf';

/** [in, out] (ONNX MatMul layout) → [out, in] (the checkpoint's, which GGUF stores with ne[0] = in). */
function transpose(values: Float32Array, inWidth: number, outWidth: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < inWidth; i += 1) {
    const row = i * outWidth;
    for (let o = 0; o < outWidth; o += 1) out[o * inWidth + i] = values[row + o]!;
  }
  return out;
}

/**
 * The seeded values in the checkpoint's layout: projections are seeded in the ONNX [in, out] order, so
 * they are transposed whole (one at a time); everything else is already in its PyTorch shape.
 */
export function seededRowSource(seed: number): GgufRowSource {
  return {
    rows: (tensor, chunkElements) => {
      if (!isProjectionWeight(tensor.name)) return seededTensorChunks(seed, tensor, chunkElements);
      const [outWidth, inWidth] = tensor.shape as [number, number];
      return [transpose(seededTensorValues(seed, tensor), inWidth, outWidth)];
    },
  };
}

export interface GgufBuildOptions {
  model: ResolvedModel;
  seed: number;
  type: GgufWriteType;
  /** the .gguf to create (its folder is created); must not exist unless `overwrite` */
  outFile: string;
  overwrite?: boolean;
  onProgress?: (progress: { writtenBytes: number; totalBytes: number; tensor: string }) => void;
  signal?: AbortSignal;
}

/** Writes the catalog model as a `llama` GGUF with seeded weights, streaming tensor by tensor. */
export function buildSyntheticGguf(options: GgufBuildOptions): Promise<WrittenGguf> {
  const { model, seed } = options;
  return writeLlamaGguf({
    ...options,
    rows: seededRowSource(seed),
    name: `${model.displayName} (synthetic, seed ${seed})`,
    sourceMetadata: [
      ['workbench.catalog_id', str(model.id)],
      ['workbench.seed', u32(seed)],
    ],
    tokenizer: syntheticVocabMetadata(model.spec.vocabSize),
    realWeights: false,
  });
}
