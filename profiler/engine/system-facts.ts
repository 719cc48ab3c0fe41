import type { SystemInfo } from '../api';

export interface SystemFacts {
  /** the facts probed last (probing once, the first time); never waits for a refresh in flight */
  get(): Promise<SystemInfo>;
  /** probe again and keep the answer; callers asking at the same time share one probe */
  refresh(): Promise<SystemInfo>;
}

/**
 * This machine's hardware facts, probed once and kept. A probe costs a few hundred ms of subprocesses
 * (systeminformation reads lspci, dmidecode…) and the hardware does not change under a running engine,
 * so a hundred clients asking at once share one probe instead of queueing a hundred on a small board's
 * cores. A refresh (the System screen's button) probes again while every other caller keeps getting the
 * facts already known, so one slow probe holds nobody up. A failed probe is not kept: the next call
 * tries again.
 */
export function createSystemFacts(probe: () => Promise<SystemInfo>): SystemFacts {
  let known: Promise<SystemInfo> | undefined;
  let refreshing: Promise<SystemInfo> | undefined;

  function probeAndKeep(): Promise<SystemInfo> {
    const probed = probe();
    probed.catch(() => {
      if (known === probed) known = undefined;
    });
    return probed;
  }

  return {
    get: () => (known ??= probeAndKeep()),
    refresh: () =>
      (refreshing ??= probe()
        .then((info) => {
          known = Promise.resolve(info);
          return info;
        })
        .finally(() => (refreshing = undefined))),
  };
}
