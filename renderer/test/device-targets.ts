import type { DeviceTarget, FitVerdict, RunAnalysis } from '../../profiler/api';

/** Device targets and what analyzeRun answers for them, for the Targets tests. */

const GB = 1e9; // bytes

export function deviceTarget(id: string, extra: Partial<DeviceTarget> = {}): DeviceTarget {
  return {
    id,
    name: `Device ${id}`,
    kind: 'preset',
    totalMemoryBytes: 8 * GB,
    reservedMemoryBytes: 2 * GB,
    memoryBytes: 6 * GB,
    memoryNote: 'reserve 25%',
    bandwidthBytesPerSecond: 17 * GB,
    bandwidthBasis: 'nominal',
    source: 'data sheet',
    notes: '',
    ...extra,
  };
}

export function fitVerdict(target: DeviceTarget, extra: Partial<FitVerdict> = {}): FitVerdict {
  const projected = target.kind !== 'this-machine';
  return {
    targetId: target.id,
    targetName: target.name,
    trialLabel: 'tiny int4',
    ranOnTarget: !projected,
    memory: {
      needBytes: 3 * GB,
      budgetBytes: target.memoryBytes,
      shareOfBudget: (3 * GB) / target.memoryBytes,
      fit: 'fits',
      source: 'peak-rss',
      projected: false,
      basis: 'peak RSS measured here',
    },
    decode: {
      measuredTokensPerSecond: 40,
      tokensPerSecond: projected ? 12.5 : 40,
      bandwidthRatio: projected ? 0.3 : 1,
      projected,
      basis: projected ? 'scaled by bandwidth ratio' : 'measured here',
    },
    ttft: { measuredMs: 200, promptTokens: 128, ms: 200, projected: false, basis: 'measured here' },
    latency: { status: 'no-goal', decode: 'no-goal', ttft: 'no-goal', reasons: [] },
    ...extra,
  };
}

export function runAnalysis(runId: string, targets: DeviceTarget[]): RunAnalysis {
  return {
    runId,
    targets,
    goal: {},
    contextsTokens: [512, 2048],
    kvPressure: [
      {
        label: 'tiny int4',
        kvDtype: 'float16',
        bytesPerToken: 16384,
        weightsBytes: 2 * GB,
        overheadBytes: 0.5 * GB,
        modelMaxContextTokens: 32768,
        contexts: [],
        targets: targets.map((target) => ({
          targetId: target.id,
          targetName: target.name,
          memoryBytes: target.memoryBytes,
          kvRoomBytes: target.memoryBytes - 2.5 * GB,
          maxContextTokens: 32768,
          limitedBy: 'model-max-context' as const,
          kvShareOfDecodeBytesAtMax: 0.2,
          perContext: [],
        })),
        basis: 'weights measured',
      },
    ],
    decodeSlowdown: [],
    verdicts: [
      {
        key: 't1',
        label: 'ui-tiny · int4 · ctx 512 · pp16+tg8 @ d488 · cpu',
        title: '/home/me/models/ui-tiny · int4 · ctx 512 · pp16+tg8 @ d488 · cpu',
        verdicts: targets.map((target, index) =>
          fitVerdict(target, index === 1 ? { memory: { ...fitVerdict(target).memory, fit: 'tight' } } : {}),
        ),
      },
    ],
    tradeoff: { points: [], accuracy: [], basis: '' },
    hereBandwidthsBytesPerSecond: [50 * GB],
    projectionBasis: 'Decode speed scales with memory bandwidth.',
  };
}
