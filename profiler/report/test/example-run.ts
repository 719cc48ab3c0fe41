import type {
  DeviceTarget,
  LatencyGoal,
  RunAnalysis,
  RunDocument,
  TrialEnvironment,
  TrialResult,
  TrialSpec,
} from '../../api';
import { customTarget, presetTargets, thisMachineTarget } from '../../../common/analysis/device-targets';
import { analyzeRun } from '../../../common/analysis/run-analysis';
import { modelKey, trialIdentity } from '../../../common/labels';
import type { QuantPresetName } from '../../../common/preset-names';
import { qualityReport, runDocument } from '../../../common/test/run-document';
import { ENVIRONMENT, failedTrial, measuredTrial, trialSpec } from '../../../common/test/trial-result';

/**
 * A realistic run document for the exporters' tests and the HTML report's browser story: MobileLLM-R1
 * 140M at fp32 and int4 measured (ok), 950M int4 failed (a crash), 950M fp32 skipped (will not fit).
 * Trial schema 2: each at the end of its 2048-token window (depth 1856, synthetic fill), int4 in a
 * shared KV buffer, fp32 growing it, sampling timed apart, peak RSS read from VmHWM. Numbers are shaped like
 * a laptop CPU's. Built with the repository's one trial and run builders (common/test), so each summary
 * is the engine's statistics of the repetitions' samples.
 */

const MIB = 1024 * 1024; // bytes

/** The builders' laptop, with its integrated GPU listed. */
export const FIXTURE_ENVIRONMENT: TrialEnvironment = { ...ENVIRONMENT, gpus: ['AMD Radeon 780M (512 MiB)'] };

function specOf(id: string, quant: QuantPresetName, contextTokens = 2048, repetitions = 5): TrialSpec {
  return trialSpec({
    model: { kind: 'catalog', id },
    quant,
    contextTokens,
    promptTokens: 128,
    generateTokens: 64,
    repetitions,
    warmupRuns: 1,
    threads: 8,
  });
}

/** The trial's key as the planner files it: its identity (the planner stores a hash of it). */
const keyOf = (spec: TrialSpec): string => trialIdentity(spec);

interface Shape {
  /** ms, prefill of the 128-token prompt */
  prefillMs: number;
  /** ms, first decode step; later steps grow with the KV cache */
  stepMs: number;
  weightsBytes: number;
  peakRssBytes: number;
  rssAfterLoadBytes: number;
  /** ms, InferenceSession.create */
  loadMs: number;
  /** how the cache was held (what 'auto' resolved to) */
  buffer: 'grow' | 'shared';
}

/** What each repetition of `spec` measured on a model of `shape`, with a deterministic jitter. */
function samplesOf(spec: TrialSpec, shape: Shape) {
  // deterministic jitter: the same document every time
  const jitter = (seed: number): number => Math.sin(seed * 12.9898) * 0.5;
  const reps = Array.from({ length: spec.repetitions }, (_, rep) => rep);
  const prefillMs = reps.map((rep) => shape.prefillMs * (1 + 0.03 * jitter(rep + 1)));
  // a repetition-wide drift (clock, cache state) plus per-step noise and a periodic stall
  const decodeStepMs = reps.map((rep) => {
    const repScale = 1 + 0.03 * jitter(rep + 3);
    return Array.from(
      { length: spec.generateTokens },
      (_, step) =>
        shape.stepMs * repScale * (1 + step / 900 + 0.04 * jitter(rep * 100 + step + 7)) +
        (step % 16 === 15 ? 1.2 : 0),
    );
  });
  const generated = Array.from({ length: spec.generateTokens }, (_, step) => 1000 + ((step * 37) % 5000));
  return {
    prefillMs,
    ttftMs: prefillMs.map((ms) => ms + 0.35), // the prefill run() + its argmax
    prefillTokensPerSecond: prefillMs.map((ms) => spec.promptTokens / (ms / 1000)),
    decodeStepMs,
    samplingMs: reps.map((rep) => decodeStepMs[rep]!.map((_, step) => 0.3 + 0.05 * jitter(rep * 50 + step))),
    decodeTokensPerSecond: decodeStepMs.map(
      (steps) => spec.generateTokens / (steps.reduce((sum, value) => sum + value, 0) / 1000),
    ),
    generatedTokenIds: reps.map(() => generated),
  };
}

/** A trial of `spec` that ran on the laptop, its model shaped by `shape`. */
function okResult(spec: TrialSpec, label: string, shape: Shape): TrialResult {
  const samples = samplesOf(spec, shape);
  const rssBeforeLoadBytes = 58 * MIB;
  const timeline = Array.from({ length: 160 }, (_, index) => {
    const tMs = index * 20;
    const loaded = Math.min(1, tMs / 600);
    const rssBytes =
      rssBeforeLoadBytes +
      (shape.rssAfterLoadBytes - rssBeforeLoadBytes) * loaded +
      (tMs > 700 ? (shape.peakRssBytes - shape.rssAfterLoadBytes) * Math.min(1, (tMs - 700) / 1500) : 0);
    return { tMs, rssBytes: Math.round(rssBytes) };
  });
  return measuredTrial({
    spec,
    model: { label, weightsBytes: shape.weightsBytes },
    samples,
    peakRssBytes: shape.peakRssBytes,
    environment: FIXTURE_ENVIRONMENT,
    roofline: {
      bandwidthBytesPerSecond: 61.4e9,
      bandwidthMethod: 'streaming read, 16 workers × 256 MiB, best of 5 (spread 2.1%)',
      bandwidthMeasuredAt: '2025-06-02T09:00:00.000Z',
      kernelBandwidthBytesPerSecond: 24.8e9,
      kernelBandwidthMethod: 'onnxruntime fp32 GEMV, 512 MiB matrix, best of 5 (spread 1.4%)',
      // the cache at the mean depth of the decode steps
      kvTokens: spec.depthTokens + spec.promptTokens + (spec.generateTokens - 1) / 2,
    },
    extra: {
      session: {
        ep: spec.ep,
        intraOpThreads: spec.threads ?? null,
        graphOptimizationLevel: 'all',
        enableCpuMemArena: true,
        enableMemPattern: true,
        sessionConfig: {},
      },
      loadMs: shape.loadMs,
      rssAfterLoadBytes: shape.rssAfterLoadBytes,
      peakRss: {
        source: 'VmHWM',
        timelineMaxBytes: Math.max(...timeline.map((sample) => sample.rssBytes)),
        sampleIntervalMs: 20,
        consistent: true,
      },
      memoryTimeline: timeline,
      kvSetup: {
        depthTokens: spec.depthTokens,
        fill: 'synthetic',
        fillSource: 'seeded values',
        buffer: shape.buffer,
        ...(shape.buffer === 'shared' ? { bufferTokens: spec.contextTokens } : {}),
      },
      // the synthetic graphs return the last position's logits only: one row of the 128,256-token vocabulary
      logits: { positions: 'last', prefillBytes: 128_256 * 4, lastPositionBytes: 128_256 * 4 },
      generatedTokenIds: samples.generatedTokenIds[0] ?? [],
    },
  });
}

export interface FixtureOptions {
  name?: string;
  /** the failed trial's message */
  failureMessage?: string;
}

export const FIXTURE_FAILURE_MESSAGE =
  "Non-zero status code returned while running MatMulNBits node. Name:'/model/layers.3/mlp/gate_proj/MatMulNBits' " +
  'Status Message: bad allocation\nThe trial process exited with code 134.';
export const FIXTURE_SKIP_REASON =
  'will not fit: estimated peak 4.3 GiB exceeds the memory budget of 4.0 GiB';

/** The example run: see the file comment. Parsed by the schema, so it is a valid document. */
export function exampleRunDocument(options: FixtureOptions = {}): RunDocument {
  const fp32 = specOf('mobilellm-r1-140m', 'fp32');
  const int4 = specOf('mobilellm-r1-140m', 'int4');
  const bigInt4 = specOf('mobilellm-r1-950m', 'int4');
  const bigFp32 = specOf('mobilellm-r1-950m', 'fp32');
  const kvBytesPerToken = 2 * 15 * 3 * 64 * 4; // 2 · layers · kv heads · head dim · fp32 bytes
  const estimate = (peakBytes: number, fit: 'fits' | 'will-not-fit') => ({
    weightsBytes: peakBytes * 0.7,
    kvBytes: kvBytesPerToken * 192,
    overheadBytes: peakBytes * 0.3,
    peakBytes,
    seconds: 9,
    fit,
    basis: 'catalog shapes × preset bytes per weight; overhead 25% + 64 MiB',
  });
  return runDocument({
    id: 'r1-140m-fp32-vs-int4',
    name: options.name ?? 'MobileLLM-R1: fp32 vs int4 on the laptop CPU',
    tags: ['laptop', 'cpu'],
    environment: FIXTURE_ENVIRONMENT,
    sweep: {
      depths: ['end'],
      warmupRuns: 1,
      repetitions: 5,
      memoryBudgetBytes: 4 * 1024 * MIB,
    },
    plan: [
      { key: keyOf(fp32), spec: fp32, estimate: estimate(720 * MIB, 'fits') },
      { key: keyOf(int4), spec: int4, estimate: estimate(260 * MIB, 'fits') },
      { key: keyOf(bigFp32), spec: bigFp32, estimate: estimate(4.3 * 1024 * MIB, 'will-not-fit') },
      { key: keyOf(bigInt4), spec: bigInt4, estimate: estimate(980 * MIB, 'fits') },
    ],
    trials: [
      {
        key: keyOf(fp32),
        result: okResult(fp32, 'mobilellm-r1-140m · fp32', {
          prefillMs: 84.6,
          stepMs: 10.4,
          weightsBytes: 561_000_000,
          peakRssBytes: 706 * MIB,
          rssAfterLoadBytes: 612 * MIB,
          loadMs: 412.7,
          buffer: 'grow',
        }),
      },
      {
        key: keyOf(int4),
        result: okResult(int4, 'mobilellm-r1-140m · int4', {
          prefillMs: 117.3,
          stepMs: 6.1,
          weightsBytes: 181_000_000,
          peakRssBytes: 268 * MIB,
          rssAfterLoadBytes: 214 * MIB,
          loadMs: 188.2,
          buffer: 'shared',
        }),
      },
      {
        key: keyOf(bigInt4),
        result: failedTrial({
          spec: bigInt4,
          environment: FIXTURE_ENVIRONMENT,
          failure: { kind: 'crash', message: options.failureMessage ?? FIXTURE_FAILURE_MESSAGE },
        }),
      },
    ],
    skipped: [{ key: keyOf(bigFp32), reason: FIXTURE_SKIP_REASON }],
  });
}

/**
 * exampleRunDocument() with a quality entry for int4 (KL 0.0213 nats, top-1 agreement 94.1%), so its
 * analysis has a measured KL to weigh against fp32.
 */
export function exampleRunWithQuality(options: FixtureOptions = {}): RunDocument {
  const doc = exampleRunDocument(options);
  const model = doc.sweep.models[0]!;
  return {
    ...doc,
    quality: [{ modelKey: modelKey(model), quant: 'int4', report: qualityReport(0.0213, 0.941) }],
  };
}

/** Two presets, a custom board (its name is the caller's: escaping tests make it hostile) and this machine. */
export function fixtureTargets(customName = 'Test board'): DeviceTarget[] {
  const preset = (id: string): DeviceTarget => presetTargets.find((target) => target.id === id)!;
  return [
    preset('phone-4gb'),
    preset('raspberry-pi-5-8gb'),
    customTarget(`name=${customName},id=board,ram=1GB,bandwidth=100GB/s,budget=600MB`),
    // the bandwidth the example trials' roofline measured, and their machine's RAM: nothing projected
    thisMachineTarget(61.4e9, FIXTURE_ENVIRONMENT.totalMemoryBytes!),
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

export interface AnalysisFixtureOptions {
  /** the custom target's name */
  customTargetName?: string;
  /** every published score's source, e.g. hostile text */
  scoreSource?: string;
}

/** The real analysis (analyzeRun) of `doc` against fixtureTargets() and FIXTURE_GOAL. */
export function exampleRunAnalysis(
  options: AnalysisFixtureOptions = {},
  doc: RunDocument = exampleRunWithQuality(),
): RunAnalysis {
  const analysis = analyzeRun(doc, { targets: fixtureTargets(options.customTargetName), goal: FIXTURE_GOAL });
  const source = options.scoreSource;
  if (source === undefined) return analysis;
  // as if the catalog's score source said so
  const accuracy = analysis.tradeoff.accuracy.map((model) => ({
    ...model,
    scores: model.scores.map((score) => ({ ...score, source })),
  }));
  return { ...analysis, tradeoff: { ...analysis.tradeoff, accuracy } };
}
