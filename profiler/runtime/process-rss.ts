import { readFile } from 'node:fs/promises';
import pidusage from 'pidusage';

/**
 * bytes: another process's resident set now (a trial child, sampled by its parent). Linux: VmRSS from
 * /proc/<pid>/status, opened and closed on each read. pidusage would read the same figure (stat's rss
 * × page size), but it keeps one descriptor per pid open and its clear() forgets them without closing:
 * a long-lived serve leaked one per trial. Elsewhere pidusage (ps, wmic) keeps none.
 */
export async function processRssBytes(pid: number): Promise<number> {
  if (process.platform !== 'linux') return (await pidusage(pid)).memory;
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`process ${pid} reports no VmRSS (a zombie, or gone)`);
  return Number(match[1]) * 1024;
}

/** Drop what pidusage remembers of sampled processes (its ps history), once a sampled process is gone. */
export function forgetSampledProcesses(): void {
  if (process.platform !== 'linux') pidusage.clear();
}
