import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../profiler/api';
import { createFakeBackend } from '../../test/fake-backend';
import { runSummary as summary } from '../../test/run-summary';
import { provideBackend } from '../backend/workbench-backend';
import { useNavigationStore } from './navigation-store';
import { matchesSearch, parseTags, useRunsStore, type RunProblem } from './runs-store';

const openRuns = vi.fn();
vi.mock('./compare-store', () => ({ useCompareStore: () => ({ openRuns }) }));

/** A backend with the run-management methods, answering from `runs`. */
function fakeBackend(runs: RunSummary[]) {
  const backend = createFakeBackend({
    listRuns: async () => ({ runs: [...runs], problems: [] as RunProblem[] }),
    renameRun: async (id, name) => ({ id, name }),
    tagRun: async (id, tags) => ({ id, tags }),
    deleteRun: async (id) => ({ id }),
    restoreRun: async (id) => ({ id }),
    importRun: async () => ({ id: 'imported', originalId: 'imported' }),
    exportRun: async (id, format) => ({
      fileName: `${id}.${format}`,
      mimeType: 'text/plain',
      text: 'report',
    }),
  });
  provideBackend(backend);
  return { backend, emit: backend.emit };
}

describe('runs store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    openRuns.mockClear();
  });

  it('lists the runs newest first, with the files it could not read', async () => {
    const { backend } = fakeBackend([
      summary('old', { updatedAt: '2025-01-01T00:00:00.000Z' }),
      summary('new', { updatedAt: '2025-06-01T00:00:00.000Z' }),
    ]);
    backend.listRuns.mockResolvedValueOnce({
      runs: [summary('old', { updatedAt: '2025-01-01T00:00:00.000Z' }), summary('new')],
      problems: [{ file: 'broken.json', reason: 'not JSON' }],
    });
    const store = useRunsStore();
    await store.refresh();
    expect(store.runs.map((run) => run.id)).toEqual(['new', 'old']);
    expect(store.problems).toEqual([{ file: 'broken.json', reason: 'not JSON' }]);
    expect(store.loaded).toBe(true);
  });

  it('searches names, ids and tags; every word must match', async () => {
    fakeBackend([
      summary('r1', { name: 'Baseline fp32', tags: ['laptop'] }),
      summary('r2', { name: 'Quantized', tags: ['int4', 'laptop'] }),
      summary('r3-phone', { name: 'Phone sweep' }),
    ]);
    const store = useRunsStore();
    await store.refresh();
    store.search = 'LAPTOP';
    expect(store.visibleRuns.map((run) => run.id).sort()).toEqual(['r1', 'r2']);
    store.search = 'laptop int4';
    expect(store.visibleRuns.map((run) => run.id)).toEqual(['r2']);
    store.search = 'r3';
    expect(store.visibleRuns.map((run) => run.id)).toEqual(['r3-phone']);
    store.search = '  ';
    expect(store.visibleRuns).toHaveLength(3);
    expect(matchesSearch(summary('x'), 'nothing')).toBe(false);
    // runs copied from an agent are found by their device
    expect(matchesSearch(summary('y', { device: 'raspberry-pi-5' }), 'pi-5')).toBe(true);
  });

  it('renames through the backend and lists again', async () => {
    const { backend } = fakeBackend([summary('r1')]);
    const store = useRunsStore();
    await store.refresh();
    await store.rename('r1', '  Long context on CPU ');
    expect(backend.renameRun).toHaveBeenCalledWith('r1', 'Long context on CPU');
    expect(backend.listRuns).toHaveBeenCalledTimes(2);
  });

  it('refuses an empty name without asking the engine', async () => {
    const { backend } = fakeBackend([summary('r1')]);
    const store = useRunsStore();
    await store.refresh();
    await store.rename('r1', '   ');
    expect(backend.renameRun).not.toHaveBeenCalled();
    expect(store.error).toContain('needs a name');
  });

  it('adds the new tags (comma separated) and removes one', async () => {
    const { backend } = fakeBackend([summary('r1', { tags: ['laptop'] })]);
    const store = useRunsStore();
    await store.refresh();
    await store.addTags('r1', 'int4, laptop, long context,');
    expect(backend.tagRun).toHaveBeenCalledWith('r1', ['int4', 'long context']);
    await store.removeTag('r1', 'laptop');
    expect(backend.tagRun).toHaveBeenLastCalledWith('r1', ['laptop'], true);
    expect(backend.listRuns).toHaveBeenCalledTimes(3);
    expect(parseTags(' a ,, b , a')).toEqual(['a', 'b']);
  });

  it('deletes a run, offers to undo, and restores it', async () => {
    const runs = [summary('r1'), summary('r2')];
    const { backend } = fakeBackend(runs);
    const store = useRunsStore();
    await store.refresh();
    store.toggleSelected('r1', true);

    backend.listRuns.mockResolvedValueOnce({ runs: [summary('r2')], problems: [] });
    await store.remove('r1');
    expect(backend.deleteRun).toHaveBeenCalledWith('r1');
    expect(store.deleted).toEqual({ id: 'r1', name: 'Run r1' });
    expect(store.runs.map((run) => run.id)).toEqual(['r2']);
    expect(store.selectedIds).toEqual([]);

    await store.undoDelete();
    expect(backend.restoreRun).toHaveBeenCalledWith('r1');
    expect(store.deleted).toBeNull();
    expect(store.runs.map((run) => run.id).sort()).toEqual(['r1', 'r2']);
  });

  it('says which run failed and why, and offers no undo when a delete fails', async () => {
    const { backend } = fakeBackend([summary('r1')]);
    backend.deleteRun.mockRejectedValueOnce(new Error('Run r1 is running: cancel it first.'));
    const store = useRunsStore();
    await store.refresh();
    await store.remove('r1');
    expect(store.error).toBe('Could not delete “Run r1”: Run r1 is running: cancel it first.');
    expect(store.deleted).toBeNull();
    expect(store.busyIds).toEqual([]);
  });

  it('exports in the chosen format and hands the file back', async () => {
    const { backend } = fakeBackend([summary('r1')]);
    const store = useRunsStore();
    const file = await store.exportRun('r1', 'csv');
    expect(backend.exportRun).toHaveBeenCalledWith('r1', 'csv');
    expect(file).toEqual({ fileName: 'r1.csv', mimeType: 'text/plain', text: 'report' });
  });

  it('opens the selected runs in Compare', async () => {
    fakeBackend([summary('r1'), summary('r2')]);
    const store = useRunsStore();
    store.openInCompare(['r1', 'r2']);
    expect(openRuns).toHaveBeenCalledWith(['r1', 'r2']);
    expect(useNavigationStore().view).toBe('compare');
  });

  describe('while the screen listens', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('lists again shortly after a sweep finishes trials, once per burst', async () => {
      const { backend, emit } = fakeBackend([summary('r1', { status: 'running' })]);
      const store = useRunsStore();
      const stop = store.listenForChanges();
      const done = { kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } } as const;
      emit(done);
      emit(done);
      expect(backend.listRuns).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1000);
      expect(backend.listRuns).toHaveBeenCalledTimes(1);
      stop();
      emit(done);
      await vi.advanceTimersByTimeAsync(1000);
      expect(backend.listRuns).toHaveBeenCalledTimes(1);
    });
  });

  describe('importing a run file', () => {
    it('sends the file text to the engine, says the new id and lists again', async () => {
      const { backend } = fakeBackend([summary('r1')]);
      backend.importRun.mockResolvedValueOnce({ id: 'run-2', originalId: 'run-1' });
      const store = useRunsStore();
      const file = new File(['{"id":"run-1"}'], 'run-1.json', { type: 'application/json' });
      const imported = await store.importRunFile(file);
      expect(backend.importRun).toHaveBeenCalledWith('{"id":"run-1"}');
      expect(imported).toEqual({ id: 'run-2', originalId: 'run-1' });
      expect(store.importMessage).toMatch(/^Imported as run-2/);
      expect(store.importError).toBeNull();
      expect(store.importing).toBe(false);
      expect(backend.listRuns).toHaveBeenCalledTimes(1);
    });

    it('says why an import failed, naming the file', async () => {
      const { backend } = fakeBackend([]);
      backend.importRun.mockRejectedValueOnce(new Error('not a run document'));
      const store = useRunsStore();
      const imported = await store.importRunFile(new File(['nope'], 'broken.json'));
      expect(imported).toBeUndefined();
      expect(store.importMessage).toBeNull();
      expect(store.importError).toBe('Could not import “broken.json”: not a run document');
      expect(store.importing).toBe(false);
    });
  });
});
