import os from 'node:os';
import { Worker } from 'node:worker_threads';
import si from 'systeminformation';
import { streamingReadWasm, READ_STEP_BYTES } from './read-wasm';
import {
  figureOf,
  steadyPasses,
  type FigureOutcome,
  type NoiseRule,
  type SteadyPasses,
} from './steady-passes';

/**
 * The memory's read bandwidth: one worker thread per logical core, each reading its own buffer far
 * larger than the last-level cache with SIMD loads (read-wasm.ts), all released together by a barrier.
 * This is what the memory allows — the roofline's bound — rather than what one kernel reaches.
 */

const MiB = 1024 * 1024;
/** the buffers together: at least this much, whatever the cache (bytes) */
const MIN_TOTAL_BYTES = 512 * MiB;
/** … and at least this many times the last-level cache, so reads come from DRAM */
const LLC_MULTIPLE = 8;
/** … and at most this share of the free memory, so the OS never has to page */
const FREE_MEMORY_SHARE = 0.5;
/** one WebAssembly memory addresses 4 GiB; stay clear of the top (bytes) */
const MAX_BYTES_PER_WORKER = 3072 * MiB;
/** buffers are whole MiB: a multiple of the 64 KiB wasm page and of READ_STEP_BYTES */
const GRAIN_BYTES = MiB;
/** a worker reads its buffer in calls of this size (bytes): short enough for V8 to tier up the loop */
const CHUNK_BYTES = 4 * MiB;

export interface StreamingBufferPlan {
  workers: number;
  /** bytes, a whole number of MiB */
  bytesPerWorker: number;
  /** why this size, in words, for the method text */
  sizing: string;
}

export interface StreamingBufferFacts {
  workers: number;
  /** bytes; null when the OS does not say */
  lastLevelCacheBytes: number | null;
  /** bytes the OS says are available */
  freeMemoryBytes: number;
}

/**
 * Buffer sizes: total ≥ 512 MiB and ≥ 8× the last-level cache, at most half the free memory. When half
 * the free memory is still ≥ 8× the cache but under 512 MiB (a small board), that is used and said.
 * Returns a refusal when even that cannot be far larger than the cache.
 */
export function planStreamingBuffers(facts: StreamingBufferFacts): StreamingBufferPlan | { problem: string } {
  const { workers, lastLevelCacheBytes: llc, freeMemoryBytes } = facts;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`streaming read: workers must be a positive integer, got ${workers}`);
  }
  const cacheFloor = llc === null ? 0 : LLC_MULTIPLE * llc;
  const wanted = Math.max(MIN_TOTAL_BYTES, cacheFloor);
  const room = Math.min(FREE_MEMORY_SHARE * freeMemoryBytes, MAX_BYTES_PER_WORKER * workers);
  const total = Math.min(wanted, room);
  const bytesPerWorker = Math.floor(total / workers / GRAIN_BYTES) * GRAIN_BYTES;
  const totalBytes = bytesPerWorker * workers;
  if (bytesPerWorker < GRAIN_BYTES || totalBytes < Math.max(cacheFloor, 64 * MiB)) {
    return {
      problem:
        `not measured: a streaming read needs ${mib(Math.max(cacheFloor, 64 * MiB))} MiB of buffers ` +
        `(${LLC_MULTIPLE}× the last-level cache, at least 64 MiB) within half the free memory, and only ` +
        `${mib(freeMemoryBytes)} MiB is free — close other programs, then run ` +
        '`edge-workbench system --measure-bandwidth`',
    };
  }
  const cacheText =
    llc === null
      ? 'last-level cache size unknown'
      : `${(totalBytes / llc).toFixed(totalBytes / llc >= 10 ? 0 : 1)}× the ${mib(llc)} MiB last-level cache`;
  const limited = room < wanted ? '; limited to half the free memory' : '';
  return {
    workers,
    bytesPerWorker,
    sizing: `${workers} worker${workers === 1 ? '' : 's'} × ${mib(bytesPerWorker)} MiB = ${mib(totalBytes)} MiB (${cacheText}${limited})`,
  };
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(0);
}

/** This machine's facts for planStreamingBuffers: logical cores, last-level cache, free memory. */
export async function streamingBufferFacts(): Promise<StreamingBufferFacts> {
  const cache = await si.cpuCache();
  const llc = [cache.l3, cache.l2].find((bytes) => Number.isFinite(bytes) && bytes > 0) ?? null;
  return { workers: os.availableParallelism(), lastLevelCacheBytes: llc, freeMemoryBytes: os.freemem() };
}

export interface StreamingBandwidthOptions {
  /** buffers; default planStreamingBuffers(streamingBufferFacts()) */
  plan?: StreamingBufferPlan;
  /** untimed passes first (default 1) */
  warmupPasses?: number;
  /** timed passes per attempt; the best is reported (default 7) */
  passes?: number;
  /** attempts before a noisy machine is refused (default 3) */
  attempts?: number;
  /** default: MAX_SPREAD and MAX_OTHER_LOAD, load read from the OS */
  noise?: NoiseRule;
  /** tests: resolves to one pass's seconds, instead of starting workers */
  timePass?: () => Promise<number>;
}

/**
 * Streaming read bandwidth on every core, bytes/s from the best pass. A pass is timed from the first
 * worker's start to the last worker's end (so it is at least the slowest worker's time). A noisy machine
 * or one without the memory gives a 'not-measured' outcome; a worker that fails throws.
 */
export async function measureStreamingBandwidth(
  options: StreamingBandwidthOptions = {},
): Promise<FigureOutcome> {
  const plan = options.plan ?? planStreamingBuffers(await streamingBufferFacts());
  if ('problem' in plan) return { status: 'not-measured', reason: plan.problem };
  const passes = options.passes ?? 7;
  const steadyOptions = {
    ...options.noise,
    warmupPasses: options.warmupPasses ?? 1,
    passes,
    attempts: options.attempts ?? 3,
  };
  let steady: SteadyPasses;
  if (options.timePass) {
    steady = await steadyPasses(options.timePass, steadyOptions);
  } else {
    const readers = await startReaders(plan);
    try {
      steady = await steadyPasses(readers.timePass, steadyOptions);
    } finally {
      await readers.close();
    }
  }
  return figureOf(
    plan.workers * plan.bytesPerWorker,
    steady,
    (spread) =>
      `streaming read on every core: ${plan.sizing}; every 64-byte line read (WebAssembly SIMD), workers released ` +
      `together; best of ${passes} passes (first start to last end), ${spread}`,
  );
}

/**
 * One worker's life, as plain JavaScript: it runs from `eval`, so the same code works from TypeScript
 * sources (tsx, vitest) and from the bundled app, with no worker entry to build. workerData: the
 * compiled module, the buffer's bytes, the chunk size and the barrier (an Int32 pass counter; −1 = stop).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, bytes, chunkBytes, barrier } = workerData;
const pages = bytes / 65536;
const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
// write every page: untouched pages all map the one zero page, which is read from cache
new Uint8Array(memory.buffer).fill(1);
const { read } = new WebAssembly.Instance(module, { env: { memory } }).exports;
let sink = 0;
// let V8 tier the loop up to optimized code before any pass is timed
for (let i = 0; i < 256; i++) sink ^= read(0, Math.min(bytes, 65536));
parentPort.postMessage({ ready: true });
const pass = new Int32Array(barrier);
let seen = 0;
for (;;) {
  Atomics.wait(pass, 0, seen);
  seen = Atomics.load(pass, 0);
  if (seen < 0) break;
  const startMs = performance.timeOrigin + performance.now();
  for (let at = 0; at < bytes; at += chunkBytes) sink ^= read(at, Math.min(bytes, at + chunkBytes));
  const endMs = performance.timeOrigin + performance.now();
  parentPort.postMessage({ startMs, endMs, sink });
}
`;

interface PassTimes {
  /** ms since the epoch, this worker's clock (performance.timeOrigin + now) */
  startMs: number;
  endMs: number;
}

/** The next message of a worker; rejects when it fails or exits first. */
function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: T): void => {
      cleanup();
      resolve(message);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`a streaming-read worker stopped early (exit code ${code})`));
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Starts one reader per worker (allocating and writing its buffer); resolves once all are ready. */
async function startReaders(
  plan: StreamingBufferPlan,
): Promise<{ timePass: () => Promise<number>; close: () => Promise<void> }> {
  if (plan.bytesPerWorker % GRAIN_BYTES !== 0 || plan.bytesPerWorker % READ_STEP_BYTES !== 0) {
    throw new RangeError(`streaming read: bytesPerWorker must be whole MiB, got ${plan.bytesPerWorker}`);
  }
  const module = new WebAssembly.Module(streamingReadWasm());
  const barrier = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const pass = new Int32Array(barrier);
  const workers = Array.from(
    { length: plan.workers },
    () =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, bytes: plan.bytesPerWorker, chunkBytes: CHUNK_BYTES, barrier },
      }),
  );
  const close = async (): Promise<void> => {
    Atomics.store(pass, 0, -1);
    Atomics.notify(pass, 0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  };
  try {
    await Promise.all(workers.map((worker) => nextMessage(worker)));
  } catch (error) {
    await close();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not start the streaming read (${plan.sizing}): ${detail}`, { cause: error });
  }
  const timePass = async (): Promise<number> => {
    const done = workers.map((worker) => nextMessage<PassTimes>(worker));
    Atomics.add(pass, 0, 1);
    Atomics.notify(pass, 0);
    const times = await Promise.all(done);
    const firstStartMs = Math.min(...times.map((time) => time.startMs));
    const lastEndMs = Math.max(...times.map((time) => time.endMs));
    return (lastEndMs - firstStartMs) / 1000;
  };
  return { timePass, close };
}
