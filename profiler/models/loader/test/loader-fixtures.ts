import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { resolveModel, type OverrideValues } from '../../../../common/catalog';
import type { GraphStyle } from '../../synthetic/model-config-files';
import { buildSyntheticModel, type BuiltModel } from '../../synthetic/synthetic-builder';

/**
 * Test fixtures: one tiny synthetic model per graph style, built once per test file (milliseconds),
 * and throw-away copies of them that a test may break. Everything lives in one temp folder removed
 * after the file's tests.
 */

export const TINY: OverrideValues = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 64,
};
export const TINY_MODEL_ID = 'mobilellm-r1-140m';
export const SEED = 7;

export interface LoaderFixtures {
  /** the temp folder; valid inside tests */
  readonly root: string;
  readonly built: Readonly<Record<GraphStyle, BuiltModel>>;
  /** a fresh copy of a built model's folder, to rename, truncate or delete files in */
  copyOf(style: GraphStyle, name: string): Promise<string>;
}

export function useLoaderFixtures(): LoaderFixtures {
  const state: { root: string; built: Partial<Record<GraphStyle, BuiltModel>> } = { root: '', built: {} };
  beforeAll(async () => {
    state.root = await mkdtemp(path.join(os.tmpdir(), 'ew-loader-'));
    for (const style of ['fused', 'standard'] as const) {
      state.built[style] = await buildSyntheticModel({
        model: resolveModel(TINY_MODEL_ID, TINY),
        style,
        seed: SEED,
        outDir: path.join(state.root, `built-${style}`),
      });
    }
  });
  afterAll(async () => {
    if (state.root) await rm(state.root, { recursive: true, force: true });
  });
  return {
    get root() {
      return state.root;
    },
    get built() {
      return state.built as Record<GraphStyle, BuiltModel>;
    },
    async copyOf(style, name) {
      const dir = path.join(state.root, name);
      await cp(state.built[style]!.dir, dir, { recursive: true });
      return dir;
    },
  };
}
