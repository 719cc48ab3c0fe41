import { CatalogError } from './catalog-error';
import type { ModelSpec } from './model-spec';
import { uniqueParameterCount } from './parameter-count';

function requirePositiveBytes(name: string, bytes: number): void {
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new CatalogError(
      'invalid-argument',
      `${name} must be a positive number of bytes (e.g. 4 for fp32, 2 for fp16, 0.5 for int4), got ${bytes}.`,
    );
  }
}

/**
 * bytes the weights take when every stored parameter uses `bytesPerParam` (fractional for packed types:
 * 0.5 for int4), rounded up to whole bytes. Shared blocks and tied embeddings count once, as they are
 * stored once; quantization scales and zero points are not included.
 */
export function weightsBytes(spec: ModelSpec, bytesPerParam: number): number {
  requirePositiveBytes('bytesPerParam', bytesPerParam);
  return Math.ceil(uniqueParameterCount(spec) * bytesPerParam);
}

/**
 * bytes of KV cache each token of context adds: 2 (key and value) · layers · kv_heads · head_dim ·
 * bytesPerElement. Block sharing does not change it: every block still keeps its own cache.
 */
export function kvBytesPerToken(spec: ModelSpec, bytesPerElement: number): number {
  requirePositiveBytes('bytesPerElement', bytesPerElement);
  return 2 * spec.numHiddenLayers * spec.numKeyValueHeads * spec.headDim * bytesPerElement;
}
