import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../onnx/test/fixtures';
import { measureGemvBandwidth } from './gemv';

const dir = useTempDir('gemv-bandwidth-test-');

describe('measureGemvBandwidth', () => {
  it('times a 16 MiB GEMV on the CPU and removes its model files', async () => {
    const outcome = await measureGemvBandwidth({
      rows: 2048,
      cols: 2048,
      runs: 5,
      attempts: 1,
      tempDir: dir.path,
      noise: { maxSpread: Number.POSITIVE_INFINITY, maxOtherLoad: 1 },
    });
    if (outcome.status !== 'measured') throw new Error(outcome.reason);
    expect(outcome.figure.bytesPerSecond).toBeGreaterThan(1e8);
    expect(outcome.figure.bytesPerSecond).toBeLessThan(1e13);
    expect(outcome.figure.passSeconds).toHaveLength(5);
    expect(outcome.figure.method).toMatch(
      /^onnxruntime MatMul GEMV over 16 MiB fp32 weights on cpu, onnxruntime's default threads; best of 5 runs, spread \d/,
    );
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('names a bad size', async () => {
    await expect(measureGemvBandwidth({ rows: 0, tempDir: dir.path })).rejects.toThrow(
      /rows must be a positive integer, got 0/,
    );
  });
});
