import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { createModelWriter, DataType, node, valueInfo } from '../onnx';

/**
 * This machine's effective memory read bandwidth, measured the way LLM decode spends it: one GEMV
 * (y = x·W with a single row x) in onnxruntime, so every byte of W is streamed from memory once per
 * run. It feeds the roofline bound (ARCHITECTURE.md, "roofline bound").
 */

export interface MemoryBandwidthOptions {
  /** rows of W = length of x (default 16384; with `cols` 8192, W is 512 MiB of fp32) */
  rows?: number;
  /** columns of W = length of y (default 8192) */
  cols?: number;
  /** onnxruntime intra-op threads; default: onnxruntime's own choice */
  threads?: number;
  /** untimed runs first: page in the weights and warm the thread pool (default 3) */
  warmupRuns?: number;
  /** timed runs; the median is reported (default 20) */
  runs?: number;
  /** where the temporary model folder goes (default os.tmpdir()) */
  tempDir?: string;
}

export const MemoryBandwidthSchema = z.object({
  /** bytes of W / median run seconds */
  bytesPerSecond: z.number().positive(),
  /** how it was measured, in words, for reports */
  method: z.string(),
  /** intra-op threads asked for; null = onnxruntime's default */
  threads: z.number().int().positive().nullable(),
  /** s, wall clock of each timed run */
  sampleSeconds: z.array(z.number()),
});
export type MemoryBandwidth = z.infer<typeof MemoryBandwidthSchema>;

const MiB = 1024 * 1024;
const FLOAT32_BYTES = 4;
/** rows of W generated per write, so building the model never holds W twice */
const ROWS_PER_CHUNK = 256;

/**
 * Times `runs` GEMVs over a fresh fp32 W (default 512 MiB: larger than the caches of the CPUs we target,
 * so the reads come from DRAM). Takes a few seconds at the defaults; the model files are deleted after.
 */
export async function measureMemoryBandwidth(options: MemoryBandwidthOptions = {}): Promise<MemoryBandwidth> {
  const rows = options.rows ?? 16384;
  const cols = options.cols ?? 8192;
  const warmupRuns = options.warmupRuns ?? 3;
  const runs = options.runs ?? 20;
  for (const [name, value] of Object.entries({ rows, cols, runs })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`memory bandwidth: ${name} must be a positive integer, got ${value}`);
    }
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) {
    throw new RangeError(`memory bandwidth: threads must be a positive integer, got ${options.threads}`);
  }
  if (!Number.isInteger(warmupRuns) || warmupRuns < 0) {
    throw new RangeError(`memory bandwidth: warmupRuns must be a whole number, got ${warmupRuns}`);
  }
  const weightBytes = rows * cols * FLOAT32_BYTES;

  const dir = await mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'memory-bandwidth-'));
  try {
    const modelPath = await writeGemvModel(dir, rows, cols);
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
    });
    try {
      const x = new ort.Tensor('float32', new Float32Array(rows).fill(1), [1, rows]);
      for (let run = 0; run < warmupRuns; run++) await session.run({ x });
      const sampleSeconds: number[] = [];
      for (let run = 0; run < runs; run++) {
        const startMs = performance.now();
        await session.run({ x });
        sampleSeconds.push((performance.now() - startMs) / 1000);
      }
      const threadsText =
        options.threads === undefined
          ? "onnxruntime's default threads"
          : `${options.threads} thread${options.threads === 1 ? '' : 's'}`;
      return {
        bytesPerSecond: weightBytes / median(sampleSeconds),
        method:
          `onnxruntime MatMul GEMV over ${formatMiB(weightBytes)} MiB fp32 weights, ${threadsText}, ` +
          `median of ${runs} runs`,
        threads: options.threads ?? null,
        sampleSeconds,
      };
    } finally {
      await session.release();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** y[1, cols] = MatMul(x[1, rows], W[rows, cols]), W in external data; returns the .onnx path. */
async function writeGemvModel(dir: string, rows: number, cols: number): Promise<string> {
  const writer = createModelWriter({ dir, modelFileName: 'gemv.onnx' });
  try {
    await writer.addInitializerChunks('W', DataType.FLOAT, [rows, cols], weightChunks(rows, cols));
    const written = await writer.finish({
      nodes: [node('MatMul', ['x', 'W'], ['y'])],
      inputs: [valueInfo('x', DataType.FLOAT, [1, rows])],
      outputs: [valueInfo('y', DataType.FLOAT, [1, cols])],
    });
    return written.modelPath;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * W's bytes a few rows at a time. The values only need to be non-zero (the time does not depend on
 * them), so one pattern buffer is yielded again and again: it never changes, so reuse is safe.
 */
function* weightChunks(rows: number, cols: number): Generator<Float32Array> {
  const pattern = new Float32Array(Math.min(ROWS_PER_CHUNK, rows) * cols);
  for (let i = 0; i < pattern.length; i++) pattern[i] = ((i % 7) + 1) / 64;
  for (let row = 0; row < rows; row += ROWS_PER_CHUNK) {
    yield pattern.subarray(0, Math.min(ROWS_PER_CHUNK, rows - row) * cols);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? NaN) + upper) / 2;
}

function formatMiB(bytes: number): string {
  const mib = bytes / MiB;
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(1);
}

/** One cached measurement, keyed by what it depends on (CPU, cores, threads, onnxruntime version). */
const CacheEntrySchema = MemoryBandwidthSchema.extend({ measuredAt: z.string() });
const CacheFileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), CacheEntrySchema),
});
type CacheFile = z.infer<typeof CacheFileSchema>;

export interface CachedMemoryBandwidth extends MemoryBandwidth {
  /** ISO time of the measurement */
  measuredAt: string;
  /** true when read from the cache file, false when measured just now */
  fromCache: boolean;
}

export interface CachedMemoryBandwidthOptions extends MemoryBandwidthOptions {
  /** the measurement to run on a cache miss (default measureMemoryBandwidth; tests pass a stub) */
  measure?: (options: MemoryBandwidthOptions) => Promise<MemoryBandwidth>;
}

/** `<dataDir>/cache/memory-bandwidth.json` */
export function memoryBandwidthCacheFile(dataDir: string): string {
  return path.join(dataDir, 'cache', 'memory-bandwidth.json');
}

/**
 * The bandwidth for `environmentKey`, measured once and then read from the cache file: the measurement
 * takes seconds, and every trial needs it. A different key (another CPU, thread count or onnxruntime)
 * is measured and added; a file that is unreadable as JSON or not in this shape is replaced.
 */
export async function cachedMemoryBandwidth(
  dataDir: string,
  environmentKey: string,
  options: CachedMemoryBandwidthOptions = {},
): Promise<CachedMemoryBandwidth> {
  const file = memoryBandwidthCacheFile(dataDir);
  const cache = (await readCache(file)) ?? { version: 1, entries: {} };
  const hit = cache.entries[environmentKey];
  if (hit) return { ...hit, fromCache: true };

  const { measure = measureMemoryBandwidth, ...measureOptions } = options;
  const measured = MemoryBandwidthSchema.parse(await measure(measureOptions));
  const entry = { ...measured, measuredAt: new Date().toISOString() };
  await writeCacheAtomically(file, { version: 1, entries: { ...cache.entries, [environmentKey]: entry } });
  return { ...entry, fromCache: false };
}

/** The cache, or undefined when there is none or it is not valid (then it is measured and rewritten). */
async function readCache(file: string): Promise<CacheFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not read the memory bandwidth cache ${file}: ${detail}`, { cause: error });
  }
  try {
    const parsed = CacheFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // not JSON (an interrupted write by an older version, or an edit): a cache, so measure again
    return undefined;
  }
}

/** temp file + rename, so a reader never sees half a file */
async function writeCacheAtomically(file: string, cache: CacheFile): Promise<void> {
  const tempFile = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tempFile, `${JSON.stringify(cache, null, 2)}\n`);
    await rename(tempFile, file);
  } catch (error) {
    await rm(tempFile, { force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not write the memory bandwidth cache ${file}: ${detail}`, { cause: error });
  }
}

/**
 * The cache key of a bandwidth measurement: it depends on the CPU, its cores, the thread count and the
 * onnxruntime build that ran the GEMV.
 */
export function memoryBandwidthKey(
  environment: { cpu: string; logicalCores: number; onnxruntimeVersion: string },
  threads?: number,
): string {
  return [
    environment.cpu,
    environment.logicalCores,
    threads ?? 'default',
    environment.onnxruntimeVersion,
  ].join('|');
}
