import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readLlamaBuildInfo } from './llama-build-info';

/**
 * llama.cpp through node-llama-cpp (pinned: 3.21.1), loaded from its prebuilt npm binaries only — never
 * a download or a source build at trial time — and used at its lowest level: the addon's model,
 * context and batch calls (AddonTypes.d.ts), which node-llama-cpp's public API wraps with sampling,
 * chat and scheduling that must stay out of a timed loop.
 */

const require = createRequire(import.meta.url);

/** The llama.cpp compute backends node-llama-cpp ships builds for. */
export type LlamaBackend = 'cpu' | 'cuda' | 'vulkan' | 'metal';

/** The addon's classes the trial uses (node-llama-cpp/dist/bindings/AddonTypes.d.ts). */
export interface AddonModel {
  init(): Promise<boolean>;
  dispose(): Promise<void>;
  getTotalParameters(): number;
  getModelSize(): number;
  getModelDescription(): string;
}
export interface AddonContext {
  init(): Promise<boolean>;
  dispose(): Promise<void>;
  getContextSize(): number;
  initBatch(size: number): void;
  /** returns the batch indexes of the tokens whose logits were asked for */
  addToBatch(
    sequenceId: number,
    firstPosition: number,
    tokens: Uint32Array,
    logitIndexes: Uint32Array,
  ): Uint32Array;
  /** llama_decode on a libuv worker */
  decodeBatch(): Promise<void>;
  sampleToken(batchLogitIndex: number, sampler: AddonSampler): Promise<number>;
  /** with probabilities: [token, [id, p, id, p, …] over every candidate, sorted by logit] */
  sampleToken(
    batchLogitIndex: number,
    sampler: AddonSampler,
    probabilities: true,
  ): Promise<[number, number[] | undefined]>;
  removeTokenCellsFromSequence(sequenceId: number, startPosition: number, endPosition: number): boolean;
  getThreads(): number;
}
export interface AddonSampler {
  applyConfig(config: { temperature?: number }): void;
  dispose(): void;
}
export interface LlamaBindings {
  AddonModel: new (file: string, params: { gpuLayers?: number; useMmap?: boolean }) => AddonModel;
  AddonContext: new (
    model: AddonModel,
    params: {
      contextSize: number;
      batchSize: number;
      sequences: number;
      threads: number;
      flashAttention: boolean;
    },
  ) => AddonContext;
  AddonSampler: new (model: AddonModel) => AddonSampler;
}

export interface LlamaLibrary {
  bindings: LlamaBindings;
  backend: LlamaBackend;
  bindingVersion: string;
  /** node-llama-cpp's label of its llama.cpp ("v0.4.0") */
  release: string;
  commit: string | null;
  buildNumber: number | null;
}

export class LlamaLibraryError extends Error {
  override name = 'LlamaLibraryError';
}

/** The prebuilt package folder name of a backend on this platform, as node-llama-cpp names them. */
function prebuiltPackage(backend: LlamaBackend): string {
  const base = `${process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : process.platform}-${process.arch}`;
  if (backend === 'cpu') return base;
  if (backend === 'metal') return `${base}-metal`;
  return `${base}-${backend}`;
}

/** The shared library that holds LLAMA_COMMIT, where the platform's prebuilt package has one. */
function buildInfoOf(backend: LlamaBackend): { commit: string | null; buildNumber: number | null } {
  try {
    // the package's entry is dist/index.js (its exports map hides package.json); bins/<name>/ sits beside dist/
    const entry = require.resolve(`@node-llama-cpp/${prebuiltPackage(backend)}`);
    const binsDir = path.join(path.dirname(entry), '..', 'bins', prebuiltPackage(backend));
    const library = path.join(binsDir, 'libllama-common.so');
    return existsSync(library) ? readLlamaBuildInfo(library) : { commit: null, buildNumber: null };
  } catch {
    return { commit: null, buildNumber: null };
  }
}

function bindingVersion(): string {
  // its exports map hides package.json: it sits beside dist/, where the entry point is
  const file = path.join(path.dirname(require.resolve('node-llama-cpp')), '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Whether node-llama-cpp runs from a packaged desktop app (inside its app.asar), which ships llama.cpp's
 * cpu build alone (build/electron-builder.yml: the CUDA build is 538 MB).
 */
function insidePackagedApp(): boolean {
  return (
    process.versions.electron !== undefined &&
    require.resolve('node-llama-cpp').includes(`app.asar${path.sep}`)
  );
}

/** What to tell a user whose `backend` build did not load, and what to do about it. */
export function missingBuildMessage(backend: LlamaBackend, reason: string, packagedApp: boolean): string {
  const missing = `llama.cpp's ${backend} build is not available here (${reason}). `;
  if (packagedApp) {
    return (
      missing +
      (backend === 'cpu'
        ? "The desktop app's own (cpu) llama.cpp build did not load on this machine."
        : `The desktop app ships llama.cpp's cpu build only: run ${backend} trials from the CLI or serve ` +
          `of an npm install of the workbench, or run on the cpu.`)
    );
  }
  return (
    missing +
    `node-llama-cpp ${bindingVersion()} ships prebuilt ${backend} builds in @node-llama-cpp/${prebuiltPackage(backend)}` +
    (backend === 'cpu'
      ? ': run npm ci on a supported platform.'
      : ' and needs its driver and runtime installed; or run on the cpu.')
  );
}

/**
 * Loads llama.cpp's `backend` build. A build that is not installed (no prebuilt package for this
 * platform, or a GPU build on a machine without its driver) is refused with what to do.
 */
export async function loadLlamaLibrary(backend: LlamaBackend): Promise<LlamaLibrary> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  let llama: Awaited<ReturnType<typeof getLlama>>;
  try {
    llama = await getLlama({
      gpu: backend === 'cpu' ? false : backend,
      build: 'never',
      skipDownload: true,
      logLevel: LlamaLogLevel.error,
      vramPadding: 0,
    });
  } catch (error) {
    throw new LlamaLibraryError(
      missingBuildMessage(backend, (error as Error).message.split('\n')[0] ?? '', insidePackagedApp()),
      { cause: error },
    );
  }
  const gpu = llama.gpu;
  if ((backend === 'cpu') !== (gpu === false)) {
    throw new LlamaLibraryError(`llama.cpp loaded its ${gpu || 'cpu'} build where ${backend} was asked for.`);
  }
  // node-llama-cpp keeps the addon behind a private field: it is the lowest-level API it has
  const bindings = (llama as unknown as { _bindings: LlamaBindings })._bindings;
  return {
    bindings,
    backend,
    bindingVersion: bindingVersion(),
    release: llama.llamaCppRelease.release,
    ...buildInfoOf(backend),
  };
}
