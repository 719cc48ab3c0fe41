import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../onnx/test-fixtures';
import {
  cachedMemoryBandwidth,
  measureMemoryBandwidth,
  memoryBandwidthCacheFile,
  type MemoryBandwidth,
  type MemoryBandwidthOptions,
} from './memory-bandwidth';

const dir = useTempDir('memory-bandwidth-test-');

describe('measureMemoryBandwidth', () => {
  it('times a 16 MiB GEMV and removes its model files', async () => {
    const result = await measureMemoryBandwidth({ rows: 2048, cols: 2048, runs: 5, tempDir: dir.path });
    expect(Number.isFinite(result.bytesPerSecond)).toBe(true);
    expect(result.bytesPerSecond).toBeGreaterThan(1e8);
    expect(result.bytesPerSecond).toBeLessThan(1e12);
    expect(result.sampleSeconds).toHaveLength(5);
    expect(result.threads).toBeNull();
    expect(result.method).toBe(
      "onnxruntime MatMul GEMV over 16 MiB fp32 weights, onnxruntime's default threads, median of 5 runs",
    );
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('names a bad size', async () => {
    await expect(measureMemoryBandwidth({ rows: 0, tempDir: dir.path })).rejects.toThrow(
      /rows must be a positive integer, got 0/,
    );
  });
});

describe('cachedMemoryBandwidth', () => {
  /** A measurement stub that reports a different bandwidth on each call. */
  function stubMeasure() {
    let calls = 0;
    return vi.fn((options: MemoryBandwidthOptions): Promise<MemoryBandwidth> => {
      calls += 1;
      return Promise.resolve({
        bytesPerSecond: calls * 1e9,
        method: 'stub',
        threads: options.threads ?? null,
        sampleSeconds: [0.25],
      });
    });
  }

  it('measures once per key and then reads the cache', async () => {
    const measure = stubMeasure();
    const first = await cachedMemoryBandwidth(dir.path, 'cpu A|8|4|1.30.0', { threads: 4, measure });
    expect(first).toMatchObject({ bytesPerSecond: 1e9, threads: 4, fromCache: false });
    expect(measure).toHaveBeenCalledWith({ threads: 4 });

    const again = await cachedMemoryBandwidth(dir.path, 'cpu A|8|4|1.30.0', { threads: 4, measure });
    expect(again).toEqual({ ...first, fromCache: true });
    expect(measure).toHaveBeenCalledTimes(1);

    const otherKey = await cachedMemoryBandwidth(dir.path, 'cpu A|8|2|1.30.0', { threads: 2, measure });
    expect(otherKey).toMatchObject({ bytesPerSecond: 2e9, threads: 2, fromCache: false });
    expect(measure).toHaveBeenCalledTimes(2);

    // both keys stay, so alternating thread counts in a sweep do not measure again
    const back = await cachedMemoryBandwidth(dir.path, 'cpu A|8|4|1.30.0', { measure });
    expect(back).toMatchObject({ bytesPerSecond: 1e9, fromCache: true });
    expect(measure).toHaveBeenCalledTimes(2);
    // the temp file was renamed away
    expect(await readdir(path.join(dir.path, 'cache'))).toEqual(['memory-bandwidth.json']);
  });

  it('replaces a corrupt or foreign cache file', async () => {
    const file = memoryBandwidthCacheFile(dir.path);
    await mkdir(path.dirname(file), { recursive: true });
    for (const content of ['{"version": 1, "entries": {"k": ', '{"version": 1, "entries": {"k": {}}}']) {
      await writeFile(file, content);
      const measure = stubMeasure();
      const result = await cachedMemoryBandwidth(dir.path, 'k', { measure });
      expect(result).toMatchObject({ bytesPerSecond: 1e9, fromCache: false });
      expect(measure).toHaveBeenCalledTimes(1);
      const stored = JSON.parse(await readFile(file, 'utf8')) as { entries: Record<string, unknown> };
      expect(Object.keys(stored.entries)).toEqual(['k']);
    }
  });
});
