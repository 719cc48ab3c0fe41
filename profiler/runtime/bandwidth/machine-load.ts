import os from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * How much of the machine other programs used while we measured. A program that keeps a core busy for
 * the whole measurement slows every pass alike, so the passes agree and the spread rule alone would
 * accept a figure far below what the memory allows (seen here: 10.7 GB/s steady while other tests ran,
 * 27.6 GB/s on the quiet machine a minute later).
 */

/** A window opened now; calling it closes the window and returns the other programs' share (0…1). */
export type LoadWindow = () => number;

/** The largest share of all cores' time that other programs may use while a figure is measured. */
export const MAX_OTHER_LOAD = 0.1;

/** ms of CPU time all cores spent on anything but idle, as the OS counts it */
function machineBusyMs(): number {
  return os.cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

/** ms of CPU time this process (every thread: workers, onnxruntime's pool) has used */
function ownBusyMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** (machine busy − this process) ÷ (wall time × logical cores) over the window; clamped to 0…1. */
export function openLoadWindow(): LoadWindow {
  const cores = os.cpus().length;
  const startWallMs = performance.now();
  const startMachineMs = machineBusyMs();
  const startOwnMs = ownBusyMs();
  return () => {
    const wallMs = performance.now() - startWallMs;
    if (!(wallMs > 0) || cores === 0) return 0;
    const otherMs = machineBusyMs() - startMachineMs - (ownBusyMs() - startOwnMs);
    return Math.min(1, Math.max(0, otherMs / (wallMs * cores)));
  };
}
