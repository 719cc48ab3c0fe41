import {
  QualityReportSchema,
  RUN_DOCUMENT_KIND,
  RUN_DOCUMENT_VERSION,
  RunDocumentSchema,
  TRIAL_RESULT_VERSION,
  TrialResultSchema,
  type QualityReport,
  type RunDocument,
  type Stats,
  type TrialResult,
  type TrialSpecInput,
} from '../schemas';

/**
 * Hand-made trial results and run documents for the analysis tests (kv-pressure, fit-verdict, tradeoff):
 * only the numbers a test is about are given; the rest are plain defaults, validated by the schemas.
 */

type ModelFacts = NonNullable<TrialResult['model']>;

export interface TrialFixture {
  spec?: TrialSpecInput;
  status?: 'ok' | 'failed';
  /** tokens/s, every repetition the same */
  decodeTokensPerSecond?: number;
  /** ms, mean and every percentile */
  perTokenMs?: number;
  /** ms */
  ttftMs?: number;
  /** bytes */
  peakRssBytes?: number;
  /** bytes/s measured where the trial ran; no roofline when absent */
  bandwidthBytesPerSecond?: number;
  /** model facts; null: none (failed before the model was opened) */
  model?: Partial<ModelFacts> | null;
  /** KV cache after the last step; null: none */
  kvCache?: { tokens: number; bytesPerToken: number; exactBytes?: number } | null;
  /** bytes of RAM where the trial ran */
  totalMemoryBytes?: number;
}

const constant = (value: number): Stats => ({
  n: 5,
  mean: value,
  std: 0,
  median: value,
  min: value,
  max: value,
  cv: 0,
});

export function trialFixture(fixture: TrialFixture = {}): TrialResult {
  const status = fixture.status ?? 'ok';
  const decodeTokensPerSecond = fixture.decodeTokensPerSecond ?? 20;
  const perTokenMs = fixture.perTokenMs ?? 1000 / decodeTokensPerSecond;
  const model: ModelFacts | undefined =
    fixture.model === null
      ? undefined
      : {
          label: 'fixture model',
          modelFile: '/models/fixture.onnx',
          layout: 'synthetic',
          variantHash: 'fixture',
          parameters: 100e6,
          weightsBytes: 400e6,
          fileBytes: 400e6,
          numLayers: 4,
          kvHeads: 2,
          headDim: 64,
          kvDtype: 'float32',
          maxContextTokens: 32768,
          ...fixture.model,
        };
  const kv = fixture.kvCache === null ? undefined : (fixture.kvCache ?? { tokens: 192, bytesPerToken: 4096 });
  return TrialResultSchema.parse({
    schemaVersion: TRIAL_RESULT_VERSION,
    status,
    ...(status === 'failed' ? { failure: { kind: 'out-of-memory', message: 'killed' } } : {}),
    spec: fixture.spec ?? { model: { kind: 'catalog', id: 'mobilellm-r1-140m' } },
    environment: {
      cpu: 'fixture CPU',
      physicalCores: 8,
      logicalCores: 16,
      totalMemoryBytes: fixture.totalMemoryBytes ?? 32 * 2 ** 30,
      os: 'linux',
      gpus: [],
      onnxruntimeVersion: '1.0.0',
      nodeVersion: 'v20',
      appVersion: '0.0.0',
    },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:01:00.000Z',
    ...(model ? { model } : {}),
    ...(status === 'ok'
      ? {
          peakRssBytes: fixture.peakRssBytes ?? 1e9,
          summary: {
            ttftMs: constant(fixture.ttftMs ?? 100),
            prefillTokensPerSecond: constant(1000),
            decodeTokensPerSecond: constant(decodeTokensPerSecond),
            perTokenMs: { p50: perTokenMs, p90: perTokenMs, p99: perTokenMs, mean: perTokenMs },
            noisy: false,
          },
          ...(kv
            ? {
                kvCache: {
                  tokens: kv.tokens,
                  exactBytes: kv.exactBytes ?? kv.tokens * kv.bytesPerToken,
                  analyticBytes: kv.tokens * kv.bytesPerToken,
                  bytesPerToken: kv.bytesPerToken,
                },
              }
            : {}),
          ...(fixture.bandwidthBytesPerSecond
            ? {
                roofline: {
                  bandwidthBytesPerSecond: fixture.bandwidthBytesPerSecond,
                  bandwidthMethod: 'fixture',
                  bytesPerDecodeToken: 400e6,
                  boundTokensPerSecond: fixture.bandwidthBytesPerSecond / 400e6,
                  efficiency: decodeTokensPerSecond / (fixture.bandwidthBytesPerSecond / 400e6),
                },
              }
            : {}),
        }
      : {}),
  });
}

/** A quality report with the given overall KL (nats) and top-1 agreement; the rest is filler. */
export function qualityFixture(klMean: number, top1Agreement: number): QualityReport {
  const model = { path: 'm', modelFile: 'm.onnx', weightsBytes: 1, diskBytes: 1, parameters: 1 };
  return QualityReportSchema.parse({
    reference: model,
    variant: model,
    sequences: 1,
    positionsPerSequence: 1,
    continuationTokens: 0,
    overall: {
      klMean,
      klP99: klMean,
      klMax: klMean,
      top1Agreement,
      maxAbsLogitError: 0,
      meanAbsLogitError: 0,
      identicalContinuations: 1,
      meanIdenticalPrefix: 0,
    },
    perPosition: [],
    bytes: {
      variantOnDisk: 1,
      referenceOnDisk: 1,
      variantWeights: 1,
      referenceWeights: 1,
      variantBytesPerParameter: 1,
      referenceBytesPerParameter: 1,
      compression: 1,
    },
    tokenSource: 'seeded',
    seed: 0,
  });
}

/** A run holding `trials` (keyed by their position) and `quality` entries. */
export function runFixture(trials: TrialResult[], quality: RunDocument['quality'] = []): RunDocument {
  const first = trials[0];
  if (!first) throw new RangeError('runFixture needs at least one trial');
  return RunDocumentSchema.parse({
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: RUN_DOCUMENT_VERSION,
    id: 'fixture-run',
    name: 'fixture',
    createdAt: first.startedAt,
    updatedAt: first.finishedAt,
    status: 'completed',
    sweep: { models: [first.spec.model] },
    environment: first.environment,
    plan: [],
    trials: trials.map((result, index) => ({ key: `t${index}`, result })),
    quality,
  });
}
