import { describe, expect, it } from 'vitest';
import { formatBandwidth } from './system-command';

describe('formatBandwidth', () => {
  it("prints the bound and onnxruntime's kernel beside it, labelled, with how and when", () => {
    const text = formatBandwidth({
      status: 'measured',
      ep: 'cpu',
      bytesPerSecond: 27.6e9,
      method: 'streaming read on every core: 2 workers × 1920 MiB',
      spread: 0.01,
      measuredAt: '2026-12-05T19:50:00.000Z',
      kernel: { bytesPerSecond: 26.5e9, method: 'onnxruntime MatMul GEMV over 512 MiB', spread: 0.03 },
      fromCache: false,
    });
    expect(text.split('\n')).toEqual([
      "bandwidth        27.6 GB/s: memory read bandwidth, the roofline's bound",
      '  how            streaming read on every core: 2 workers × 1920 MiB',
      "kernel           26.5 GB/s: what onnxruntime's own kernel reaches here",
      '  how            onnxruntime MatMul GEMV over 512 MiB',
      'measured         2026-12-05T19:50:00.000Z',
    ]);
  });

  it('says why a figure is missing, per provider', () => {
    expect(
      formatBandwidth({
        status: 'not-measured',
        ep: 'webgpu',
        reason: 'not measured for this provider: no adapter',
      }),
    ).toBe('bandwidth (webgpu)  not measured for this provider: no adapter');
  });
});
