import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TrialModel } from '../api';
import { resolveModel } from '../../common/catalog';
import type { GgufTensorType } from '../../common/runtime-names';
import { buildCheckpointGguf, checkpointDirOf } from '../models/checkpoint/checkpoint-gguf';
import { buildSyntheticGguf } from '../models/synthetic/gguf-build';

/** Bump when the GGUF writer's output changes for the same recipe. */
export const GGUF_BUILDER_VERSION = 1;

type CatalogModel = Extract<TrialModel, { kind: 'catalog' }>;

interface PrepareOptions {
  onProgress?: (progress: { writtenBytes: number; totalBytes: number }) => void;
  signal?: AbortSignal;
}

/** Builds `file` once: a concurrent builder of the same recipe that won the rename wrote the same bytes. */
async function buildOnce(file: string, hash: string, build: () => Promise<unknown>): Promise<PreparedGguf> {
  if (existsSync(file)) return { file, hash, built: false };
  try {
    await build();
  } catch (error) {
    if (existsSync(file)) return { file, hash, built: false };
    throw error;
  }
  return { file, hash, built: true };
}

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
  options: PrepareOptions = {},
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
  return buildOnce(file, hash, () =>
    buildSyntheticGguf({ model: resolved, seed: model.seed, type, outFile: file, ...options }),
  );
}

/**
 * An imported checkpoint's (or a checkpoint folder's) GGUF of one tensor type, written from the real
 * weights into `<dataDir>/models/variants/` once. The recipe names the checkpoint's files by size and
 * modification time, so a re-downloaded checkpoint gets a new file.
 */
export async function prepareCheckpointGguf(
  folder: string,
  type: GgufTensorType,
  dataDir: string,
  options: PrepareOptions = {},
): Promise<PreparedGguf> {
  const source = await checkpointDirOf(folder);
  const files = readdirSync(source.dir)
    .filter((name) => name.endsWith('.json') || name.endsWith('.safetensors'))
    .sort()
    .map((name) => {
      const stat = statSync(path.join(source.dir, name));
      return [name, stat.size, stat.mtimeMs];
    });
  const recipe = JSON.stringify({ builder: GGUF_BUILDER_VERSION, source: source.dir, files, type });
  const hash = createHash('sha256').update(recipe).digest('hex').slice(0, 16);
  const slug = path
    .basename(source.dir)
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-');
  const file = path.join(dataDir, 'models', 'variants', `${slug}-gguf-${hash}`, `model-${type}.gguf`);
  return buildOnce(file, hash, () =>
    buildCheckpointGguf({
      dir: folder,
      type,
      outFile: file,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
}
