import type { RunDocument, TrialResult, TrialSpecInput } from '../../schemas';
import { runDocument } from '../../test/run-document';
import { ENVIRONMENT, failedTrial, measuredTrial, type ModelFacts } from '../../test/trial-result';

/**
 * Trial results and run documents for the analysis tests (kv-pressure, fit-verdict, tradeoff): only the
 * numbers a test is about are given, the rest left to the repository's one trial and run builders
 * (common/test), whose summaries are the engine's statistics of the repetitions.
 */

export interface TrialFixture {
  spec?: TrialSpecInput;
  status?: 'ok' | 'failed';
  /** tokens/s, every repetition the same */
  decodeTokensPerSecond?: number;
  /** ms, every decode step the same: mean and every percentile */
  perTokenMs?: number;
  /** ms */
  ttftMs?: number;
  /** bytes */
  peakRssBytes?: number;
  /** bytes/s measured where the trial ran; no roofline when absent */
  bandwidthBytesPerSecond?: number;
  /** model facts; null: none (a failed trial that never opened its model) */
  model?: Partial<ModelFacts> | null;
  /** KV cache after the last step; null: none */
  kvCache?: { tokens: number; bytesPerToken: number; exactBytes?: number } | null;
  /** bytes of RAM where the trial ran */
  totalMemoryBytes?: number;
}

/** A 100M-parameter fp32 model of 4 layers, 2 KV heads of 64: 4096 B of cache per token. */
const FIXTURE_MODEL: ModelFacts = {
  label: 'fixture model',
  parameters: 100e6,
  weightsBytes: 400e6,
  numLayers: 4,
  kvHeads: 2,
  headDim: 64,
  kvDtype: 'float32',
  maxContextTokens: 32768,
};

/** Five repetitions measuring the same. */
const five = <T>(value: T): T[] => Array.from({ length: 5 }, () => value);

export function trialFixture(fixture: TrialFixture = {}): TrialResult {
  const environment = {
    ...ENVIRONMENT,
    totalMemoryBytes: fixture.totalMemoryBytes ?? ENVIRONMENT.totalMemoryBytes,
  };
  const model = fixture.model === null ? undefined : { ...FIXTURE_MODEL, ...fixture.model };
  if (fixture.status === 'failed') {
    return failedTrial({
      spec: fixture.spec,
      environment,
      failure: { kind: 'out-of-memory', message: 'killed' },
      ...(model ? { model } : {}),
    });
  }
  const decodeTokensPerSecond = fixture.decodeTokensPerSecond ?? 20;
  const perTokenMs = fixture.perTokenMs ?? 1000 / decodeTokensPerSecond;
  const kv = fixture.kvCache === null ? undefined : (fixture.kvCache ?? { tokens: 192, bytesPerToken: 4096 });
  if (!model) throw new RangeError('trialFixture: a measured trial opened its model');
  return measuredTrial({
    spec: fixture.spec,
    model,
    samples: {
      ttftMs: five(fixture.ttftMs ?? 100),
      prefillTokensPerSecond: five(1000),
      decodeTokensPerSecond: five(decodeTokensPerSecond),
      decodeStepMs: five([perTokenMs]),
    },
    peakRssBytes: fixture.peakRssBytes ?? 1e9,
    environment,
    // a decode step reads the weights only
    ...(fixture.bandwidthBytesPerSecond
      ? {
          roofline: {
            bandwidthBytesPerSecond: fixture.bandwidthBytesPerSecond,
            bandwidthMethod: 'fixture',
            kvTokens: 0,
          },
        }
      : {}),
    // the cache as the test gives it, whatever the spec's window
    extra: {
      kvCache: kv && {
        tokens: kv.tokens,
        exactBytes: kv.exactBytes ?? kv.tokens * kv.bytesPerToken,
        analyticBytes: kv.tokens * kv.bytesPerToken,
        bytesPerToken: kv.bytesPerToken,
      },
    },
  });
}

/** A run holding `trials` (keyed by their position) and `quality` entries, on the first trial's machine. */
export function runFixture(trials: TrialResult[], quality: RunDocument['quality'] = []): RunDocument {
  const first = trials[0];
  if (!first) throw new RangeError('runFixture needs at least one trial');
  return runDocument({
    id: 'fixture-run',
    name: 'fixture',
    environment: first.environment,
    trials: trials.map((result, index) => ({ key: `t${index}`, result })),
    quality,
  });
}
