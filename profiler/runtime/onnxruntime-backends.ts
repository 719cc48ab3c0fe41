import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BackendInfo } from '../api';

/**
 * Provider libraries onnxruntime-node does not bundle. The binding has the EP compiled in, but it only
 * works once these files sit next to the binding (on Linux x64 the package's own install script fetches
 * them when asked: see README, "CUDA").
 */
const providerLibraries: Record<string, Partial<Record<NodeJS.Platform, string>>> = {
  cuda: { linux: 'libonnxruntime_providers_cuda.so', win32: 'onnxruntime_providers_cuda.dll' },
  tensorrt: { linux: 'libonnxruntime_providers_tensorrt.so', win32: 'onnxruntime_providers_tensorrt.dll' },
};

const installHints: Record<string, string> = {
  cuda: 'Not installed: onnxruntime-node ships CUDA 12 support as an opt-in download (README, "CUDA").',
  tensorrt: 'Not installed: comes with the CUDA opt-in download (README, "CUDA") and needs TensorRT 10.',
};

/** onnxruntime-node package version, e.g. "1.30.0". */
export function onnxruntimeVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

/** Folder holding onnxruntime_binding.node for this platform and arch. */
function bindingFolder(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('onnxruntime-node'); // …/onnxruntime-node/dist/index.js
  return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

/** The EPs this onnxruntime-node build can use, and whether each is installed. */
export function listBackends(): BackendInfo[] {
  const folder = bindingFolder();
  return ort.listSupportedBackends().map(({ name, bundled }) => {
    const library = providerLibraries[name]?.[process.platform];
    const installed = bundled || (library !== undefined && existsSync(path.join(folder, library)));
    const hint = installed
      ? undefined
      : (installHints[name] ?? `Not installed in this onnxruntime-node build.`);
    return hint === undefined ? { name, bundled, installed } : { name, bundled, installed, hint };
  });
}
