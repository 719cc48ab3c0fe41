import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError } from './checkpoint-error';
import {
  readSafetensorsHeader,
  readTensorChunks,
  readTensorValues,
  type SafetensorsTensor,
} from './safetensors-file';

/**
 * A Hugging Face checkpoint folder: config.json plus one model.safetensors or shards listed in
 * model.safetensors.index.json. Tensors are looked up by checkpoint name and read in their stored
 * (PyTorch) layout; nothing is read until asked. A GGUF writer can read the same tensors.
 */
export interface CheckpointFolder {
  dir: string;
  /** config.json as written */
  config: Record<string, unknown>;
  /** every tensor of every shard, by name */
  tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** stored dtypes, e.g. { BF16: 270 } */
  dtypes: Record<string, number>;
  /** fp32 chunks of one tensor, PyTorch layout */
  chunks(name: string, chunkElements?: number): AsyncGenerator<Float32Array>;
  values(name: string): Promise<Float32Array>;
}

export const INDEX_FILE = 'model.safetensors.index.json';
export const SINGLE_FILE = 'model.safetensors';

async function readJsonObject(file: string, what: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CheckpointError(`${file} could not be read as JSON (${reason}): ${what}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CheckpointError(`${file} is not a JSON object: ${what}`);
  }
  return parsed as Record<string, unknown>;
}

/** The shard files and which tensor each holds, from the index or the single file. */
async function shardFiles(dir: string): Promise<{ files: string[]; weightMap: Map<string, string> | null }> {
  const indexFile = path.join(dir, INDEX_FILE);
  if (existsSync(indexFile)) {
    const index = await readJsonObject(indexFile, 'download it again from the model repository.');
    const map = index.weight_map;
    if (typeof map !== 'object' || map === null) {
      throw new CheckpointError(`${indexFile} has no weight_map: download it again.`);
    }
    const weightMap = new Map<string, string>();
    for (const [tensor, shard] of Object.entries(map)) {
      if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\')) {
        throw new CheckpointError(
          `${indexFile}: tensor ${tensor} maps to ${String(shard)}, not a shard file name.`,
        );
      }
      weightMap.set(tensor, shard);
    }
    const files = [...new Set(weightMap.values())].sort();
    for (const file of files) {
      if (!existsSync(path.join(dir, file))) {
        throw new CheckpointError(
          `${dir} lacks ${file}, which ${INDEX_FILE} lists: the download is incomplete. Download it again.`,
        );
      }
    }
    return { files, weightMap };
  }
  if (existsSync(path.join(dir, SINGLE_FILE))) return { files: [SINGLE_FILE], weightMap: null };
  const others = readdirSync(dir).filter((name) => name.endsWith('.safetensors'));
  if (others.length === 1) return { files: others, weightMap: null };
  const bins = readdirSync(dir).filter((name) => name.endsWith('.bin') || name.endsWith('.pth'));
  throw new CheckpointError(
    others.length > 1
      ? `${dir} holds ${others.length} .safetensors files but no ${INDEX_FILE} saying which tensor is where.`
      : `${dir} holds no ${SINGLE_FILE}` +
          (bins.length > 0
            ? ` (only ${bins.join(', ')}: PyTorch pickles are not read, since loading one can run code; ` +
              'save the model with safe_serialization=True, or pick a repo revision that has safetensors).'
            : ': give the folder of a Hugging Face checkpoint (config.json and *.safetensors).'),
  );
}

/** Opens a checkpoint folder: reads config.json and every shard's header, checks the index against them. */
export async function openCheckpointFolder(dir: string): Promise<CheckpointFolder> {
  const configFile = path.join(dir, 'config.json');
  if (!existsSync(configFile)) {
    throw new CheckpointError(
      `${dir} has no config.json: give the folder of a Hugging Face checkpoint (config.json and *.safetensors).`,
    );
  }
  const config = await readJsonObject(configFile, 'download it again from the model repository.');
  const { files, weightMap } = await shardFiles(dir);
  const tensors = new Map<string, SafetensorsTensor>();
  const fileOf = new Map<string, string>();
  for (const name of files) {
    const file = path.join(dir, name);
    const header = await readSafetensorsHeader(file);
    for (const [tensorName, tensor] of header.tensors) {
      if (tensors.has(tensorName)) {
        throw new CheckpointError(
          `${dir}: tensor ${tensorName} is in two shards (${fileOf.get(tensorName)}, ${file}).`,
        );
      }
      if (weightMap && weightMap.get(tensorName) !== name) {
        throw new CheckpointError(
          `${file} holds ${tensorName}, which ${INDEX_FILE} places in ${weightMap.get(tensorName) ?? 'no shard'}: ` +
            'the index and the shards are from different downloads. Download them again.',
        );
      }
      tensors.set(tensorName, tensor);
      fileOf.set(tensorName, file);
    }
  }
  if (weightMap) {
    for (const [tensorName, shard] of weightMap) {
      if (!tensors.has(tensorName)) {
        throw new CheckpointError(
          `${path.join(dir, shard)} lacks ${tensorName}, which ${INDEX_FILE} lists in it.`,
        );
      }
    }
  }
  const dtypes: Record<string, number> = {};
  for (const tensor of tensors.values()) dtypes[tensor.dtype] = (dtypes[tensor.dtype] ?? 0) + 1;
  const find = (name: string): { file: string; tensor: SafetensorsTensor } => {
    const tensor = tensors.get(name);
    if (!tensor) throw new CheckpointError(`${dir} has no tensor ${name}.`);
    return { file: fileOf.get(name)!, tensor };
  };
  return {
    dir,
    config,
    tensors,
    dtypes,
    chunks: (name, chunkElements) => {
      const { file, tensor } = find(name);
      return readTensorChunks(file, tensor, chunkElements);
    },
    values: (name) => {
      const { file, tensor } = find(name);
      return readTensorValues(file, tensor);
    },
  };
}
