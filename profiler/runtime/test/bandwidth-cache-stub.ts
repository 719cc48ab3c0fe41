import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MeasuredEnvironment } from '../../api';
import {
  BANDWIDTH_CACHE_VERSION,
  bandwidthMachineOf,
  memoryBandwidthCacheFile,
  type BandwidthCacheFile,
} from '../memory-bandwidth';

/** A measured-looking cpu entry: the streaming figure and a GEMV beside it (bytes/s). */
export interface StubBandwidth {
  bytesPerSecond: number;
  kernelBytesPerSecond?: number;
  measuredAt?: string;
}

/**
 * Writes `<dataDir>/cache/memory-bandwidth.json` holding a cpu entry for this machine state, so tests of
 * commands and the engine never wait seconds for a real measurement. Test-only: never imported by the
 * product.
 */
export function writeBandwidthCacheStub(
  dataDir: string,
  environment: MeasuredEnvironment,
  stub: StubBandwidth,
): void {
  const figure = (bytesPerSecond: number, method: string) => ({
    bytesPerSecond,
    method,
    spread: 0.01,
    passSeconds: [0.1],
  });
  const cache: BandwidthCacheFile = {
    version: BANDWIDTH_CACHE_VERSION,
    entries: {
      cpu: {
        status: 'measured',
        machine: bandwidthMachineOf(environment),
        measuredAt: stub.measuredAt ?? '2025-06-02T09:00:00.000Z',
        bound: figure(stub.bytesPerSecond, 'test stub streaming read'),
        kernel: figure(stub.kernelBytesPerSecond ?? stub.bytesPerSecond / 2, 'test stub GEMV'),
      },
    },
  };
  const file = memoryBandwidthCacheFile(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(cache));
}
