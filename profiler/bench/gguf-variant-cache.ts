import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TrialModel } from '../api';
import { resolveModel } from '../../common/catalog';
import type { GgufTensorType } from '../../common/runtime-names';
import { buildSyntheticGguf } from '../models/synthetic/gguf-build';

/** Bump when the GGUF writer's output changes for the same recipe. */
export const GGUF_BUILDER_VERSION = 1;

type CatalogModel = Extract<TrialModel, { kind: 'catalog' }>;

export interface PreparedGguf {
  file: string;
  hash: string;
  built: boolean;
}

/**
 * A catalog model's GGUF of one tensor type, from `<dataDir>/models/variants/` or written there once
 * (the same seeded weights as its ONNX variants; the graph style does not apply to GGUF).
 */
export async function prepareCatalogGguf(
  model: CatalogModel,
  type: GgufTensorType,
  dataDir: string,
  options: {
    onProgress?: (progress: { writtenBytes: number; totalBytes: number }) => void;
    signal?: AbortSignal;
  } = {},
): Promise<PreparedGguf> {
  const resolved = resolveModel(model.id, model.overrides);
  const recipe = JSON.stringify({
    builder: GGUF_BUILDER_VERSION,
    id: model.id,
    overrides: Object.entries(model.overrides).sort(([a], [b]) => a.localeCompare(b)),
    seed: model.seed,
    type,
  });
  const hash = createHash('sha256').update(recipe).digest('hex').slice(0, 16);
  const file = path.join(dataDir, 'models', 'variants', `${resolved.id}-gguf-${hash}`, `model-${type}.gguf`);
  if (existsSync(file)) return { file, hash, built: false };
  try {
    await buildSyntheticGguf({ model: resolved, seed: model.seed, type, outFile: file, ...options });
  } catch (error) {
    // a concurrent builder of the same recipe won the rename: its file is the same bytes
    if (existsSync(file)) return { file, hash, built: false };
    throw error;
  }
  return { file, hash, built: true };
}
