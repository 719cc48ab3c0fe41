import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SystemInfo } from '../api';
import {
  providerCheckCacheFile,
  providerFailureText,
  tryProvider,
  withProviderChecks,
} from './provider-check';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-provider-check-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function info(kernel = '6.8'): SystemInfo {
  return {
    app: { name: 'T', version: '0' },
    onnxruntime: {
      version: '1.30.0',
      backends: [
        { name: 'cpu', bundled: true, installed: true },
        { name: 'webgpu', bundled: true, installed: true },
        { name: 'cuda', bundled: false, installed: false, hint: 'Not installed' },
      ],
    },
    cpu: {
      manufacturer: 'Intel',
      brand: 'Xeon',
      name: 'Intel Xeon',
      physicalCores: 2,
      logicalCores: 2,
      speedGHz: null,
    },
    memory: { totalBytes: 2 ** 34 },
    gpus: [],
    os: { platform: 'linux', arch: 'x64', distro: 'Debian', release: '13', kernel },
    runtime: { host: 'serve', nodeVersion: 'v20', electronVersion: null, dataDir },
  };
}

const ADAPTER_ERROR =
  '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';

describe('execution providers tried before they are offered', () => {
  it("keeps onnxruntime's reason without its source location", () => {
    expect(providerFailureText(ADAPTER_ERROR)).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(providerFailureText('plain message')).toBe('plain message');
  });

  it('tries each installed provider but the CPU once, and answers from the cache after', async () => {
    const attempt = vi.fn(async () => ({
      usable: false,
      reason: 'Failed to get a WebGPU adapter: No supported adapters',
    }));
    const first = await withProviderChecks(info(), dataDir, {
      tryProvider: attempt,
      now: () => new Date('2026-12-05T10:00:00Z'),
    });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(attempt).toHaveBeenCalledWith('webgpu');
    const webgpu = first.onnxruntime.backends.find((backend) => backend.name === 'webgpu');
    expect(webgpu?.check).toEqual({
      usable: false,
      reason: 'Failed to get a WebGPU adapter: No supported adapters',
      checkedAt: '2026-12-05T10:00:00.000Z',
    });
    // the CPU needs no trying; a provider not installed is not tried
    expect(first.onnxruntime.backends.find((backend) => backend.name === 'cpu')?.check).toBeUndefined();
    expect(first.onnxruntime.backends.find((backend) => backend.name === 'cuda')?.check).toBeUndefined();
    expect(JSON.parse(readFileSync(providerCheckCacheFile(dataDir), 'utf8')).entries.webgpu.usable).toBe(
      false,
    );

    const again = await withProviderChecks(info(), dataDir, { tryProvider: attempt });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(again.onnxruntime.backends.find((backend) => backend.name === 'webgpu')?.check?.usable).toBe(
      false,
    );

    // a new kernel (a driver may have come with it): tried again
    await withProviderChecks(info('6.9'), dataDir, { tryProvider: attempt });
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('runs the tiny session for real: the CPU provider always can', async () => {
    expect(await tryProvider('cpu')).toEqual({ usable: true });
  });

  it('answers a provider onnxruntime does not know with its reason, never a throw', async () => {
    const outcome = await tryProvider('no-such-provider');
    expect(outcome.usable).toBe(false);
    expect(outcome.reason).toBeTruthy();
  });
});
