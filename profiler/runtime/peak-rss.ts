import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The calling process's own peak resident set. getrusage's maxRSS will not do on Linux: a forked
 * child starts with its parent's high-water mark and keeps it across exec (a trial launched by a
 * parent holding 1.5 GiB reported 1,517 MiB while its own timeline topped out at 528 MiB). Linux's
 * VmHWM (/proc/self/status) is the process's own — reset at exec, and on demand by writing 5 to
 * /proc/self/clear_refs (for hosts that fork without exec, like a zygote). macOS and Windows report a
 * per-process peak through getrusage (ru_maxrss on macOS, PeakWorkingSetSize on Windows).
 */

export interface PeakRss {
  bytes: number;
  /** 'VmHWM' (Linux) or 'maxRSS' (getrusage) */
  source: 'VmHWM' | 'maxRSS';
}

/** Start counting the peak from now (Linux); a no-op where the kernel does not offer it. */
export function resetPeakRss(): void {
  if (process.platform !== 'linux') return;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // kernels before 4.0 or a locked-down /proc: VmHWM then counts from exec, which is still ours
  }
}

/** VmHWM from a /proc/<pid>/status text, bytes; undefined when absent. */
export function vmHwmBytes(statusText: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : undefined;
}

export function readPeakRss(): PeakRss {
  if (process.platform === 'linux') {
    try {
      const bytes = vmHwmBytes(readFileSync('/proc/self/status', 'utf8'));
      if (bytes !== undefined) return { bytes, source: 'VmHWM' };
    } catch {
      // no /proc: fall through to getrusage
    }
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' }; // maxRSS is KiB
}
