import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ExecutionProvider, MeasuredEnvironment } from '../api';
import { useTempDir } from '../onnx/test/fixtures';
import { measureGemvBandwidth } from './bandwidth/gemv';
import type { FigureOutcome } from './bandwidth/steady-passes';
import { measureStreamingBandwidth } from './bandwidth/streaming-read';
import {
  bandwidthForRoofline,
  deviceBandwidth,
  memoryBandwidthCacheFile,
  REFUSAL_KEPT_MS,
  type BandwidthCacheFile,
} from './memory-bandwidth';

const dir = useTempDir('memory-bandwidth-test-');
const MiB = 1024 * 1024;

const environment: MeasuredEnvironment = {
  cpu: 'Test CPU',
  physicalCores: 2,
  logicalCores: 2,
  totalMemoryBytes: 8 * 1024 * MiB,
  os: 'Debian 12 (linux x64)',
  gpus: [],
  onnxruntimeVersion: '1.30.0',
  nodeVersion: '20.19.0',
  appVersion: 'test',
};
const kernel = '6.1.0-test';

/** Fake measurements: the streaming read at 30 GB/s, the GEMV at 20 GB/s, GPU GEMVs at 700 GB/s. */
function fakeMeasurers() {
  const figure = (bytesPerSecond: number, method: string): FigureOutcome => ({
    status: 'measured',
    figure: { bytesPerSecond, method, spread: 0.02, passSeconds: [0.1, 0.102] },
  });
  return {
    streaming: vi.fn(async () => figure(30e9, 'fake streaming read')),
    gemv: vi.fn(async (ep: ExecutionProvider) => figure(ep === 'cpu' ? 20e9 : 700e9, `fake GEMV on ${ep}`)),
  };
}

async function readCacheFile(dataDir: string): Promise<BandwidthCacheFile> {
  return JSON.parse(await readFile(memoryBandwidthCacheFile(dataDir), 'utf8')) as BandwidthCacheFile;
}

describe('bandwidthForRoofline on the CPU', () => {
  it('measures both figures once, then reads them from the cache', async () => {
    const measurers = fakeMeasurers();
    const first = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    expect(first).toEqual({
      status: 'measured',
      ep: 'cpu',
      bytesPerSecond: 30e9,
      method: 'fake streaming read',
      spread: 0.02,
      measuredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      kernel: { bytesPerSecond: 20e9, method: 'fake GEMV on cpu', spread: 0.02 },
      fromCache: false,
    });
    const again = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    expect(again).toEqual({ ...first, fromCache: true });
    expect(measurers.streaming).toHaveBeenCalledTimes(1);
    expect(measurers.gemv).toHaveBeenCalledTimes(1);
    // the file says when and how, with the pass times
    const entry = (await readCacheFile(dir.path)).entries.cpu;
    expect(entry).toMatchObject({
      status: 'measured',
      machine: { cpu: 'Test CPU', logicalCores: 2, kernel, onnxruntimeVersion: '1.30.0' },
      bound: { method: 'fake streaming read', passSeconds: [0.1, 0.102] },
      kernel: { method: 'fake GEMV on cpu' },
    });
  });

  it("uses onnxruntime's GEMV as the bound when it read faster than the streaming read", async () => {
    const measurers = fakeMeasurers();
    measurers.gemv.mockResolvedValue({
      status: 'measured',
      figure: { bytesPerSecond: 35e9, method: 'fake GEMV', spread: 0.01, passSeconds: [0.1] },
    });
    const result = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    expect(result).toMatchObject({ bytesPerSecond: 35e9, kernel: { bytesPerSecond: 35e9 } });
    expect(result.status === 'measured' && result.method).toMatch(
      /^fake GEMV \(faster than the streaming read/,
    );
  });

  it.each([
    ['onnxruntime', { onnxruntimeVersion: '1.31.0' }, kernel],
    ['CPU', { cpu: 'Other CPU' }, kernel],
    ['core count', { logicalCores: 4 }, kernel],
    ['total memory', { totalMemoryBytes: 16 * 1024 * MiB }, kernel],
    ['OS', { os: 'Debian 13 (linux x64)' }, kernel],
    ['kernel', {}, '6.12.0-test'],
  ])('measures again when the %s changed', async (_what, change, kernelNow) => {
    const measurers = fakeMeasurers();
    await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    const after = await bandwidthForRoofline(
      dir.path,
      { ...environment, ...change },
      { measurers, kernel: kernelNow },
    );
    expect(after).toMatchObject({ status: 'measured', fromCache: false });
    expect(measurers.streaming).toHaveBeenCalledTimes(2);
  });

  it('measures again on request', async () => {
    const measurers = fakeMeasurers();
    await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    const forced = await bandwidthForRoofline(dir.path, environment, { measurers, kernel, measure: true });
    expect(forced).toMatchObject({ status: 'measured', fromCache: false });
    expect(measurers.streaming).toHaveBeenCalledTimes(2);
  });

  it('measures again over a version 1 file, a corrupt one or a foreign one, and replaces it', async () => {
    const file = memoryBandwidthCacheFile(dir.path);
    await mkdir(path.dirname(file), { recursive: true });
    const versionOne = {
      version: 1,
      entries: {
        'Test CPU|2|default|1.30.0': {
          bytesPerSecond: 24.8e9,
          method: 'onnxruntime MatMul GEMV over 512 MiB fp32 weights',
          threads: null,
          sampleSeconds: [0.02],
          measuredAt: '2026-01-01T00:00:00.000Z',
        },
      },
    };
    for (const content of [
      JSON.stringify(versionOne),
      '{"version": 2, "entries": {"cpu": ',
      '{"version": 2, "entries": {"cpu": {}}}',
    ]) {
      await writeFile(file, content);
      const measurers = fakeMeasurers();
      const result = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
      expect(result).toMatchObject({ status: 'measured', bytesPerSecond: 30e9, fromCache: false });
      const stored = await readCacheFile(dir.path);
      expect(stored.version).toBe(2);
      expect(Object.keys(stored.entries)).toEqual(['cpu']);
    }
  });
});

describe('planning never measures', () => {
  it('cachedOnly reads a cached figure, and says "not measured yet" rather than measuring', async () => {
    const dataDir = path.join(dir.path, 'cached-only');
    const measurers = fakeMeasurers();
    const before = await bandwidthForRoofline(dataDir, environment, { measurers, kernel, cachedOnly: true });
    expect(before).toMatchObject({
      status: 'not-measured',
      reason: expect.stringMatching(/not measured yet/),
    });
    expect(measurers.streaming).not.toHaveBeenCalled();
    await bandwidthForRoofline(dataDir, environment, { measurers, kernel });
    const after = await bandwidthForRoofline(dataDir, environment, { measurers, kernel, cachedOnly: true });
    expect(after).toMatchObject({ status: 'measured', bytesPerSecond: 30e9, fromCache: true });
  });
});

describe('a noisy machine', () => {
  /** The real streaming measurement with a pass timer whose passes spread 25%. */
  function noisyStreaming() {
    return vi.fn(() =>
      measureStreamingBandwidth({
        plan: { workers: 2, bytesPerWorker: 8 * MiB, sizing: 'fake' },
        warmupPasses: 0,
        passes: 2,
        attempts: 3,
        timePass: (() => {
          let pass = 0;
          return async () => (pass++ % 2 === 0 ? 0.1 : 0.15);
        })(),
        noise: { openLoadWindow: () => () => 0 },
      }),
    );
  }

  it('is told why, and no number is cached', async () => {
    const measurers = { ...fakeMeasurers(), streaming: noisyStreaming() };
    const result = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    expect(result).toEqual({
      status: 'not-measured',
      ep: 'cpu',
      reason:
        'not measured: the machine was too noisy (spread 25% at best in 3 attempts; at most 10% is accepted)' +
        ' — run `edge-workbench system --measure-bandwidth` on a quiet machine',
    });
    expect(measurers.gemv).not.toHaveBeenCalled();
    const text = await readFile(memoryBandwidthCacheFile(dir.path), 'utf8');
    expect(text).not.toContain('bytesPerSecond');
    expect((await readCacheFile(dir.path)).entries.cpu).toMatchObject({ status: 'not-measured' });
  });

  it('is not measured again by every trial of a sweep, but is after a while or on request', async () => {
    const measurers = { ...fakeMeasurers(), streaming: noisyStreaming() };
    const start = Date.parse('2026-12-05T10:00:00.000Z');
    let nowMs = start;
    const options = { measurers, kernel, now: () => new Date(nowMs) };
    await bandwidthForRoofline(dir.path, environment, options);
    nowMs += 60_000;
    expect(await bandwidthForRoofline(dir.path, environment, options)).toMatchObject({
      status: 'not-measured',
    });
    expect(measurers.streaming).toHaveBeenCalledTimes(1);

    // the machine went quiet: a request measures now, and so does any trial once the refusal is old
    measurers.streaming = fakeMeasurers().streaming;
    expect(await bandwidthForRoofline(dir.path, environment, { ...options, measure: true })).toMatchObject({
      status: 'measured',
      fromCache: false,
    });
    const noisyAgain = { ...options, measurers: { ...measurers, streaming: noisyStreaming() } };
    await bandwidthForRoofline(dir.path, environment, { ...noisyAgain, measure: true });
    nowMs += REFUSAL_KEPT_MS + 1;
    const quiet = { ...options, measurers: fakeMeasurers() };
    expect(await bandwidthForRoofline(dir.path, environment, quiet)).toMatchObject({
      status: 'measured',
      fromCache: false,
    });
  });

  it('is refused when the GEMV beside the bound is noisy too', async () => {
    const measurers = fakeMeasurers();
    measurers.gemv.mockResolvedValue({
      status: 'not-measured',
      reason: 'not measured: the machine was too noisy (…)',
    });
    const result = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    expect(result).toMatchObject({ status: 'not-measured', reason: expect.stringContaining('too noisy') });
  });
});

describe('GPU execution providers', () => {
  const gpus = ['webgpu', 'cuda', 'dml', 'coreml'] as const;

  it('never get the CPU figure: a GEMV on the device, cached under its own name, or not measured', async () => {
    const measurers = fakeMeasurers();
    const cpu = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    expect(cpu).toMatchObject({ status: 'measured', bytesPerSecond: 30e9 });
    for (const ep of gpus) {
      const result = await bandwidthForRoofline(dir.path, environment, { ep, measurers, kernel });
      if (result.status === 'measured') {
        // this onnxruntime-node has the provider: the (fake) GEMV ran on it
        expect(result).toMatchObject({ ep, bytesPerSecond: 700e9, method: `fake GEMV on ${ep}` });
        expect(result.kernel).toBeUndefined();
        expect((await readCacheFile(dir.path)).entries[ep]).toMatchObject({ status: 'measured' });
      } else {
        expect(result.reason).toMatch(new RegExp(`^not measured for this provider: ${ep}`));
      }
    }
    expect(measurers.streaming).toHaveBeenCalledTimes(1);
    expect(measurers.gemv.mock.calls.filter(([ep]) => ep === 'cpu')).toHaveLength(1);
  });

  it('are "not measured for this provider" when the GEMV cannot run there', async () => {
    const measurers = fakeMeasurers();
    await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    measurers.gemv.mockRejectedValue(new Error('Failed to get a WebGPU adapter: No supported adapters'));
    for (const ep of gpus) {
      const result = await deviceBandwidth(dir.path, environment, ep, { measurers, kernel });
      expect(result.status).toBe('not-measured');
      expect(result.status === 'not-measured' && result.reason).toMatch(/^not measured for this provider: /);
    }
    // the CPU's entry is untouched
    expect(await bandwidthForRoofline(dir.path, environment, { measurers, kernel })).toMatchObject({
      bytesPerSecond: 30e9,
      fromCache: true,
    });
  });

  it('measure the GEMV with the real onnxruntime when it runs there, or say why not', async () => {
    // webgpu is bundled with onnxruntime-node; without a GPU adapter (CI, this VM) it cannot run
    const gemv = (ep: ExecutionProvider) =>
      measureGemvBandwidth({ ep, rows: 1024, cols: 1024, runs: 3, attempts: 1, tempDir: dir.path });
    const result = await deviceBandwidth(dir.path, environment, 'webgpu', { measurers: { gemv }, kernel });
    if (result.status === 'measured') expect(result.method).toMatch(/GEMV .* on webgpu/);
    else expect(result.reason).toMatch(/^not measured for this provider: /);
  });
});

describe('a small real measurement', () => {
  it('produces the streaming figure and the GEMV beside it, each labelled', async () => {
    const lenient = { maxSpread: Number.POSITIVE_INFINITY, maxOtherLoad: 1 };
    const measurers = {
      streaming: () =>
        measureStreamingBandwidth({
          plan: { workers: 2, bytesPerWorker: 16 * MiB, sizing: '2 workers × 16 MiB' },
          passes: 3,
          attempts: 1,
          noise: lenient,
        }),
      gemv: (ep: ExecutionProvider) =>
        measureGemvBandwidth({
          ep,
          rows: 2048,
          cols: 2048,
          runs: 5,
          attempts: 1,
          tempDir: dir.path,
          noise: lenient,
        }),
    };
    const result = await bandwidthForRoofline(dir.path, environment, { measurers, kernel });
    if (result.status !== 'measured') throw new Error(result.reason);
    expect(result.method).toMatch(
      /^(streaming read on every core: 2 workers × 16 MiB|onnxruntime MatMul GEMV)/,
    );
    expect(result.kernel?.method).toMatch(/^onnxruntime MatMul GEMV over 16 MiB fp32 weights on cpu/);
    // the bound is never below what onnxruntime's kernel reached
    expect(result.bytesPerSecond).toBeGreaterThanOrEqual(result.kernel?.bytesPerSecond ?? Infinity);
  });
});
