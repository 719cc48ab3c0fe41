import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspectModel, modelFileHash } from '../profiler/models/loader';
import type { QuantOptions } from './presets';
import { quantizeModelFile, type QuantizeDecision, type QuantizeProgress } from './quantize-model';

/** Files beside a model that tools read; copied into the variant unchanged (config.json is amended). */
const SIDECARS = [
  'genai_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'generation_config.json',
  'workbench.json',
  'import.json',
  'chat_template.jinja',
];

/** Bump when the quantizer's output changes for the same input and options. */
export const QUANTIZER_VERSION = 2; // 2: rotary tables kept float, unpadded untied embeddings

/** quantization.json: how the variant was made, and what happened to each weight. */
export interface QuantizationRecord {
  preset: string;
  options: QuantOptions;
  source: { path: string; modelFile: string; hash: string };
  decisions: QuantizeDecision[];
  /** bytes */
  sourceWeightsBytes: number;
  variantWeightsBytes: number;
  quantizerVersion: number;
  createdAt: string;
}

export interface QuantizedVariant {
  dir: string;
  modelFile: string;
  /** false when the cache already held it */
  built: boolean;
  record: QuantizationRecord;
}

export interface QuantizeVariantOptions {
  preset: string;
  options: QuantOptions;
  /** the output folder; default: the cache, `<dataDir>/models/quantized/<source hash>-<options hash>` */
  outDir?: string;
  dataDir: string;
  overwrite?: boolean;
  onProgress?: (progress: QuantizeProgress) => void;
  signal?: AbortSignal;
}

function optionsHash(options: QuantOptions): string {
  return createHash('sha256')
    .update(JSON.stringify({ QUANTIZER_VERSION, options }))
    .digest('hex')
    .slice(0, 12);
}

/** The variant's model file inside its folder: the same place as in the source layout. */
function relativeModelFile(sourceDir: string, modelFile: string): string {
  const relative = path.relative(sourceDir, modelFile);
  return relative.startsWith('..') ? path.basename(modelFile) : relative;
}

/**
 * Quantize a model folder (or .onnx) into a new folder, reusing a cached variant of the same source and
 * options. Written to a temporary sibling and renamed into place; the source is never modified.
 */
export async function quantizeVariant(
  sourcePath: string,
  request: QuantizeVariantOptions,
): Promise<QuantizedVariant> {
  const inspection = await inspectModel(sourcePath);
  const sourceDir =
    inspection.layout === 'bare-onnx' && sourcePath.endsWith('.onnx')
      ? path.dirname(sourcePath)
      : path.resolve(sourcePath);
  const sourceHash = await modelFileHash(inspection.modelFile, inspection.externalFiles);
  const outDir = path.resolve(
    request.outDir ??
      path.join(
        request.dataDir,
        'models',
        'quantized',
        `${sourceHash}-${request.preset}-${optionsHash(request.options)}`,
      ),
  );
  const modelRelative = relativeModelFile(sourceDir, inspection.modelFile);
  const recordFile = path.join(outDir, 'quantization.json');
  if (existsSync(recordFile) && !request.overwrite) {
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as QuantizationRecord;
    if (request.outDir === undefined || record.source.hash === sourceHash) {
      return { dir: outDir, modelFile: path.join(outDir, modelRelative), built: false, record };
    }
    throw new Error(
      `${outDir} already holds another quantized model: choose another --out, or pass --force.`,
    );
  }
  if (existsSync(outDir) && !request.overwrite) {
    throw new Error(`${outDir} already exists: choose another --out, or pass --force to replace it.`);
  }

  const tempDir = `${outDir}.partial-${randomUUID().slice(0, 8)}`;
  try {
    const target = {
      dir: path.dirname(path.join(tempDir, modelRelative)),
      modelFileName: path.basename(modelRelative),
    };
    const { decisions } = await quantizeModelFile(inspection.modelFile, target, {
      options: request.options,
      signature: inspection.signature,
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    for (const name of SIDECARS) {
      const file = path.join(sourceDir, name);
      if (existsSync(file)) await copyFile(file, path.join(tempDir, name));
    }
    const configFile = path.join(sourceDir, 'config.json');
    if (existsSync(configFile)) {
      // transformers.js reads the KV dtype from here when it builds empty past tensors
      const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
      const tjs = (config['transformers.js_config'] ?? {}) as Record<string, unknown>;
      config['transformers.js_config'] = { ...tjs, kv_cache_dtype: request.options.kvDtype };
      await writeFile(path.join(tempDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    }
    const variantInspection = await inspectModel(path.join(tempDir, modelRelative));
    const record: QuantizationRecord = {
      preset: request.preset,
      options: request.options,
      source: { path: path.resolve(sourcePath), modelFile: inspection.modelFile, hash: sourceHash },
      decisions,
      sourceWeightsBytes: inspection.bytes.weights,
      variantWeightsBytes: variantInspection.bytes.weights,
      quantizerVersion: QUANTIZER_VERSION,
      createdAt: new Date().toISOString(),
    };
    await writeFile(path.join(tempDir, 'quantization.json'), `${JSON.stringify(record, null, 2)}\n`);
    if (request.overwrite) await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    try {
      await rename(tempDir, outDir);
    } catch (error) {
      // another process finished the same variant first: use theirs
      if (!existsSync(recordFile)) throw error;
      await rm(tempDir, { recursive: true, force: true });
    }
    return { dir: outDir, modelFile: path.join(outDir, modelRelative), built: true, record };
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
