import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * profiler/onnx loads the official onnx.proto beside its module (`new URL('./onnx.proto',
 * import.meta.url)`). Bundled into out/main/index.js, "beside" means out/main/: ship the file there.
 */
function shipOnnxProto(): Plugin {
  return {
    name: 'ship-onnx-proto',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'onnx.proto',
        source: readFileSync(resolve('profiler/onnx/onnx.proto'), 'utf8'),
      });
    },
  };
}

/**
 * Three builds into out/: main (ESM, dependencies such as onnxruntime-node stay external and ship in
 * node_modules), the sandboxed preload (CommonJS, self-contained: a sandboxed preload cannot require
 * packages), and the renderer (also what `edge-workbench serve` hands out).
 */
export default defineConfig({
  main: {
    plugins: [shipOnnxProto()],
    build: {
      outDir: 'out/main',
      // every `dependencies` package stays an import, loaded from node_modules at run time (electron-vite's
      // default, spelled out because it is load-bearing): onnxruntime-node and node-llama-cpp find their
      // native binaries relative to their own files, and node-llama-cpp tests its addon by forking its
      // own testBindingBinary.js by file name (bundled, it skips that test and says so)
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // the trial process entry, for utilityProcess.fork (electron/main/utility-trial-host.ts)
          'trial-child': resolve('profiler/bench/trial-child.ts'),
        },
        // shared chunks beside the entries, so `new URL('./onnx.proto', import.meta.url)` finds the file
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [vue()],
    build: {
      outDir: 'out/renderer',
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
