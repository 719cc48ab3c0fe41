import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { sequenceTokens, type Repetition, type TrialProgress } from '../api';
import { collectGarbage } from '../runtime/collect-garbage';
import { DecoderRunner, type StepResult } from '../runtime/decoder-runner';
import { readPeakRss } from '../runtime/peak-rss';
import { percentile } from '../../common/statistics';
import { createSession, type SessionSettings } from '../runtime/session-factory';
import { findProfileFile, parseOrtProfile, type ProfilePhase } from './ort-profile';
import type { OnnxTrialRequest, TrialMeasurement } from './trial-messages';

type TrialRequest = OnnxTrialRequest;
export type Report = (progress: TrialProgress) => void;

/** The measured loop of either runtime: the cache back at its depth, a prefill, decode steps. */
export interface SequenceRunner {
  /** untimed: the cache at the trial's depth */
  startSequence(): Promise<void>;
  prefill(ids: readonly number[]): Promise<StepResult>;
  decode(tokenId: number): Promise<StepResult>;
}

/** What the timed part of a sequence needs to know of its trial. */
export interface SequenceSettings {
  promptIds: readonly number[];
  generateTokens: number;
  /** the depth is filled before it (a 'depth' progress event) */
  filled: boolean;
  /** collect garbage between decode steps (a large cache's dead copies, onnxruntime) */
  collectEachStep: boolean;
}

/**
 * KV bytes held at full context from which dead copies are collected between decode steps: below it,
 * V8's own schedule keeps the garbage small next to the model; above it (long contexts), each step
 * leaves a cache-sized copy behind (see collect-garbage.ts). bytes
 */
const COLLECT_EACH_STEP_KV_BYTES = 64 * 1024 * 1024;

export interface SequenceLabel {
  phase: 'warmup' | 'prefill' | 'profile';
  repetition: number;
}

/** KV bytes the cache holds at the sequence's end, from the signature (2 · layers · heads · dim · bytes). */
function fullContextKvBytes(request: TrialRequest): number {
  const { numLayers, kvHeads, headDim, kvDtype } = request.signature;
  const elementBytes = kvDtype === 'float16' ? 2 : 4;
  return 2 * numLayers * (kvHeads ?? 1) * (headDim ?? 1) * elementBytes * sequenceTokens(request.spec);
}

/**
 * One sequence: the cache filled to its depth (untimed), then the timed prefill and decode steps. Each
 * step's run() and its sampling (the argmax) are timed apart, as llama-bench and onnxruntime-genai
 * report them: TTFT includes the prefill's sampling (what a user waits for), decode tok/s does not.
 */
export async function sequence(
  runner: SequenceRunner,
  settings: SequenceSettings,
  report: Report,
  label: SequenceLabel,
  beforeTimedPart?: () => void,
): Promise<Repetition> {
  const { promptIds, collectEachStep, generateTokens } = settings;
  if (settings.filled) report({ phase: 'depth', repetition: label.repetition });
  await runner.startSequence();
  collectGarbage(); // the last sequence's cache is dead: not counted in this one's memory, nor timed
  beforeTimedPart?.();
  report({ phase: label.phase, repetition: label.repetition });
  const first = await runner.prefill(promptIds);
  const live = label.phase === 'prefill';
  if (live) {
    report({
      phase: 'decode',
      repetition: label.repetition,
      step: 0,
      totalSteps: generateTokens,
      tokenId: first.tokenId,
    });
  }
  const generated = [first.tokenId];
  const decodeStepMs: number[] = [];
  const samplingMs: number[] = [];
  let token = first.tokenId;
  for (let step = 0; step < generateTokens; step += 1) {
    const next = await runner.decode(token);
    decodeStepMs.push(next.runMs);
    samplingMs.push(next.samplingMs);
    generated.push(next.tokenId);
    token = next.tokenId;
    if (collectEachStep) collectGarbage();
    if (live) {
      report({
        phase: 'decode',
        repetition: label.repetition,
        step: step + 1,
        totalSteps: generateTokens,
        stepMs: next.runMs,
        tokenId: next.tokenId,
      });
    }
  }
  const decodeSeconds = decodeStepMs.reduce((sum, ms) => sum + ms, 0) / 1000;
  return {
    ttftMs: first.runMs + first.samplingMs,
    prefillMs: first.runMs,
    prefillTokensPerSecond: promptIds.length / (first.runMs / 1000),
    decodeStepMs,
    samplingMs,
    decodeTokensPerSecond: generateTokens / decodeSeconds,
    generatedTokenIds: generated,
  };
}

/** The onnxruntime runner as a SequenceRunner: each sequence fills (or rewinds to) the request's depth. */
function onnxSequence(runner: DecoderRunner, request: TrialRequest): [SequenceRunner, SequenceSettings] {
  return [
    {
      startSequence: () => runner.startSequence(request.fill),
      prefill: (ids) => runner.prefill(ids),
      decode: (tokenId) => runner.decode(tokenId),
    },
    {
      promptIds: request.promptIds,
      generateTokens: request.spec.generateTokens,
      filled: request.fill.kind !== 'none',
      collectEachStep: fullContextKvBytes(request) >= COLLECT_EACH_STEP_KV_BYTES,
    },
  ];
}

function settingsOf(request: TrialRequest): SessionSettings {
  const { ep, threads, graphOptimizationLevel, enableCpuMemArena, enableMemPattern, sessionConfig } =
    request.spec;
  return {
    ep,
    graphOptimizationLevel,
    enableCpuMemArena,
    enableMemPattern,
    sessionConfig,
    ...(threads === undefined ? {} : { threads }),
  };
}

/**
 * The runner holds the tokens a sequence reaches (sequenceTokens): a 'shared' buffer has that many rows,
 * as onnxruntime-genai sizes its buffer to the sequence's max_length. A buffer of C rows under a short
 * explicit depth would only add rows never read — and onnxruntime-node copies every row out at each step.
 */
function runnerFor(session: InferenceSession, request: TrialRequest): DecoderRunner {
  return new DecoderRunner(session, {
    signature: request.signature,
    vocabSize: request.vocabSize,
    contextTokens: sequenceTokens(request.spec),
    kvBuffer: request.kvBuffer,
  });
}

/**
 * The op breakdown, on its own profiling session so profiling overhead never touches the timed numbers:
 * one warm-up sequence as the timed session had, then one profiled sequence. Only that sequence's
 * prefill and decode runs are counted; the warm-up and every fill run are ignored.
 */
async function profileOps(request: TrialRequest, report: Report): Promise<TrialMeasurement['opBreakdown']> {
  report({ phase: 'profile' });
  await mkdir(request.profileDir, { recursive: true });
  const prefix = path.join(request.profileDir, 'ort-profile');
  const { session } = await createSession(request.modelFile, {
    ...settingsOf(request),
    profileFilePrefix: prefix,
  });
  const runner = runnerFor(session, request);
  const [loop, settings] = onnxSequence(runner, request);
  let ignoredRuns = 0;
  let profiled: Repetition;
  try {
    await sequence(loop, settings, report, { phase: 'profile', repetition: 0 });
    profiled = await sequence(loop, settings, report, { phase: 'profile', repetition: 1 }, () => {
      ignoredRuns = runner.runCount;
    });
    session.endProfiling();
  } finally {
    await session.release();
  }
  const phases: ProfilePhase[] = [
    ...Array<ProfilePhase>(ignoredRuns).fill('ignore'),
    'prefill',
    ...Array<ProfilePhase>(request.spec.generateTokens).fill('decode'),
  ];
  const { insideMs, ...breakdown } = await parseOrtProfile(await findProfileFile(prefix), { phases });
  return {
    ...breakdown,
    runTimes: {
      prefillInsideMs: insideMs.prefill[0] ?? Number.NaN,
      prefillWallMs: profiled.prefillMs!,
      decodeInsideMs: percentile(insideMs.decode, 50),
      decodeWallMs: percentile(profiled.decodeStepMs, 50),
    },
  };
}

/**
 * The measured part of a trial, as ARCHITECTURE.md defines it: the first load in this process, warmups,
 * R repetitions, the KV cache read back from the present tensors, the process's own peak RSS, then
 * (optionally) an op profile on its own session — after the peak was read.
 */
export async function measureTrial(request: TrialRequest, report: Report): Promise<TrialMeasurement> {
  const { spec } = request;
  report({ phase: 'load' });
  const rssBeforeLoadBytes = process.memoryUsage().rss;
  const { session, loadMs } = await createSession(request.modelFile, settingsOf(request));
  const rssAfterLoadBytes = process.memoryUsage().rss;
  const runner = runnerFor(session, request);
  const [loop, settings] = onnxSequence(runner, request);

  for (let warmup = 0; warmup < spec.warmupRuns; warmup += 1) {
    await sequence(loop, settings, report, { phase: 'warmup', repetition: warmup });
  }
  const repetitions: Repetition[] = [];
  for (let repetition = 0; repetition < spec.repetitions; repetition += 1) {
    repetitions.push(await sequence(loop, settings, report, { phase: 'prefill', repetition }));
  }
  const kvCache = { tokens: runner.cachedTokens, exactBytes: runner.kvCacheBytes() };
  const prefillLogits = runner.prefillLogits ?? { bytes: 0, rows: 0 };
  const peakRss = readPeakRss();
  await session.release();

  const opBreakdown = spec.profileOps ? await profileOps(request, report) : undefined;
  report({ phase: 'done' });
  return {
    loadMs,
    rssBeforeLoadBytes,
    rssAfterLoadBytes,
    peakRss,
    repetitions,
    kvCache,
    prefillLogits,
    ...(opBreakdown ? { opBreakdown } : {}),
  };
}
