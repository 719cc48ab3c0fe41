import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunDocument } from '../../../profiler/api';
import { depthRun, KEYS, smolRun } from '../../test/compare-runs';
import { createFakeBackend, type FakeBackend } from '../../test/fake-backend';
import { provideBackend } from '../backend/workbench-backend';
import { useCompareStore } from './compare-store';

function backendWith(runs: RunDocument[]): { backend: FakeBackend; loadRun: FakeBackend['loadRun'] } {
  const backend = createFakeBackend({
    loadRun: async (id) => {
      const found = runs.find((run) => run.id === id);
      if (!found) throw new Error(`No run "${id}" in the runs folder.`);
      return structuredClone(found);
    },
  });
  return { backend, loadRun: backend.loadRun };
}

describe('compare store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('opens each run with loadRun and selects every measured trial', async () => {
    const { backend, loadRun } = backendWith([depthRun(), smolRun()]);
    provideBackend(backend);
    const compare = useCompareStore();
    const opening = compare.openRuns(['r1-140m-depths', 'smol-q4f16']);
    expect(compare.loading).toBe(true);
    await opening;
    expect(compare.loading).toBe(false);
    expect(loadRun.mock.calls).toEqual([['r1-140m-depths'], ['smol-q4f16']]);
    expect(compare.docs.map((doc) => doc.id)).toEqual(['r1-140m-depths', 'smol-q4f16']);
    expect(compare.trials).toHaveLength(6);
    // the out-of-memory trial has nothing to chart
    expect(compare.selectedTrials.map((trial) => trial.key)).not.toContain(KEYS.big);
    expect(compare.selectedTrials).toHaveLength(5);
    expect(compare.error).toBeNull();
  });

  it('includes and excludes trials', async () => {
    provideBackend(backendWith([depthRun()]).backend);
    const compare = useCompareStore();
    await compare.openRuns(['r1-140m-depths']);
    const id = `r1-140m-depths/${KEYS.int4d0}`;
    compare.setSelected(id, false);
    expect(compare.isSelected(id)).toBe(false);
    expect(compare.selectedTrials).toHaveLength(3);
    compare.setSelected(id, true);
    expect(compare.selectedTrials).toHaveLength(4);
    compare.selectNone();
    expect(compare.selectedTrials).toHaveLength(0);
    compare.selectAll();
    expect(compare.selectedTrials).toHaveLength(4);
    expect(compare.isSelected(`r1-140m-depths/${KEYS.big}`)).toBe(false);
  });

  it('opens the runs it can and names the ones it cannot', async () => {
    provideBackend(backendWith([smolRun()]).backend);
    const compare = useCompareStore();
    await compare.openRuns(['gone', 'smol-q4f16']);
    expect(compare.docs.map((doc) => doc.id)).toEqual(['smol-q4f16']);
    expect(compare.error).toBe('Could not open run gone: No run "gone" in the runs folder.');
  });

  it('keeps the runs of the latest call when an earlier one answers last', async () => {
    let release: (run: RunDocument) => void = () => {};
    const slow = new Promise<RunDocument>((resolve) => (release = resolve));
    provideBackend(
      createFakeBackend({ loadRun: async (id) => (id === 'r1-140m-depths' ? slow : smolRun()) }),
    );
    const compare = useCompareStore();
    const first = compare.openRuns(['r1-140m-depths']);
    await compare.openRuns(['smol-q4f16']);
    release(depthRun());
    await first;
    expect(compare.docs.map((doc) => doc.id)).toEqual(['smol-q4f16']);
    expect(compare.loading).toBe(false);
  });
});
