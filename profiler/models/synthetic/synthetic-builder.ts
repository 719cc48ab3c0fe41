import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createModelWriter,
  DataType,
  PRODUCER_NAME,
  type ModelWriter,
  type ModelWriterOptions,
} from '../../onnx';
import { parameterCount, uniqueParameterCount } from '../../../common/catalog/parameter-count';
import type { ResolvedModel } from '../../../common/catalog/overrides';
import { decoderInputs, decoderOutputs, ropeCaches } from './decoder-io';
import { buildFusedGraph } from './fused-graph';
import { GraphAssembler } from './graph-assembler';
import {
  genaiConfig,
  hfConfig,
  type GraphStyle,
  type LogitsPositions,
  type SyntheticModelRecord,
} from './model-config-files';
import { buildStandardGraph } from './standard-graph';
import { fusedWeightPlan, standardWeightPlan, type PlannedWeight } from './weight-plan';

export interface BuildProgress {
  /** bytes of initializer data written so far, and in all */
  writtenBytes: number;
  totalBytes: number;
  /** the tensor being written */
  tensor: string;
}

export interface BuildOptions {
  model: ResolvedModel;
  style: GraphStyle;
  /** weights depend only on (seed, tensor name) */
  seed: number;
  /** logits for the last position only (default) or for every position */
  logits?: LogitsPositions;
  /** the model folder to create; must not exist unless `overwrite` */
  outDir: string;
  overwrite?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  /** stops the build between chunks (Ctrl+C); the partial folder is removed */
  signal?: AbortSignal;
  /**
   * Default: the streaming file writer. A test of a full-size graph passes one that records the
   * initializers and never pulls their chunks, so no weight is generated or written.
   */
  createWriter?: (options: ModelWriterOptions) => ModelWriter;
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

/** Where each style keeps its files: Optimum's onnx/ subfolder, or genai's flat folder. */
export function modelFileOf(style: GraphStyle): string {
  return style === 'standard' ? path.join('onnx', 'model.onnx') : 'model.onnx';
}

const ROPE_COS = 'cos_cache';
const ROPE_SIN = 'sin_cache';
const ONES_HEAD = 'ones_head_weight';

/** The chunks, made only when the writer pulls them, checking for cancellation before each one. */
function* cancellable<T>(chunks: () => Iterable<T>, signal: AbortSignal | undefined): Generator<T> {
  for (const chunk of chunks()) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

async function writeWeights(
  writer: ModelWriter,
  plan: readonly PlannedWeight[],
  { onProgress, signal }: Pick<BuildOptions, 'onProgress' | 'signal'>,
): Promise<void> {
  const totalBytes = plan.reduce((sum, weight) => sum + weight.parameters * 4, 0); // fp32
  let writtenBytes = 0;
  for (const weight of plan) {
    const chunks = cancellable(() => weight.chunks(), signal);
    await writer.addInitializerChunks(weight.name, DataType.FLOAT, weight.dims, chunks, (chunkBytes) => {
      writtenBytes += chunkBytes;
      onProgress?.({ writtenBytes, totalBytes, tensor: weight.name });
    });
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Build an architecture-faithful ONNX decoder with seeded weights. Everything is written into a
 * temporary sibling folder and renamed into place at the end, so an interrupted build leaves nothing
 * that looks like a model.
 */
export async function buildSyntheticModel(options: BuildOptions): Promise<BuiltModel> {
  const { model, style, seed } = options;
  const logits = options.logits ?? 'last';
  const { spec } = model;
  const outDir = path.resolve(options.outDir);
  if (existsSync(outDir) && !options.overwrite) {
    throw new Error(`${outDir} already exists: choose another --out folder, or pass --force to replace it.`);
  }
  const tempDir = `${outDir}.partial-${randomUUID().slice(0, 8)}`;
  const modelPath = path.join(tempDir, modelFileOf(style));
  const writer = (options.createWriter ?? createModelWriter)({ dir: path.dirname(modelPath) });
  try {
    const g = new GraphAssembler();
    const caches = ropeCaches(spec);
    const half = spec.headDim / 2;
    await writer.addInitializer(ROPE_COS, DataType.FLOAT, [spec.maxContextTokens, half], caches.cos);
    await writer.addInitializer(ROPE_SIN, DataType.FLOAT, [spec.maxContextTokens, half], caches.sin);
    const plan = style === 'fused' ? fusedWeightPlan(spec, seed) : standardWeightPlan(spec, seed);
    await writeWeights(writer, plan, options);

    if (style === 'fused') {
      // the weight-free QK-norm runs as SimplifiedLayerNormalization, which needs a scale: all ones
      if (spec.qkNorm === 'weightless-after-rope') {
        g.float32Tensor(ONES_HEAD, [spec.headDim], new Float32Array(spec.headDim).fill(1));
      }
      buildFusedGraph(g, spec, ROPE_COS, ROPE_SIN, ONES_HEAD, logits);
    } else {
      buildStandardGraph(g, spec, ROPE_COS, ROPE_SIN, logits);
    }
    for (const constant of g.constants) {
      await writer.addInitializer(
        constant.name!,
        constant.data_type!,
        constant.dims ?? [],
        constant.raw_data!,
      );
    }
    const written = await writer.finish({
      nodes: g.nodes,
      inputs: decoderInputs(spec, style === 'standard'),
      outputs: decoderOutputs(spec, logits),
      graphName: `${model.id}-${style}`,
      metadata: { catalog_id: model.id, seed: String(seed), style, logits },
    });

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
    await writeJson(path.join(tempDir, 'config.json'), hfConfig(model, written.externalDataBytes > 0));
    if (style === 'fused')
      await writeJson(path.join(tempDir, 'genai_config.json'), genaiConfig(model, 'model.onnx'));
    await writeJson(path.join(tempDir, 'workbench.json'), record);

    if (options.overwrite) await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(tempDir, outDir);
    return {
      dir: outDir,
      modelPath: path.join(outDir, modelFileOf(style)),
      style,
      modelBytes: written.modelBytes,
      externalDataBytes: written.externalDataBytes,
      record,
    };
  } catch (error) {
    await writer.abort();
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
