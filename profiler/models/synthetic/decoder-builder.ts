import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createModelWriter,
  DataType,
  type ModelWriter,
  type ModelWriterOptions,
  type WrittenModel,
} from '../../onnx';
import type { ResolvedModel } from '../../../common/catalog/overrides';
import { decoderInputs, decoderOutputs, ropeCaches } from './decoder-io';
import { buildFusedGraph } from './fused-graph';
import { GraphAssembler } from './graph-assembler';
import { genaiConfig, hfConfig, type GraphStyle, type LogitsPositions } from './model-config-files';
import { buildStandardGraph } from './standard-graph';
import { fusedWeightPlan, standardWeightPlan, type PlannedWeight } from './weight-plan';
import type { WeightSource } from './weight-source';

export interface BuildProgress {
  /** bytes of initializer data written so far, and in all */
  writtenBytes: number;
  totalBytes: number;
  /** the tensor being written */
  tensor: string;
}

/** What every decoder build takes, whatever fills its weights. */
export interface DecoderBuildOptions {
  model: ResolvedModel;
  style: GraphStyle;
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

/** What a particular kind of build adds: its weights, its metadata and the files beside the graph. */
export interface DecoderContents {
  weights: WeightSource;
  /** key/value metadata in the .onnx (strings) */
  metadata: Record<string, string>;
  /** config.json to write; default: the one the resolved spec implies */
  config?: (usesExternalData: boolean) => Record<string, unknown>;
  /** extra files written into the folder before it is renamed into place (record, tokenizer) */
  writeExtras(tempDir: string): Promise<void>;
}

export interface BuiltDecoder {
  dir: string;
  /** the .onnx file */
  modelPath: string;
  style: GraphStyle;
  /** .onnx + external data, bytes */
  modelBytes: number;
  externalDataBytes: number;
}

/** Where each style keeps its files: Optimum's onnx/ subfolder, or genai's flat folder. */
export function modelFileOf(style: GraphStyle): string {
  return style === 'standard' ? path.join('onnx', 'model.onnx') : 'model.onnx';
}

const ROPE_COS = 'cos_cache';
const ROPE_SIN = 'sin_cache';
const ONES_HEAD = 'ones_head_weight';

/** The chunks, pulled only when the writer gets to them, checking for cancellation before each one. */
async function* cancellable<T>(
  chunks: () => Iterable<T> | AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  for await (const chunk of chunks()) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

async function writeWeights(
  writer: ModelWriter,
  plan: readonly PlannedWeight[],
  { onProgress, signal }: Pick<DecoderBuildOptions, 'onProgress' | 'signal'>,
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

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function writeGraph(
  writer: ModelWriter,
  options: DecoderBuildOptions,
  contents: DecoderContents,
): Promise<WrittenModel> {
  const { model, style } = options;
  const logits = options.logits ?? 'last';
  const { spec } = model;
  const g = new GraphAssembler();
  const caches = ropeCaches(spec);
  const half = spec.headDim / 2;
  await writer.addInitializer(ROPE_COS, DataType.FLOAT, [spec.maxContextTokens, half], caches.cos);
  await writer.addInitializer(ROPE_SIN, DataType.FLOAT, [spec.maxContextTokens, half], caches.sin);
  const plan =
    style === 'fused' ? fusedWeightPlan(spec, contents.weights) : standardWeightPlan(spec, contents.weights);
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
    await writer.addInitializer(constant.name!, constant.data_type!, constant.dims ?? [], constant.raw_data!);
  }
  return writer.finish({
    nodes: g.nodes,
    inputs: decoderInputs(spec, style === 'standard'),
    outputs: decoderOutputs(spec, logits),
    graphName: `${model.id}-${style}`,
    metadata: { ...contents.metadata, catalog_id: model.id, style, logits },
  });
}

/**
 * Build an architecture-faithful ONNX decoder of `options.model` with the weights `contents` gives.
 * Everything is written into a temporary sibling folder and renamed into place at the end, so an
 * interrupted build leaves nothing that looks like a model.
 */
export async function buildDecoderFolder(
  options: DecoderBuildOptions,
  contents: DecoderContents,
): Promise<BuiltDecoder> {
  const { model, style } = options;
  const outDir = path.resolve(options.outDir);
  if (existsSync(outDir) && !options.overwrite) {
    throw new Error(`${outDir} already exists: choose another --out folder, or pass --force to replace it.`);
  }
  const tempDir = `${outDir}.partial-${randomUUID().slice(0, 8)}`;
  const modelPath = path.join(tempDir, modelFileOf(style));
  const writer = (options.createWriter ?? createModelWriter)({ dir: path.dirname(modelPath) });
  try {
    const written = await writeGraph(writer, options, contents);
    const usesExternalData = written.externalDataBytes > 0;
    const config = contents.config?.(usesExternalData) ?? hfConfig(model, usesExternalData);
    await writeJson(path.join(tempDir, 'config.json'), config);
    if (style === 'fused')
      await writeJson(path.join(tempDir, 'genai_config.json'), genaiConfig(model, 'model.onnx'));
    await contents.writeExtras(tempDir);

    if (options.overwrite) await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(tempDir, outDir);
    return {
      dir: outDir,
      modelPath: path.join(outDir, modelFileOf(style)),
      style,
      modelBytes: written.modelBytes,
      externalDataBytes: written.externalDataBytes,
    };
  } catch (error) {
    await writer.abort();
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
