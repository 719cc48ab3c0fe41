import type { DeviceTarget, RooflineBandwidth, SystemInfo } from '../api';
import { resolveTargets, targetsNeedThisMachine } from '../../common/analysis/device-targets';
import { environmentOf } from '../bench/run-trial';
import { hereMachine } from '../runtime/here-machine';
import { bandwidthForRoofline, memoryBandwidthCacheFile } from '../runtime/memory-bandwidth';

export interface HereTargetsDeps {
  dataDir: string;
  system: () => Promise<SystemInfo>;
  /** told when a measurement the caller did not ask for makes it wait (seconds) */
  notice?: (message: string) => void;
}

/**
 * This machine's memory bandwidth (the roofline's bound, cached in the data folder) and the device
 * targets resolved against it: one place for every method that judges a run or a model on targets.
 */
export function createHereTargets(deps: HereTargetsDeps) {
  /**
   * cached, else measured now (and cached); `measure` measures again whatever the cache holds;
   * `cachedOnly` never measures (the cached figure or 'not-measured')
   */
  async function bandwidth(
    measure = false,
    options: { cachedOnly?: boolean } = {},
  ): Promise<RooflineBandwidth> {
    const environment = environmentOf(await deps.system());
    return bandwidthForRoofline(deps.dataDir, environment, {
      measure,
      cachedOnly: !measure && (options.cachedOnly ?? false),
      ...(deps.notice && !measure
        ? {
            onMeasure: (what: string) =>
              deps.notice?.(
                `Measuring ${what} (a few seconds; cached in ${memoryBandwidthCacheFile(deps.dataDir)})…`,
              ),
          }
        : {}),
    });
  }

  return {
    bandwidth,

    /**
     * The targets named (ids or descriptions, in order), or every preset and this machine. This
     * machine's bandwidth is looked up (or measured) only when it is one of them; without a measured
     * bandwidth there is no this-machine target.
     */
    async resolve(specs: readonly string[] = []): Promise<DeviceTarget[]> {
      if (!targetsNeedThisMachine(specs)) return resolveTargets(specs);
      const measured = await bandwidth();
      return resolveTargets(
        specs,
        hereMachine(measured.status === 'measured' ? measured.bytesPerSecond : undefined),
      );
    },
  };
}
