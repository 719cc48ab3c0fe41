import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TrialModel } from '../api';
import { resolveModel } from '../../common/catalog';
import { buildSyntheticModel, modelFileOf, type BuildProgress } from '../models/synthetic/synthetic-builder';

/** Bump when the builder's output changes for the same recipe, so stale cached variants are not reused. */
export const SYNTHETIC_BUILDER_VERSION = 2; // 2: logits for the last position only

type CatalogModel = Extract<TrialModel, { kind: 'catalog' }>;

function sortedEntries(record: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/** The recipe's hash: the same catalog id, overrides, style and seed always name the same folder. */
export function catalogVariantHash(model: CatalogModel): string {
  const recipe = JSON.stringify({
    builder: SYNTHETIC_BUILDER_VERSION,
    id: model.id,
    overrides: sortedEntries(model.overrides),
    style: model.style,
    seed: model.seed,
  });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16);
}

export interface PreparedVariant {
  dir: string;
  modelFile: string;
  hash: string;
  /** false when the cache already had it */
  built: boolean;
}

/**
 * The synthetic model for a catalog trial, from `<dataDir>/models/variants/` or built there once.
 * Concurrent builders of one variant are safe: each builds in its own temp folder and the loser of the
 * final rename reuses the winner's folder.
 */
export async function prepareCatalogVariant(
  model: CatalogModel,
  dataDir: string,
  options: { onProgress?: (progress: BuildProgress) => void; signal?: AbortSignal } = {},
): Promise<PreparedVariant> {
  const resolved = resolveModel(model.id, model.overrides);
  const hash = catalogVariantHash(model);
  const dir = path.join(dataDir, 'models', 'variants', `${resolved.id}-${model.style}-${hash}`);
  const modelFile = path.join(dir, modelFileOf(model.style));
  if (existsSync(path.join(dir, 'workbench.json')) && existsSync(modelFile))
    return { dir, modelFile, hash, built: false };
  try {
    await buildSyntheticModel({
      model: resolved,
      style: model.style,
      seed: model.seed,
      outDir: dir,
      ...options,
    });
  } catch (error) {
    if (existsSync(path.join(dir, 'workbench.json'))) return { dir, modelFile, hash, built: false };
    throw error;
  }
  return { dir, modelFile, hash, built: true };
}
