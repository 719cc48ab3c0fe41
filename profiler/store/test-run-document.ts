import {
  RUN_DOCUMENT_KIND,
  RUN_DOCUMENT_VERSION,
  RunDocumentSchema,
  TRIAL_RESULT_VERSION,
  TrialResultSchema,
  type RunDocument,
  type MeasuredEnvironment,
  type TrialResult,
} from '../api';

/** Valid documents for tests: the schemas fill every default, so only what a test varies is spelled. */

export const TEST_ENVIRONMENT: MeasuredEnvironment = {
  cpu: 'Test CPU',
  physicalCores: 4,
  logicalCores: 8,
  totalMemoryBytes: 16 * 1024 ** 3,
  os: 'linux 6.8',
  gpus: [],
  onnxruntimeVersion: '1.23.0',
  nodeVersion: 'v20.19.0',
  appVersion: '0.1.0',
};

/** A minimal trial result: only the required fields, the rest left to the schema's defaults. */
export function makeTrialResult(status: 'ok' | 'failed' = 'ok'): TrialResult {
  return TrialResultSchema.parse({
    schemaVersion: TRIAL_RESULT_VERSION,
    status,
    ...(status === 'failed' ? { failure: { kind: 'crash', message: 'test crash' } } : {}),
    spec: { model: { kind: 'catalog', id: 'mobilellm-r1-140m' } },
    environment: TEST_ENVIRONMENT,
    startedAt: '2026-11-28T10:00:00.000Z',
    finishedAt: '2026-11-28T10:00:05.000Z',
  });
}

export function makeRunDocument(
  overrides: Partial<RunDocument> & { trialStatuses?: ('ok' | 'failed')[] } = {},
): RunDocument {
  const { trialStatuses = ['ok'], ...fields } = overrides;
  return RunDocumentSchema.parse({
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: RUN_DOCUMENT_VERSION,
    id: '2026-11-28T10-00-00-test-000000',
    name: 'test sweep',
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    status: 'completed',
    sweep: { models: [{ kind: 'catalog', id: 'mobilellm-r1-140m' }] },
    environment: TEST_ENVIRONMENT,
    plan: [],
    trials: trialStatuses.map((status, index) => ({
      key: `trial-${index}`,
      result: makeTrialResult(status),
    })),
    ...fields,
  });
}
