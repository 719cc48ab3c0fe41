import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { Repetition, TrialProgress } from '../api';
import { DecoderRunner } from '../runtime/decoder-runner';
import { createSession, type SessionSettings } from '../runtime/session-factory';
import { findProfileFile, parseOrtProfile, type ProfilePhase } from './ort-profile';
import type { TrialMeasurement, TrialRequest } from './trial-messages';

type Report = (progress: TrialProgress) => void;

/** One sequence: depth fill (untimed), timed prefill, timed decode steps. */
async function sequence(
  runner: DecoderRunner,
  request: TrialRequest,
  report: Report,
  label: { phase: 'warmup' | 'prefill' | 'profile'; repetition: number },
): Promise<Repetition> {
  const { spec, promptIds, depthIds } = request;
  runner.reset();
  if (depthIds.length > 0) {
    report({ phase: 'depth', repetition: label.repetition });
    await runner.prefill(depthIds);
  }
  report({ phase: label.phase, repetition: label.repetition });
  const first = await runner.prefill(promptIds);
  if (label.phase === 'prefill') {
    report({
      phase: 'decode',
      repetition: label.repetition,
      step: 0,
      totalSteps: spec.generateTokens,
      tokenId: first.tokenId,
    });
  }
  const generated = [first.tokenId];
  const decodeStepMs: number[] = [];
  let token = first.tokenId;
  for (let step = 0; step < spec.generateTokens; step += 1) {
    const next = await runner.decode(token);
    decodeStepMs.push(next.ms);
    generated.push(next.tokenId);
    token = next.tokenId;
    if (label.phase === 'prefill') {
      report({
        phase: 'decode',
        repetition: label.repetition,
        step: step + 1,
        totalSteps: spec.generateTokens,
        stepMs: next.ms,
        tokenId: next.tokenId,
      });
    }
  }
  const decodeSeconds = decodeStepMs.reduce((sum, ms) => sum + ms, 0) / 1000;
  return {
    ttftMs: first.ms,
    prefillTokensPerSecond: promptIds.length / (first.ms / 1000),
    decodeStepMs,
    decodeTokensPerSecond: spec.generateTokens / decodeSeconds,
    generatedTokenIds: generated,
  };
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

function runnerFor(session: InferenceSession, request: TrialRequest): DecoderRunner {
  return new DecoderRunner(session, {
    signature: request.signature,
    vocabSize: request.vocabSize,
    contextTokens: request.spec.contextTokens,
  });
}

/** One extra, untimed repetition on a profiling session, aggregated per operator and per node. */
async function profileOps(request: TrialRequest, report: Report): Promise<TrialMeasurement['opBreakdown']> {
  report({ phase: 'profile' });
  await mkdir(request.profileDir, { recursive: true });
  const prefix = path.join(request.profileDir, 'ort-profile');
  const { session } = await createSession(request.modelFile, {
    ...settingsOf(request),
    profileFilePrefix: prefix,
  });
  try {
    await sequence(runnerFor(session, request), request, report, { phase: 'profile', repetition: 0 });
    session.endProfiling();
  } finally {
    await session.release();
  }
  const phases: ProfilePhase[] = [
    ...(request.depthIds.length > 0 ? (['ignore'] as const) : []),
    'prefill',
    ...Array<ProfilePhase>(request.spec.generateTokens).fill('decode'),
  ];
  return parseOrtProfile(await findProfileFile(prefix), { phases });
}

/**
 * The measured part of a trial, as ARCHITECTURE.md defines it: cold load, warmups, R repetitions, the
 * KV cache read back from the present tensors, then (optionally) an op profile on its own session so
 * profiling overhead never touches the timed numbers — and peak RSS is read before it.
 */
export async function measureTrial(request: TrialRequest, report: Report): Promise<TrialMeasurement> {
  const { spec } = request;
  report({ phase: 'load' });
  const rssBeforeLoadBytes = process.memoryUsage().rss;
  const { session, loadMs } = await createSession(request.modelFile, settingsOf(request));
  const rssAfterLoadBytes = process.memoryUsage().rss;
  const runner = runnerFor(session, request);

  for (let warmup = 0; warmup < spec.warmupRuns; warmup += 1) {
    await sequence(runner, request, report, { phase: 'warmup', repetition: warmup });
  }
  const repetitions: Repetition[] = [];
  for (let repetition = 0; repetition < spec.repetitions; repetition += 1) {
    repetitions.push(await sequence(runner, request, report, { phase: 'prefill', repetition }));
  }
  const kvCache = { tokens: runner.cachedTokens, exactBytes: runner.kvCacheBytes() };
  const peakRssBytes = process.resourceUsage().maxRSS * 1024; // maxRSS is KiB
  await session.release();

  const opBreakdown = spec.profileOps ? await profileOps(request, report) : undefined;
  report({ phase: 'done' });
  return {
    loadMs,
    rssBeforeLoadBytes,
    rssAfterLoadBytes,
    peakRssBytes,
    repetitions,
    kvCache,
    ...(opBreakdown ? { opBreakdown } : {}),
  };
}
