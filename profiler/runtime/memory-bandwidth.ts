import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  BandwidthFigureSchema,
  type ExecutionProvider,
  type RooflineBandwidth,
  type MeasuredEnvironment,
} from '../api';
import { measureGemvBandwidth } from './bandwidth/gemv';
import { writeJsonAtomically } from './cache-file';
import type { FigureOutcome, MeasuredFigure } from './bandwidth/steady-passes';
import { measureStreamingBandwidth } from './bandwidth/streaming-read';
import { listBackends } from './onnxruntime-backends';

/**
 * The bandwidth a roofline divides by, measured once per machine state and kept in
 * `<dataDir>/cache/memory-bandwidth.json` (README, "Measuring"):
 *
 * - cpu: the memory's streaming read bandwidth on every core (the bound), with onnxruntime's fp32 GEMV
 *   beside it as "what onnxruntime's own kernel reaches here";
 * - a GPU provider: a GEMV on that provider's device, or "not measured for this provider" — never the
 *   CPU's figure, which says nothing about device memory.
 *
 * An entry is measured again when onnxruntime or the machine (CPU, logical cores, total memory, OS,
 * kernel) changed, and on request. A noisy measurement is refused, not cached as a number.
 */

/** What an entry was measured on; any difference means it is measured again. */
export const BandwidthMachineSchema = z.object({
  cpu: z.string(),
  logicalCores: z.number().int(),
  totalMemoryBytes: z.number(),
  /** TrialEnvironment.os: distro, release, platform, arch */
  os: z.string(),
  /** the kernel release (os.release(), as SystemInfo.os.kernel reads it) */
  kernel: z.string(),
  onnxruntimeVersion: z.string(),
});
export type BandwidthMachine = z.infer<typeof BandwidthMachineSchema>;

export function bandwidthMachineOf(
  environment: MeasuredEnvironment,
  kernel = os.release(),
): BandwidthMachine {
  return {
    cpu: environment.cpu,
    logicalCores: environment.logicalCores,
    totalMemoryBytes: environment.totalMemoryBytes,
    os: environment.os,
    kernel,
    onnxruntimeVersion: environment.onnxruntimeVersion,
  };
}

const MeasuredFigureSchema = BandwidthFigureSchema.extend({ passSeconds: z.array(z.number()) });

const CacheEntrySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('measured'),
    machine: BandwidthMachineSchema,
    measuredAt: z.string(),
    /** cpu: the streaming read; a GPU provider: its GEMV */
    bound: MeasuredFigureSchema,
    /** cpu: onnxruntime's GEMV */
    kernel: MeasuredFigureSchema.optional(),
  }),
  z.object({
    /** a refusal (noisy machine, provider that cannot run): kept briefly, so a sweep does not retry per trial */
    status: z.literal('not-measured'),
    machine: BandwidthMachineSchema,
    refusedAt: z.string(),
    reason: z.string(),
  }),
]);
type CacheEntry = z.infer<typeof CacheEntrySchema>;
export type BandwidthCacheEntry = CacheEntry;

/** version 1 held one GEMV figure per key: such a file is measured again and replaced */
export const BANDWIDTH_CACHE_VERSION = 2;
const CACHE_VERSION = BANDWIDTH_CACHE_VERSION;
const CacheFileSchema = z.object({
  version: z.literal(CACHE_VERSION),
  /** by execution provider */
  entries: z.record(z.string(), CacheEntrySchema),
});
type CacheFile = z.infer<typeof CacheFileSchema>;
/** the cache file's JSON (tests write stub entries in it: runtime/test/bandwidth-cache-stub.ts) */
export type BandwidthCacheFile = CacheFile;

/** ms a refusal is kept: trials of one sweep do not each spend seconds re-measuring a noisy machine */
export const REFUSAL_KEPT_MS = 10 * 60 * 1000;

/** `<dataDir>/cache/memory-bandwidth.json` */
export function memoryBandwidthCacheFile(dataDir: string): string {
  return path.join(dataDir, 'cache', 'memory-bandwidth.json');
}

/** The measurements behind an entry; tests pass fakes. */
export interface BandwidthMeasurers {
  /** host RAM read on every core (default measureStreamingBandwidth) */
  streaming?: () => Promise<FigureOutcome>;
  /** an onnxruntime GEMV on a provider (default measureGemvBandwidth); may throw when it cannot run */
  gemv?: (ep: ExecutionProvider) => Promise<FigureOutcome>;
}

export interface BandwidthOptions {
  /** measure again whatever the cache holds (`system --measure-bandwidth`, the System screen's Measure) */
  measure?: boolean;
  /**
   * never measure: the cached figure or 'not-measured' (planning must answer at once; the first trial
   * measures it)
   */
  cachedOnly?: boolean;
  measurers?: BandwidthMeasurers;
  /** told before a measurement starts, e.g. to say so on stderr */
  onMeasure?: (what: string) => void;
  /** the kernel release the machine state is keyed by (default os.release()) */
  kernel?: string;
  /** default: the clock */
  now?: () => Date;
}

/**
 * The bandwidth for a trial's roofline on `ep` (default 'cpu'): from the cache when it was measured on
 * this machine state, else measured now (seconds) and cached. This is the one function trials and sweep
 * estimates call.
 */
export async function bandwidthForRoofline(
  dataDir: string,
  environment: MeasuredEnvironment,
  options: BandwidthOptions & { ep?: ExecutionProvider } = {},
): Promise<RooflineBandwidth> {
  const { ep = 'cpu', ...rest } = options;
  return ep === 'cpu'
    ? hostBandwidth(dataDir, environment, rest)
    : deviceBandwidth(dataDir, environment, ep, rest);
}

/** Host RAM: the streaming read (the bound) and onnxruntime's CPU GEMV beside it. */
export async function hostBandwidth(
  dataDir: string,
  environment: MeasuredEnvironment,
  options: BandwidthOptions = {},
): Promise<RooflineBandwidth> {
  const { streaming = () => measureStreamingBandwidth(), gemv = defaultGemv } = options.measurers ?? {};
  return cached(dataDir, environment, 'cpu', options, async () => {
    const stream = await failureAsRefusal('the streaming read', streaming);
    if (stream.status !== 'measured') return stream;
    const kernel = await failureAsRefusal("onnxruntime's GEMV", () => gemv('cpu'));
    if (kernel.status !== 'measured') return kernel;
    return { status: 'measured', bound: boundOf(stream.figure, kernel.figure), kernel: kernel.figure };
  });
}

/**
 * A GPU provider's device bandwidth: a GEMV on it, cached under its own name, or "not measured for this
 * provider: <why>" when this onnxruntime cannot run it there. Never the CPU's figure.
 */
export async function deviceBandwidth(
  dataDir: string,
  environment: MeasuredEnvironment,
  ep: Exclude<ExecutionProvider, 'cpu'>,
  options: BandwidthOptions = {},
): Promise<RooflineBandwidth> {
  const { gemv = defaultGemv } = options.measurers ?? {};
  return cached(dataDir, environment, ep, options, async () => {
    const missing = missingProvider(ep);
    if (missing) return { status: 'not-measured', reason: `not measured for this provider: ${missing}` };
    const outcome = await failureAsRefusal(`a GEMV on ${ep}`, () => gemv(ep));
    if (outcome.status === 'measured') return { status: 'measured', bound: outcome.figure };
    return {
      status: 'not-measured',
      reason: outcome.reason.replace(/^not measured/, 'not measured for this provider'),
    };
  });
}

type EntryOutcome =
  | { status: 'measured'; bound: MeasuredFigure; kernel?: MeasuredFigure }
  | { status: 'not-measured'; reason: string };

function defaultGemv(ep: ExecutionProvider): Promise<FigureOutcome> {
  return measureGemvBandwidth({ ep });
}

/** A measurement that throws (no memory, a provider that fails) is a reason shown to people, not a crash. */
async function failureAsRefusal(what: string, measure: () => Promise<FigureOutcome>): Promise<FigureOutcome> {
  try {
    return await measure();
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).trim();
    return { status: 'not-measured', reason: `not measured: ${what} failed: ${detail}` };
  }
}

/**
 * Any figure the memory delivered is a floor for what it allows: when onnxruntime's GEMV read faster
 * than the streaming read (a buffer in a large cache, a lucky pass), the bound is the GEMV's, so no
 * decode measured here can pass it on that account.
 */
function boundOf(stream: MeasuredFigure, kernel: MeasuredFigure): MeasuredFigure {
  if (kernel.bytesPerSecond <= stream.bytesPerSecond) return stream;
  return {
    ...kernel,
    method: `${kernel.method} (faster than the streaming read, ${stream.method}, so it is the bound)`,
  };
}

/** Why this onnxruntime-node cannot run `ep` at all, or undefined when it may. */
function missingProvider(ep: ExecutionProvider): string | undefined {
  const backend = listBackends().find((candidate) => candidate.name === ep);
  if (!backend) {
    return `${ep} is not in this onnxruntime-node build (${process.platform} ${process.arch})`;
  }
  return backend.installed ? undefined : `${ep}: ${backend.hint ?? 'not installed'}`;
}

async function cached(
  dataDir: string,
  environment: MeasuredEnvironment,
  ep: ExecutionProvider,
  options: BandwidthOptions,
  measure: () => Promise<EntryOutcome>,
): Promise<RooflineBandwidth> {
  const file = memoryBandwidthCacheFile(dataDir);
  const machine = bandwidthMachineOf(environment, options.kernel);
  const now = options.now ?? (() => new Date());
  const hit = (await readCache(file))?.entries[ep];
  if (!options.measure && hit && sameMachine(hit.machine, machine)) {
    if (hit.status === 'measured') return resultOf(ep, hit, true);
    if (now().getTime() - Date.parse(hit.refusedAt) < REFUSAL_KEPT_MS) {
      return { status: 'not-measured', ep, reason: hit.reason };
    }
  }

  if (options.cachedOnly) {
    return {
      status: 'not-measured',
      ep,
      reason:
        'not measured yet on this machine: the first trial measures it, or run `edge-workbench system --measure-bandwidth`',
    };
  }
  options.onMeasure?.(ep === 'cpu' ? "this machine's memory bandwidth" : `the ${ep} device's bandwidth`);
  const outcome = await measure();
  const entry: CacheEntry =
    outcome.status === 'measured'
      ? { ...outcome, machine, measuredAt: now().toISOString() }
      : { ...outcome, machine, refusedAt: now().toISOString() };
  // read again: another process may have cached another provider meanwhile
  const latest = (await readCache(file)) ?? { version: CACHE_VERSION, entries: {} };
  await writeCacheAtomically(file, { version: CACHE_VERSION, entries: { ...latest.entries, [ep]: entry } });
  return entry.status === 'measured'
    ? resultOf(ep, entry, false)
    : { status: 'not-measured', ep, reason: entry.reason };
}

function sameMachine(a: BandwidthMachine, b: BandwidthMachine): boolean {
  return (Object.keys(b) as (keyof BandwidthMachine)[]).every((key) => a[key] === b[key]);
}

function resultOf(
  ep: ExecutionProvider,
  entry: Extract<CacheEntry, { status: 'measured' }>,
  fromCache: boolean,
): RooflineBandwidth {
  const figure = ({ bytesPerSecond, method, spread }: MeasuredFigure) => ({ bytesPerSecond, method, spread });
  return {
    status: 'measured',
    ep,
    ...figure(entry.bound),
    measuredAt: entry.measuredAt,
    ...(entry.kernel ? { kernel: figure(entry.kernel) } : {}),
    fromCache,
  };
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
  await writeJsonAtomically(file, cache, 'memory bandwidth cache');
}
