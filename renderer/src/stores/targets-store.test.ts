import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deviceTarget, runAnalysis } from '../../test/device-targets';
import { createFakeBackend } from '../../test/fake-backend';
import { runSummary } from '../../test/run-summary';
import { provideBackend } from '../backend/workbench-backend';
import { ANALYZE_DEBOUNCE_MS, useTargetsStore, validateCustomTarget } from './targets-store';

const compare = { docs: [] as { id: string }[] };
vi.mock('./compare-store', () => ({ useCompareStore: () => compare }));

const targets = [
  deviceTarget('phone-8gb'),
  deviceTarget('pi5-8gb'),
  deviceTarget('this-machine', { kind: 'this-machine', bandwidthBasis: 'measured' }),
];

function fakeBackend() {
  const backend = createFakeBackend({
    listRuns: async () => ({
      runs: [runSummary('old', { updatedAt: '2025-01-01T00:00:00.000Z' }), runSummary('new')],
      problems: [],
    }),
    deviceTargets: async () => targets,
    analyzeRun: async (runId) => runAnalysis(runId, targets),
  });
  provideBackend(backend);
  return backend;
}

describe('targets store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    compare.docs = [];
  });
  afterEach(() => vi.useRealTimers());

  it('turns every device target on and picks the newest run', async () => {
    fakeBackend();
    const store = useTargetsStore();
    await store.load();
    expect(store.enabledIds).toEqual(['phone-8gb', 'pi5-8gb', 'this-machine']);
    expect(store.runId).toBe('new');
  });

  it('prefers the first run opened in Compare', async () => {
    fakeBackend();
    compare.docs = [{ id: 'missing' }, { id: 'old' }];
    const store = useTargetsStore();
    await store.load();
    expect(store.runId).toBe('old');
  });

  it('asks analyzeRun for the enabled ids, the custom descriptions and the goal', async () => {
    const backend = fakeBackend();
    const store = useTargetsStore();
    await store.load();
    store.setEnabled('pi5-8gb', false);
    expect(store.addCustomTarget({ name: 'My Board', ram: '4GB', bandwidth: '12 GB/s' })).toBeNull();
    store.goalDecode = '10';
    store.goalTtft = '500';
    await store.analyze();
    expect(backend.analyzeRun).toHaveBeenCalledWith('new', {
      targets: [
        'phone-8gb',
        'this-machine',
        'id=my-board,name=My Board,ram=4000000000,bandwidth=12000000000',
      ],
      goal: { minDecodeTokensPerSecond: 10, maxTtftMs: 500 },
    });
    expect(store.analysis?.verdicts).toHaveLength(1);
  });

  it('sends an empty goal when no goal is typed, and does not ask with no target on', async () => {
    const backend = fakeBackend();
    const store = useTargetsStore();
    await store.load();
    await store.analyze();
    expect(backend.analyzeRun).toHaveBeenLastCalledWith('new', {
      targets: ['phone-8gb', 'pi5-8gb', 'this-machine'],
      goal: {},
    });
    for (const id of [...store.enabledIds]) store.setEnabled(id, false);
    await store.analyze();
    expect(backend.analyzeRun).toHaveBeenCalledTimes(1);
    expect(store.analysis).toBeNull();
  });

  it('refuses a goal that is not a positive number', async () => {
    const backend = fakeBackend();
    const store = useTargetsStore();
    await store.load();
    store.goalDecode = '-3';
    expect(store.goalErrors).toEqual(['The decode goal (tokens/s) must be a number above 0, or empty.']);
    await store.analyze();
    expect(backend.analyzeRun).not.toHaveBeenCalled();
  });

  it('debounces changes into one analysis', async () => {
    vi.useFakeTimers();
    const backend = fakeBackend();
    const store = useTargetsStore();
    await store.load();
    store.scheduleAnalyze();
    store.scheduleAnalyze();
    await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS);
    expect(backend.analyzeRun).toHaveBeenCalledTimes(1);
  });

  it('says why the analysis failed', async () => {
    const backend = fakeBackend();
    backend.analyzeRun.mockRejectedValueOnce(new Error('run has no ok trials'));
    const store = useTargetsStore();
    await store.load();
    await store.analyze();
    expect(store.analysisError).toBe('Could not analyse the run: run has no ok trials');
  });
});

describe('custom target validation', () => {
  it('accepts a name, RAM and bandwidth with units', () => {
    expect(validateCustomTarget({ name: 'Board 2', ram: '4GiB', bandwidth: '12GB/s' }, [])).toEqual({
      target: { id: 'board-2', name: 'Board 2', ramBytes: 4 * 2 ** 30, bandwidthBytesPerSecond: 12e9 },
    });
  });

  it('names every field that is wrong', () => {
    const { errors } = validateCustomTarget({ name: '', ram: 'lots', bandwidth: '' }, []);
    expect(errors?.name).toBe('Give the target a name.');
    expect(errors?.ram).toMatch(/"lots" is not a byte size/);
    expect(errors?.bandwidth).toBe('Give the memory bandwidth, e.g. 12GB/s.');
  });

  it('refuses commas, taken ids and a zero RAM', () => {
    expect(validateCustomTarget({ name: 'a,b', ram: '1GB', bandwidth: '1GB' }, []).errors?.name).toMatch(
      /“,”/,
    );
    expect(
      validateCustomTarget({ name: 'Pi5 8GB', ram: '1GB', bandwidth: '1GB' }, ['pi5-8gb']).errors?.name,
    ).toMatch(/already a target/);
    expect(validateCustomTarget({ name: 'x', ram: '0', bandwidth: '5 fast' }, []).errors).toEqual({
      ram: 'The RAM must be more than 0 bytes.',
      bandwidth: expect.stringMatching(/is not a byte size.*\/s/),
    });
  });
});
