import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import type { BackendInfo, ProviderCheck, SystemInfo } from '../api';
import { writeGemvModel } from './bandwidth/gemv';
import { writeJsonAtomically } from './cache-file';

/**
 * Whether an execution provider onnxruntime-node lists can really run here. A bundled provider is not a
 * working one: WebGPU ships with every build and fails on a machine with no GPU adapter ("Failed to get a
 * WebGPU adapter: No supported adapters"). Each installed provider other than the CPU is tried once —
 * a session on a tiny MatMul with no CPU fallback, run once — and the answer is kept in
 * `<data folder>/cache/execution-providers.json` until onnxruntime, the OS, the kernel or the GPUs change.
 * The run builder offers a provider only after it ran here, and says why when it cannot.
 */

/** What an answer was found on; any difference means the provider is tried again. */
const ProviderMachineSchema = z.object({
  onnxruntimeVersion: z.string(),
  platform: z.string(),
  arch: z.string(),
  kernel: z.string(),
  /** "vendor model" of each GPU the OS reports */
  gpus: z.array(z.string()),
});
type ProviderMachine = z.infer<typeof ProviderMachineSchema>;

const CacheEntrySchema = z.object({
  usable: z.boolean(),
  reason: z.string().optional(),
  checkedAt: z.string(),
  machine: ProviderMachineSchema,
});
type CacheEntry = z.infer<typeof CacheEntrySchema>;

const CacheFileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), CacheEntrySchema),
});
type CacheFile = z.infer<typeof CacheFileSchema>;

export function providerCheckCacheFile(dataDir: string): string {
  return path.join(dataDir, 'cache', 'execution-providers.json');
}

/** the rows and columns of the tried MatMul: a few hundred bytes, so trying costs a session's start */
const TRY_SIZE = 8;

/**
 * onnxruntime's message without its source location: "/onnxruntime_src/…/webgpu_context.cc:136 …
 * was false. Failed to get a WebGPU adapter: No supported adapters" → "Failed to get a WebGPU adapter:
 * No supported adapters".
 */
export function providerFailureText(message: string): string {
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  const afterCheck = firstLine.replace(/^.*? was false\.\s*/, '');
  return (afterCheck === '' ? firstLine : afterCheck).replace(/^\S+\.(cc|cpp|h):\d+\s+/, '');
}

/** Tries `ep` once: a session on a tiny MatMul, no CPU fallback, one run. */
export async function tryProvider(ep: string): Promise<{ usable: boolean; reason?: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'provider-check-'));
  try {
    const modelPath = await writeGemvModel(dir, TRY_SIZE, TRY_SIZE);
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: [ep],
      // a node quietly placed on the CPU would make a provider that cannot run look usable
      ...(ep === 'cpu' ? {} : { extra: { session: { disable_cpu_ep_fallback: '1' } } }),
    });
    try {
      const x = new ort.Tensor('float32', new Float32Array(TRY_SIZE).fill(1), [1, TRY_SIZE]);
      await session.run({ x });
    } finally {
      await session.release();
    }
    return { usable: true };
  } catch (error) {
    return {
      usable: false,
      reason: providerFailureText(error instanceof Error ? error.message : String(error)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function machineOf(info: SystemInfo): ProviderMachine {
  return {
    onnxruntimeVersion: info.onnxruntime.version,
    platform: info.os.platform,
    arch: info.os.arch,
    kernel: info.os.kernel,
    gpus: info.gpus.map((gpu) => `${gpu.vendor} ${gpu.model}`),
  };
}

function sameMachine(a: ProviderMachine, b: ProviderMachine): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function readCache(file: string): Promise<CacheFile | undefined> {
  try {
    const parsed = CacheFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // missing, or not JSON (an interrupted edit): a cache, so the providers are simply tried again
    return undefined;
  }
}

export interface ProviderCheckOptions {
  /** how a provider is tried (default tryProvider) */
  tryProvider?: (ep: string) => Promise<{ usable: boolean; reason?: string }>;
  now?: () => Date;
}

/**
 * `info` with each installed provider other than the CPU marked as tried (`check`): from the cache when
 * it answered on this machine state, else tried now (well under a second each) and cached.
 */
export async function withProviderChecks(
  info: SystemInfo,
  dataDir: string,
  options: ProviderCheckOptions = {},
): Promise<SystemInfo> {
  const attempt = options.tryProvider ?? tryProvider;
  const now = options.now ?? (() => new Date());
  const file = providerCheckCacheFile(dataDir);
  const machine = machineOf(info);
  const cache = await readCache(file);
  const entries: Record<string, CacheEntry> = { ...cache?.entries };
  let tried = false;
  const backends: BackendInfo[] = [];
  for (const backend of info.onnxruntime.backends) {
    if (backend.name === 'cpu' || !backend.installed) {
      backends.push(backend);
      continue;
    }
    let entry = entries[backend.name];
    if (!entry || !sameMachine(entry.machine, machine)) {
      const outcome = await attempt(backend.name);
      entry = { ...outcome, checkedAt: now().toISOString(), machine };
      entries[backend.name] = entry;
      tried = true;
    }
    const check: ProviderCheck = {
      usable: entry.usable,
      checkedAt: entry.checkedAt,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    };
    backends.push({ ...backend, check });
  }
  if (tried) await writeJsonAtomically(file, { version: 1, entries }, 'execution-provider cache');
  return { ...info, onnxruntime: { ...info.onnxruntime, backends } };
}
