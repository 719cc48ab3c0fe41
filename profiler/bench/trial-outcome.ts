import { summarizeRepetitions } from '../../common/statistics';
import type { RooflineBandwidth, TrialResult } from '../api';
import { roofline } from '../runtime/roofline';
import { peakRssCheck } from './peak-rss-check';
import type { TrialProcessOutcome } from './trial-host';
import type { TrialMeasurement } from './trial-messages';

/** What the runtime-specific side knows about how the trial's figures read. */
export interface OutcomeFacts {
  /** bytes of KV cache per cached token */
  kvBytesPerToken: number;
  /** bytes of weights one decode step reads (the roofline's weight share) */
  weightBytesPerDecodeToken: number;
  /** ms between the supervisor's RSS samples */
  sampleIntervalMs: number;
  bandwidth: RooflineBandwidth;
  /** what only this runtime records (logits layout, generated text, op profile, llama.cpp's build…) */
  extra: (measurement: TrialMeasurement) => Partial<TrialResult>;
}

/**
 * A supervised trial's outcome as a TrialResult, whatever runtime measured it: `base` (the spec, the
 * model, the setup) with the failure, or with the measured repetitions summarized through
 * common/statistics, the trial's own peak RSS checked against its timeline, the KV cache and the
 * roofline. One place, so onnxruntime and llama.cpp trials mean the same by every field.
 */
export function trialResultOf(
  base: TrialResult,
  outcome: TrialProcessOutcome,
  facts: OutcomeFacts,
): TrialResult {
  const finishedAt = new Date().toISOString();
  const { measurement } = outcome;
  if (!measurement) {
    return {
      ...base,
      finishedAt,
      memoryTimeline: outcome.memoryTimeline,
      ...(outcome.failure ? { failure: outcome.failure } : {}),
    };
  }
  const { spec } = base;
  const summary = summarizeRepetitions(measurement.repetitions);
  // mean tokens cached while the decode steps ran: step i attends over depth + P + i cached tokens
  const kvTokensDuringDecode = spec.depthTokens + spec.promptTokens + (spec.generateTokens - 1) / 2;
  const peak = peakRssCheck(measurement.peakRss, outcome.memoryTimeline, facts.sampleIntervalMs);
  const { bandwidth, kvBytesPerToken } = facts;
  return {
    ...base,
    status: 'ok',
    finishedAt,
    memoryTimeline: outcome.memoryTimeline,
    loadMs: measurement.loadMs,
    rssBeforeLoadBytes: measurement.rssBeforeLoadBytes,
    rssAfterLoadBytes: measurement.rssAfterLoadBytes,
    peakRssBytes: peak.bytes,
    peakRss: peak.check,
    generatedTokenIds: measurement.repetitions[0]?.generatedTokenIds ?? [],
    repetitions: measurement.repetitions,
    summary,
    kvCache: {
      tokens: measurement.kvCache.tokens,
      exactBytes: measurement.kvCache.exactBytes,
      analyticBytes: kvBytesPerToken * measurement.kvCache.tokens,
      bytesPerToken: kvBytesPerToken,
    },
    ...facts.extra(measurement),
    ...(bandwidth.status === 'measured'
      ? {
          roofline: roofline({
            bandwidth,
            weightBytesPerDecodeToken: facts.weightBytesPerDecodeToken,
            kvBytesPerToken,
            kvTokens: kvTokensDuringDecode,
            measuredDecodeTokensPerSecond: summary.decodeTokensPerSecond.median,
          }),
        }
      : { rooflineUnavailable: bandwidth.reason }),
  };
}
