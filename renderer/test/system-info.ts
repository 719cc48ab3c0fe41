import { SystemInfoSchema, type SystemInfo } from '../../common/schemas/system-info';

const GiB = 2 ** 30; // bytes

/**
 * What `system()` answers, for the renderer's tests: a 16 GiB Linux laptop whose onnxruntime has the
 * CPU and WebGPU providers (WebGPU tried here and it ran) and offers CUDA as an install; `overrides`
 * replace whole sections.
 */
export function systemInfo(overrides: Partial<SystemInfo> = {}): SystemInfo {
  return SystemInfoSchema.parse({
    app: { name: 'Edge LLM Workbench', version: '0.1.0' },
    onnxruntime: {
      version: '1.30.0',
      backends: [
        { name: 'cpu', bundled: true, installed: true },
        {
          name: 'webgpu',
          bundled: true,
          installed: true,
          check: { usable: true, checkedAt: '2025-06-02T09:00:00.000Z' },
        },
        {
          name: 'cuda',
          bundled: false,
          installed: false,
          hint: 'Install the CUDA 12 provider: npm run ort:cuda',
        },
      ],
    },
    cpu: {
      manufacturer: 'AMD',
      brand: 'Ryzen 7 7840U',
      name: 'AMD Ryzen 7 7840U',
      physicalCores: 8,
      logicalCores: 16,
      speedGHz: 3.3,
    },
    memory: { totalBytes: 16 * GiB },
    gpus: [],
    os: { platform: 'linux', arch: 'x64', distro: 'Ubuntu', release: '24.04', kernel: '6.8' },
    runtime: { host: 'serve', nodeVersion: 'v20.19.4', electronVersion: null, dataDir: '/data' },
    ...overrides,
  });
}
