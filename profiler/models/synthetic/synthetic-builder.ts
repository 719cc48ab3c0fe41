import path from 'node:path';
import { PRODUCER_NAME } from '../../onnx';
import { parameterCount, uniqueParameterCount } from '../../../common/catalog/parameter-count';
import {
  buildDecoderFolder,
  modelFileOf,
  writeJson,
  type BuildProgress,
  type DecoderBuildOptions,
} from './decoder-builder';
import type { GraphStyle, SyntheticModelRecord } from './model-config-files';
import { seededWeightSource } from './weight-source';

export { modelFileOf };
export type { BuildProgress };

export interface BuildOptions extends DecoderBuildOptions {
  /** weights depend only on (seed, tensor name) */
  seed: number;
}

export interface BuiltModel {
  dir: string;
  /** the .onnx file */
  modelPath: string;
  style: GraphStyle;
  /** .onnx + external data, bytes */
  modelBytes: number;
  externalDataBytes: number;
  record: SyntheticModelRecord;
}

/**
 * Build an architecture-faithful ONNX decoder with seeded weights: valid for speed and memory, never
 * for quality. workbench.json records the seed, so every later step knows the weights are synthetic.
 */
export async function buildSyntheticModel(options: BuildOptions): Promise<BuiltModel> {
  const { model, style, seed } = options;
  const logits = options.logits ?? 'last';
  const { spec } = model;
  const record: SyntheticModelRecord = {
    kind: 'synthetic',
    catalogId: model.id,
    displayName: model.displayName,
    overrides: model.overrides,
    seed,
    style,
    logits,
    spec,
    parameters: parameterCount(spec),
    storedParameters: uniqueParameterCount(spec),
    publishedParameters: model.publishedParameters,
    builtBy: PRODUCER_NAME,
    builtAt: new Date().toISOString(),
  };
  const built = await buildDecoderFolder(options, {
    weights: seededWeightSource(seed),
    metadata: { seed: String(seed) },
    writeExtras: (tempDir) => writeJson(path.join(tempDir, 'workbench.json'), record),
  });
  return { ...built, record };
}
