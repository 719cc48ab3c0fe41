import { RunDocumentSchema, type RunDocument } from '../../api';
import { runDocument } from '../../../common/test/run-document';
import { failedTrial, measuredTrial } from '../../../common/test/trial-result';

/**
 * Run documents for the store's tests, made with the repository's one run and trial builders
 * (common/test): only what a test varies is spelled.
 */

/** A run of `trialStatuses` trials (one ok by default), then `overrides`, parsed by the schema. */
export function makeRunDocument(
  overrides: Partial<RunDocument> & { trialStatuses?: ('ok' | 'failed')[] } = {},
): RunDocument {
  const { trialStatuses = ['ok'], ...fields } = overrides;
  const doc = runDocument({
    id: '2026-11-28T10-00-00-test-000000',
    name: 'test sweep',
    trials: trialStatuses.map((status, index) => ({
      key: `trial-${index}`,
      result:
        status === 'ok'
          ? measuredTrial()
          : failedTrial({ failure: { kind: 'crash', message: 'test crash' } }),
    })),
    // a run with no trials yet still lists what it sweeps
    sweep: { models: [{ kind: 'catalog', id: 'mobilellm-r1-140m' }] },
  });
  return RunDocumentSchema.parse({
    ...doc,
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    ...fields,
  });
}
