import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { SystemInfo } from '../../api';
import { probeSystem } from '../../runtime/system-probe';
import { forkTrialLauncher } from '../fork-trial-host';
import type { RunTrialDeps } from '../run-trial';

/** What runTrial tests share: a throwaway data folder, this machine's facts (probed once), a fixed bandwidth. */

/** Small enough to build and run in a second, with every architectural switch of the family intact. */
export const tiny = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 128,
};

/** the roofline's bandwidth is measured once per machine (memory-bandwidth tests cover it) */
export const FIXED_BANDWIDTH = {
  status: 'measured',
  ep: 'cpu',
  bytesPerSecond: 10e9,
  method: 'fixed for tests',
  spread: 0,
  measuredAt: '2026-12-05T00:00:00.000Z',
  fromCache: true,
} as const;

/** A data folder removed after the test file. */
export function useTrialDataDir(): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-trial-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

let systemInfo: Promise<SystemInfo> | undefined;

export function trialDeps(dataDir: string, extra: Partial<RunTrialDeps> = {}): RunTrialDeps {
  return {
    launcher: forkTrialLauncher(),
    dataDir,
    system: () =>
      (systemInfo ??= probeSystem({
        appName: 'Edge LLM Workbench',
        appVersion: 'test',
        host: 'cli',
        dataDir,
      })),
    bandwidth: async (ep) => ({ ...FIXED_BANDWIDTH, ep }),
    ...extra,
  };
}

export const catalogModel = (id: string, style: 'fused' | 'standard' = 'fused', overrides = tiny) => ({
  kind: 'catalog' as const,
  id,
  overrides,
  style,
});
