import {
  DeviceTargetSchema,
  RunAnalysisSchema,
  type DeviceTarget,
  type FitVerdict,
  type GoalStatus,
  type KvPressureReport,
  type LatencyGoal,
  type RunAnalysis,
  type RunDocument,
  type TradeoffPoint,
  type TrialResult,
} from '../../api';
import { FIXTURE_ENVIRONMENT, exampleRunDocument } from './test-fixtures';

/**
 * A run analysis of exampleRunDocument() as plain data, for the exporters' tests and the HTML report's
 * browser story (profiler/store may not import profiler/bench, where analyzeRun lives). The arithmetic
 * follows analyzeRun's; profiler/bench/run-analysis.test.ts checks that both agree on every number the
 * reports show. Beyond what the example run measured, it adds one decode-slowdown line and a measured
 * int4 quality (KL), so every part of the sections has something to render.
 */

const GiB = 2 ** 30; // bytes
const HERE_BANDWIDTH = 61.4e9; // bytes/s, the example trials' roofline bandwidth
const STANDARD_CONTEXTS = [512, 1024, 2048, 4096, 8192, 16384, 32768]; // tokens

function target(fields: Omit<DeviceTarget, 'memoryBytes'> & { memoryBytes?: number }): DeviceTarget {
  return DeviceTargetSchema.parse({
    ...fields,
    memoryBytes: fields.memoryBytes ?? fields.totalMemoryBytes - fields.reservedMemoryBytes,
  });
}

/** Two presets, a custom board (its name is the caller's: escaping tests make it hostile) and this machine. */
export function fixtureTargets(customName = 'Test board'): DeviceTarget[] {
  return [
    target({
      id: 'phone-4gb',
      name: 'Phone, 4 GB RAM (LPDDR4X, entry class)',
      kind: 'preset',
      totalMemoryBytes: 4 * GiB,
      reservedMemoryBytes: 2 * GiB,
      memoryNote: 'budget = 50% of RAM',
      bandwidthBytesPerSecond: 4266e6 * 4,
      bandwidthBasis: 'nominal',
      source: 'LPDDR4X at 4266 MT/s on a 32-bit bus = 17.1 GB/s',
      notes: 'Bandwidth is nominal.',
    }),
    target({
      id: 'raspberry-pi-5-8gb',
      name: 'Raspberry Pi 5, 8 GB',
      kind: 'preset',
      totalMemoryBytes: 8 * GiB,
      reservedMemoryBytes: GiB,
      memoryNote: 'budget = RAM − 1 GiB',
      bandwidthBytesPerSecond: 4267e6 * 4,
      bandwidthBasis: 'nominal',
      source: 'Raspberry Pi 5 product brief',
      notes: 'Bandwidth is nominal.',
    }),
    target({
      id: 'board',
      name: customName,
      kind: 'custom',
      totalMemoryBytes: 1e9,
      reservedMemoryBytes: 0.4e9,
      memoryNote: 'budget = 600MB, as given',
      bandwidthBytesPerSecond: 100e9,
      bandwidthBasis: 'user',
      source: `given by the user: name=${customName},ram=1GB,bandwidth=100GB/s,budget=600MB`,
      notes: 'Figures as given.',
    }),
    target({
      id: 'this-machine',
      name: 'This machine',
      kind: 'this-machine',
      totalMemoryBytes: FIXTURE_ENVIRONMENT.totalMemoryBytes,
      reservedMemoryBytes: Math.round(0.2 * FIXTURE_ENVIRONMENT.totalMemoryBytes),
      memoryNote: 'budget = RAM − max(2 GiB, 20% of RAM)',
      bandwidthBytesPerSecond: HERE_BANDWIDTH,
      bandwidthBasis: 'measured',
      source: 'RAM from the OS; bandwidth measured here',
      notes: 'Measured bandwidth is sustained.',
    }),
  ];
}

/**
 * decode ≥ 100 tok/s and TTFT ≤ 1000 ms at a 1024-token prompt: here int4 meets both and fp32 misses
 * the decode part; on the phone both miss; on the fast custom board int4's projected decode meets it,
 * but TTFT cannot be judged there, so its goal is unknown.
 */
export const FIXTURE_GOAL: LatencyGoal = {
  minDecodeTokensPerSecond: 100,
  maxTtftMs: 1000,
  ttftPromptTokens: 1024,
};

type OkResult = TrialResult & {
  summary: NonNullable<TrialResult['summary']>;
  model: NonNullable<TrialResult['model']>;
  kvCache: NonNullable<TrialResult['kvCache']>;
  peakRssBytes: number;
};

function okTrials(doc: RunDocument): { key: string; result: OkResult }[] {
  return doc.trials.flatMap(({ key, result }) =>
    result.status === 'ok' ? [{ key, result: result as OkResult }] : [],
  );
}

const labelOf = (result: TrialResult): string => {
  const { spec } = result;
  const id = spec.model.kind === 'catalog' ? `${spec.model.id} ${spec.model.style}` : spec.model.path;
  return (
    `${id} ${spec.quant} ctx ${spec.contextTokens} depth ${spec.depthTokens} P ${spec.promptTokens} ` +
    `G ${spec.generateTokens} ${spec.ep}${spec.threads ? ` ${spec.threads} threads` : ''}`
  );
};

function status(
  value: number | null,
  goal: number | undefined,
  meets: (value: number) => boolean,
): GoalStatus {
  if (goal === undefined) return 'no-goal';
  if (value === null) return 'unknown';
  return meets(value) ? 'meets' : 'misses';
}

function verdict(result: OkResult, on: DeviceTarget, goal: LatencyGoal): FitVerdict {
  const ranOnTarget =
    on.kind === 'this-machine' && on.totalMemoryBytes === result.environment.totalMemoryBytes;
  const needBytes =
    result.peakRssBytes +
    Math.max(0, result.spec.contextTokens - result.kvCache.tokens) * result.kvCache.bytesPerToken;
  const share = needBytes / on.memoryBytes;
  const measured = result.summary.decodeTokensPerSecond.median;
  const ratio = on.bandwidthBytesPerSecond / HERE_BANDWIDTH;
  const tokensPerSecond = ranOnTarget ? measured : measured * ratio;
  const promptTokens = goal.ttftPromptTokens ?? result.spec.promptTokens;
  const ttftMs = (result.summary.ttftMs.median * promptTokens) / result.spec.promptTokens;
  const decodeStatus = status(
    tokensPerSecond,
    goal.minDecodeTokensPerSecond,
    (v) => v >= goal.minDecodeTokensPerSecond!,
  );
  const ttftHere = status(ttftMs, goal.maxTtftMs, (v) => v <= goal.maxTtftMs!);
  const ttftStatus: GoalStatus = ttftHere === 'no-goal' || ranOnTarget ? ttftHere : 'unknown';
  const statuses = [decodeStatus, ttftStatus].filter((s) => s !== 'no-goal');
  const overall: GoalStatus = statuses.includes('misses')
    ? 'misses'
    : statuses.length === 0
      ? 'no-goal'
      : statuses.every((s) => s === 'meets')
        ? 'meets'
        : 'unknown';
  return {
    targetId: on.id,
    targetName: on.name,
    trialLabel: labelOf(result),
    ranOnTarget,
    memory: {
      needBytes,
      budgetBytes: on.memoryBytes,
      shareOfBudget: share,
      fit: share > 1 ? 'does-not-fit' : share > 0.8 ? 'tight' : 'fits',
      source: 'peak-rss',
      projected: !ranOnTarget,
      basis: 'peak RSS measured here plus the KV cache of the context the trial did not fill',
    },
    decode: {
      measuredTokensPerSecond: measured,
      tokensPerSecond,
      bandwidthRatio: ranOnTarget ? 1 : ratio,
      projected: !ranOnTarget,
      basis: ranOnTarget
        ? 'measured on this machine'
        : `projected: scaled by bandwidth ratio ${ratio.toFixed(3)}`,
    },
    ttft: {
      measuredMs: result.summary.ttftMs.median,
      promptTokens,
      ms: ttftMs,
      projected: false,
      basis: `measured here at a ${result.spec.promptTokens}-token prompt, scaled linearly to ${promptTokens} tokens`,
    },
    latency: { status: overall, decode: decodeStatus, ttft: ttftStatus, reasons: [] },
  };
}

function kvReport(result: OkResult, targets: readonly DeviceTarget[]): KvPressureReport {
  const { model, kvCache } = result;
  const overheadBytes = result.peakRssBytes - model.weightsBytes - kvCache.exactBytes;
  const kvAt = (tokens: number) => tokens * kvCache.bytesPerToken;
  const maxContext = model.maxContextTokens ?? Infinity;
  return {
    label: `${result.spec.model.kind === 'catalog' ? `${result.spec.model.id} ${result.spec.model.style}` : ''} ${result.spec.quant}`,
    kvDtype: 'float32',
    bytesPerToken: kvCache.bytesPerToken,
    weightsBytes: model.weightsBytes,
    overheadBytes,
    modelMaxContextTokens: model.maxContextTokens,
    contexts: STANDARD_CONTEXTS.map((contextTokens) => ({
      contextTokens,
      kvBytes: kvAt(contextTokens),
      kvShareOfDecodeBytes: kvAt(contextTokens) / (model.weightsBytes + kvAt(contextTokens)),
      beyondModelMax: contextTokens > maxContext,
    })),
    targets: targets.map((on) => {
      const kvRoomBytes = on.memoryBytes - model.weightsBytes - overheadBytes;
      const byMemory = Math.max(0, Math.floor(kvRoomBytes / kvCache.bytesPerToken));
      const limitedBy =
        kvRoomBytes < 0 ? 'weights-do-not-fit' : byMemory >= maxContext ? 'model-max-context' : 'memory';
      const maxContextTokens =
        limitedBy === 'model-max-context' ? maxContext : kvRoomBytes < 0 ? 0 : byMemory;
      return {
        targetId: on.id,
        targetName: on.name,
        memoryBytes: on.memoryBytes,
        kvRoomBytes,
        maxContextTokens,
        limitedBy,
        kvShareOfDecodeBytesAtMax:
          maxContextTokens > 0
            ? kvAt(maxContextTokens) / (model.weightsBytes + kvAt(maxContextTokens))
            : null,
        perContext: STANDARD_CONTEXTS.map((contextTokens) => {
          const totalBytes = model.weightsBytes + overheadBytes + kvAt(contextTokens);
          return {
            contextTokens,
            kvShareOfBudget: kvAt(contextTokens) / on.memoryBytes,
            totalShareOfBudget: totalBytes / on.memoryBytes,
            fits: totalBytes <= on.memoryBytes,
          };
        }),
      };
    }),
    basis: 'weights measured (initializer bytes); overhead = peak RSS − weights − KV bytes, measured here',
  };
}

export interface AnalysisFixtureOptions {
  /** the custom target's name */
  customTargetName?: string;
  /** the int4 point's published-score source, e.g. hostile text */
  scoreSource?: string;
}

/** The analysis of `doc` (default: exampleRunDocument()), against fixtureTargets() and FIXTURE_GOAL. */
export function exampleRunAnalysis(
  options: AnalysisFixtureOptions = {},
  doc: RunDocument = exampleRunDocument(),
): RunAnalysis {
  const targets = fixtureTargets(options.customTargetName);
  const trials = okTrials(doc);
  const points: TradeoffPoint[] = trials.map(({ key, result }) => {
    const { spec } = result;
    const reference = spec.quant === 'fp32';
    return {
      key,
      label: labelOf(result),
      modelKey: `${spec.model.kind === 'catalog' ? spec.model.id : ''} fused`,
      quant: spec.quant,
      kvDtype: spec.kvDtype ?? null,
      contextTokens: spec.contextTokens,
      depthTokens: spec.depthTokens,
      promptTokens: spec.promptTokens,
      generateTokens: spec.generateTokens,
      ep: spec.ep,
      threads: spec.threads ?? null,
      decodeTokensPerSecond: result.summary.decodeTokensPerSecond.median,
      memoryBytes: result.peakRssBytes,
      // the int4 quality is as if the run had measured it (the example run did not)
      quality: reference
        ? { klMean: 0, top1Agreement: 1, source: 'reference' }
        : { klMean: 0.0213, top1Agreement: 0.941, source: 'measured' },
      workload: `depth ${spec.depthTokens}, prompt ${spec.promptTokens}, generate ${spec.generateTokens}`,
      // int4 is faster and smaller, fp32 exact: neither dominates the other
      paretoOptimal: true,
      dominatedBy: [],
    };
  });
  return RunAnalysisSchema.parse({
    runId: doc.id,
    targets,
    goal: FIXTURE_GOAL,
    contextsTokens: STANDARD_CONTEXTS,
    kvPressure: trials.map(({ result }) => kvReport(result, targets)),
    decodeSlowdown: [
      {
        label: 'mobilellm-r1-140m fused int4 ctx 4096 P 128 G 64 cpu 8 threads',
        points: [
          { depthTokens: 0, perTokenMs: 6.1 },
          { depthTokens: 1024, perTokenMs: 6.5 },
          { depthTokens: 2048, perTokenMs: 6.9 },
        ],
        depths: [0, 1024, 2048],
        msPer1KTokens: 0.4,
        perTokenMsAtDepth0: 6.1,
        percentPer1KTokens: (0.4 / 6.1) * 100,
        rSquared: 1,
      },
    ],
    verdicts: trials.map(({ key, result }) => ({
      key,
      label: labelOf(result),
      verdicts: targets.map((on) => verdict(result, on, FIXTURE_GOAL)),
    })),
    tradeoff: {
      points,
      accuracy: trials.map(({ key, result }) => {
        const perTokenP50Ms = result.summary.perTokenMs.p50;
        const weightsGiB = result.model.weightsBytes / GiB;
        const score = (benchmark: 'math500' | 'gsm8k', percent: number) => ({
          benchmark,
          percent,
          source: options.scoreSource ?? 'MobileLLM-R1 model card, README table',
          percentPerWeightsGiB: percent / weightsGiB,
          percentPerTokenMs: percent / perTokenP50Ms,
        });
        return {
          key,
          modelId: 'mobilellm-r1-140m',
          displayName: 'MobileLLM-R1-140M',
          quant: result.spec.quant,
          weightsBytes: result.model.weightsBytes,
          perTokenP50Ms,
          scores: [score('math500', 6.2), score('gsm8k', 4.1)],
          note: 'Scores are as published for the post-trained model (not re-measured here).',
        };
      }),
      basis: 'Pareto-optimal within each workload: maximize decode tok/s, minimize peak RSS and KL.',
    },
    hereBandwidthsBytesPerSecond: [HERE_BANDWIDTH],
    projectionBasis:
      'Projected numbers assume the same onnxruntime build. Decode tok/s: scaled by the target bandwidth ÷ ' +
      '61.4 GB/s measured where the run ran.',
  });
}
