import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../../api';
import { createModelWriter, DataType, node, valueInfo } from '../../onnx';
import { figureOf, steadyPasses, type FigureOutcome, type NoiseRule } from './steady-passes';

/**
 * The read bandwidth one onnxruntime kernel reaches: a GEMV (y = x·W with a single row x), so every byte
 * of W is streamed once per run, as in LLM decode. On the CPU it stands beside the streaming read as
 * "what onnxruntime's own kernel reaches here"; on a GPU provider it is the device's bandwidth.
 */

export interface GemvBandwidthOptions {
  /** the provider the GEMV runs on (default 'cpu'); no CPU fallback is allowed for another one */
  ep?: ExecutionProvider;
  /** rows of W = length of x (default 16384; with `cols` 8192, W is 512 MiB of fp32) */
  rows?: number;
  /** columns of W = length of y (default 8192) */
  cols?: number;
  /** onnxruntime intra-op threads; default: onnxruntime's own choice */
  threads?: number;
  /** untimed runs first: page in the weights and warm the thread pool (default 3) */
  warmupRuns?: number;
  /** timed runs per attempt; the best is reported (default 20) */
  runs?: number;
  /** attempts before a noisy machine is refused (default 3) */
  attempts?: number;
  /** where the temporary model folder goes (default os.tmpdir()) */
  tempDir?: string;
  /** default: MAX_SPREAD and MAX_OTHER_LOAD, load read from the OS */
  noise?: NoiseRule;
}

const MiB = 1024 * 1024;
const FLOAT32_BYTES = 4;
/** rows of W generated per write, so building the model never holds W twice */
const ROWS_PER_CHUNK = 256;

/**
 * Times GEMVs over a fresh fp32 W (default 512 MiB). Takes a few seconds at the defaults; the model
 * files are deleted after. A noisy machine gives a 'not-measured' outcome; a provider that cannot run
 * the GEMV throws (its message says why).
 */
export async function measureGemvBandwidth(options: GemvBandwidthOptions = {}): Promise<FigureOutcome> {
  const ep = options.ep ?? 'cpu';
  const rows = options.rows ?? 16384;
  const cols = options.cols ?? 8192;
  const warmupRuns = options.warmupRuns ?? 3;
  const runs = options.runs ?? 20;
  const attempts = options.attempts ?? 3;
  for (const [label, value] of Object.entries({ rows, cols })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`GEMV bandwidth: ${label} must be a positive integer, got ${value}`);
    }
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) {
    throw new RangeError(`GEMV bandwidth: threads must be a positive integer, got ${options.threads}`);
  }
  const weightBytes = rows * cols * FLOAT32_BYTES;

  const dir = await mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'memory-bandwidth-'));
  try {
    const modelPath = await writeGemvModel(dir, rows, cols);
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: [ep],
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
      // a node quietly placed on the CPU would measure host RAM under the device's name
      ...(ep === 'cpu' ? {} : { extra: { session: { disable_cpu_ep_fallback: '1' } } }),
    });
    try {
      const x = new ort.Tensor('float32', new Float32Array(rows).fill(1), [1, rows]);
      const timeRun = async (): Promise<number> => {
        const startMs = performance.now();
        await session.run({ x });
        return (performance.now() - startMs) / 1000;
      };
      const passes = await steadyPasses(timeRun, {
        ...options.noise,
        warmupPasses: warmupRuns,
        passes: runs,
        attempts,
      });
      const threadsText =
        options.threads === undefined
          ? "onnxruntime's default threads"
          : `${options.threads} thread${options.threads === 1 ? '' : 's'}`;
      return figureOf(
        weightBytes,
        passes,
        (spread) =>
          `onnxruntime MatMul GEMV over ${formatMiB(weightBytes)} MiB fp32 weights on ${ep}, ${threadsText}; ` +
          `best of ${runs} runs, ${spread}`,
      );
    } finally {
      await session.release();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** y[1, cols] = MatMul(x[1, rows], W[rows, cols]), W in external data; returns the .onnx path. */
export async function writeGemvModel(dir: string, rows: number, cols: number): Promise<string> {
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

export function formatMiB(bytes: number): string {
  const mib = bytes / MiB;
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(1);
}
