import os from 'node:os';
import type { HereMachine } from '../../common/analysis/device-targets';

/**
 * This machine as a device target needs it: the bandwidth measured here (bytes/s) and the RAM the OS
 * reports. Undefined when the bandwidth could not be measured: there is no this-machine target then.
 */
export function hereMachine(measuredBandwidthBytesPerSecond: number | undefined): HereMachine | undefined {
  return measuredBandwidthBytesPerSecond === undefined
    ? undefined
    : { bandwidthBytesPerSecond: measuredBandwidthBytesPerSecond, totalMemoryBytes: os.totalmem() };
}
