import { z } from 'zod';

/** One onnxruntime execution provider as the installed onnxruntime-node build knows it. */
/** An execution provider tried here once (a tiny session with no CPU fallback, run once), and cached. */
export const ProviderCheckSchema = z.object({
  /** the session was created and ran */
  usable: z.boolean(),
  /** why it could not run, onnxruntime's words ("Failed to get a WebGPU adapter: No supported adapters") */
  reason: z.string().optional(),
  /** ISO time it was tried */
  checkedAt: z.string(),
});
export type ProviderCheck = z.infer<typeof ProviderCheckSchema>;

export const BackendInfoSchema = z.object({
  /** EP name as onnxruntime-node spells it: cpu, webgpu, cuda, tensorrt, dml, coreml, qnn. */
  name: z.string(),
  /** Its libraries ship inside the npm package. */
  bundled: z.boolean(),
  /** Bundled, or its provider libraries were installed next to the binding (e.g. CUDA, opt-in). */
  installed: z.boolean(),
  /** What to do when it is not installed; absent when there is nothing to do. */
  hint: z.string().optional(),
  /**
   * Whether it ran here when tried (installed providers other than the CPU; the engine's system() tries
   * each once and caches the answer). Absent: not tried (the CPU, one not installed, an older engine).
   */
  check: ProviderCheckSchema.optional(),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

export const GpuInfoSchema = z.object({
  vendor: z.string(),
  model: z.string(),
  /** bytes; null where the OS does not report it */
  vramBytes: z.number().int().nonnegative().nullable(),
});
export type GpuInfo = z.infer<typeof GpuInfoSchema>;

/** What `system()` answers: the facts every measurement is recorded against. */
export const SystemInfoSchema = z.object({
  /** commit: the source commit of this build, where the app runs from a git checkout */
  app: z.object({ name: z.string(), version: z.string(), commit: z.string().optional() }),
  /** which machine this is: named with `serve --name`, else by its hostname (absent from older agents) */
  device: z.object({ name: z.string(), hostname: z.string() }).optional(),
  onnxruntime: z.object({
    /** onnxruntime-node package version, e.g. "1.30.0" */
    version: z.string(),
    backends: z.array(BackendInfoSchema),
  }),
  cpu: z.object({
    manufacturer: z.string(),
    brand: z.string(),
    /** manufacturer + brand, as people say it */
    name: z.string(),
    physicalCores: z.number().int().positive(),
    logicalCores: z.number().int().positive(),
    /** GHz; null where the OS does not report it (common in VMs) */
    speedGHz: z.number().positive().nullable(),
  }),
  memory: z.object({ totalBytes: z.number().int().positive() }),
  gpus: z.array(GpuInfoSchema),
  os: z.object({
    platform: z.string(),
    distro: z.string(),
    release: z.string(),
    kernel: z.string(),
    arch: z.string(),
  }),
  runtime: z.object({
    /** which front door answered: the desktop app, serve/agent, or the CLI */
    host: z.enum(['electron', 'serve', 'cli']),
    nodeVersion: z.string(),
    electronVersion: z.string().nullable(),
    /** where runs, the model cache and settings are kept */
    dataDir: z.string(),
  }),
  /**
   * Folders model paths must lie under (absolute, links resolved), so the builder can say where this
   * agent opens models from; null: any path (the CLI). Absent from older agents.
   */
  allowedModelFolders: z.array(z.string()).nullable().optional(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;
