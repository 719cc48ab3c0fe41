import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { SystemInfoSchema } from '../api';
import { probeSystem } from './system-probe';

const ortPackage = JSON.parse(
  readFileSync(new URL('../../node_modules/onnxruntime-node/package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('probeSystem', async () => {
  const info = await probeSystem({ appName: 'Test', appVersion: '9.9.9', host: 'cli', dataDir: '/tmp/ew' });

  it('answers in the WorkbenchApi schema', () => {
    expect(SystemInfoSchema.parse(info)).toEqual(info);
  });

  it('reports the installed onnxruntime-node version', () => {
    expect(info.onnxruntime.version).toBe(ortPackage.version);
  });

  it('reports this machine as the OS sees it', () => {
    expect(info.cpu.logicalCores).toBe(os.cpus().length);
    expect(info.memory.totalBytes).toBe(os.totalmem());
    expect(info.os.arch).toBe(os.arch());
    expect(info.cpu.name.length).toBeGreaterThan(0);
    expect(info.runtime).toMatchObject({
      host: 'cli',
      nodeVersion: process.versions.node,
      dataDir: '/tmp/ew',
    });
  });

  it('lists the CPU provider as bundled and installed', () => {
    expect(info.onnxruntime.backends).toContainEqual({ name: 'cpu', bundled: true, installed: true });
  });

  it('says CUDA is installed only when its provider library is there, with a hint otherwise', () => {
    const cuda = info.onnxruntime.backends.find((b) => b.name === 'cuda');
    if (!cuda) return; // this onnxruntime-node build has no CUDA EP on this platform
    const library = new URL(
      `../../node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/libonnxruntime_providers_cuda.so`,
      import.meta.url,
    );
    expect(cuda.installed).toBe(existsSync(library));
    if (!cuda.installed) expect(cuda.hint).toMatch(/README/);
  });
});
