import { vi } from 'vitest';
import type { AgentInfo, CatalogSummary, Fit, PlannedTrial, SystemInfo } from '../../../profiler/api';
import type { QuantPresetName } from '../../../common/preset-names';
import type { WorkbenchBackend } from '../backend/workbench-backend';
import type { SweepPlanResult } from './builder-store';

/** Test data for the run builder's store and view tests: planned trials, a catalog card, a fake engine. */

const GiB = 2 ** 30;

export function plannedTrial(
  quant: QuantPresetName,
  peakBytes: number,
  fit: Fit,
  seconds = 30,
): PlannedTrial {
  return {
    key: `key-${quant}-${peakBytes}`,
    spec: {
      model: { kind: 'catalog', id: 'mobilellm-r1-140m', overrides: {}, style: 'fused', seed: 0 },
      quant,
      contextTokens: 2048,
      promptTokens: 128,
      generateTokens: 64,
      depthTokens: 1856,
      depthSource: 'context',
      fill: 'synthetic',
      kvBuffer: 'auto',
      promptSeed: 0,
      ep: 'cpu',
      graphOptimizationLevel: 'all',
      enableCpuMemArena: true,
      enableMemPattern: true,
      sessionConfig: {},
      warmupRuns: 1,
      repetitions: 5,
      profileOps: false,
      timeLimitSeconds: 900,
    },
    estimate: {
      weightsBytes: peakBytes / 2,
      kvBytes: peakBytes / 4,
      overheadBytes: peakBytes / 4,
      peakBytes,
      seconds,
      fit,
      basis: 'estimated (test)',
    },
  };
}

/** Two trials, fp32 over a 1 GiB budget and int4 under it: 90 s in all, max peak 1.5 GiB. */
export const budgetPlan: SweepPlanResult = {
  trials: [plannedTrial('fp32', 1.5 * GiB, 'will-not-fit', 60), plannedTrial('int4', 0.25 * GiB, 'fits', 30)],
  contradictions: [],
};

const score = { percent: null, source: 'not published' };
export const catalogCard: CatalogSummary = {
  id: 'mobilellm-r1-140m',
  displayName: 'MobileLLM-R1-140M',
  family: 'MobileLLM-R1',
  hfRepo: 'facebook/MobileLLM-R1-140M',
  parameters: 140_248_512,
  layers: 15,
  hiddenSize: 576,
  heads: 9,
  kvHeads: 3,
  headDim: 64,
  vocabSize: 128_256,
  tiedEmbeddings: true,
  baseContextTokens: 4096,
  postTrainedContextTokens: 32768,
  maxContextTokens: 32768,
  kvBytesPerTokenFloat16: 11_520,
  kvBytesPerTokenFloat32: 23_040,
  scores: {
    math500: { percent: 6.2, source: 'model card' },
    gsm8k: score,
    aime24: score,
    aime25: score,
    liveCodeBenchV6: score,
  },
  blockWeightSharingNote: 'The catalog therefore defaults to no sharing.',
};

export const systemInfo = {
  onnxruntime: {
    version: '1.30.0',
    backends: [
      { name: 'cpu', bundled: true, installed: true },
      { name: 'webgpu', bundled: true, installed: true },
      {
        name: 'cuda',
        bundled: false,
        installed: false,
        hint: 'Install the CUDA 12 provider: npm run ort:cuda',
      },
    ],
  },
  os: { platform: 'linux', arch: 'x64', distro: 'Ubuntu', release: '24.04', kernel: '6.8' },
  memory: { totalBytes: 16 * GiB },
} as unknown as SystemInfo;

/** A fake engine: every method the builder uses, as vi.fn()s to assert on. */
export function fakeBackend(plan: SweepPlanResult = budgetPlan) {
  return {
    kind: 'socket' as const,
    location: 'test',
    catalog: vi.fn(async () => [catalogCard]),
    system: vi.fn(async () => systemInfo),
    planSweep: vi.fn(async () => plan),
    startSweep: vi.fn(async () => ({ runId: 'run-1', trials: plan.trials.length })),
    loadRun: vi.fn(async () => ({ status: 'running', plan: plan.trials, trials: [], skipped: [] })),
    onEvent: vi.fn(() => () => {}),
    listAgents: vi.fn(async (): Promise<AgentInfo[]> => []),
  };
}

/** An online agent, as listAgents answers: a board with 8 GiB and only the CPU provider. */
export const boardAgent: AgentInfo = {
  id: 'agent-pi',
  name: 'raspberry-pi-5',
  url: 'http://192.168.1.40:7420',
  state: 'online',
  message: null,
  retryInMs: null,
  system: {
    ...systemInfo,
    onnxruntime: { version: '1.30.0', backends: [{ name: 'cpu', bundled: true, installed: true }] },
    memory: { totalBytes: 8 * GiB },
  },
  runningRunId: null,
  copiedRuns: 0,
  lastSeenAt: null,
};

export function asBackend(fake: ReturnType<typeof fakeBackend>): WorkbenchBackend {
  // only the methods above are called by the builder and the live store's follow()
  return fake as unknown as WorkbenchBackend;
}
