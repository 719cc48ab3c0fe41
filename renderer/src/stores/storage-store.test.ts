// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StorageUsage, WorkbenchApi } from '../../../profiler/api';
import SystemPanel from '../components/SystemPanel.vue';
import { createFakeBackend } from '../../test/fake-backend';
import { provideBackend } from '../backend/workbench-backend';
import { useRunsStore } from './runs-store';
import { useStorageStore, type MemoryBandwidth } from './storage-store';

const usage: StorageUsage = {
  dataDir: '/data',
  modelsBytes: 3e9,
  runsBytes: 2e6,
  profilesBytes: 1e6,
  cacheBytes: 2.5e9,
};

const measured = (fromCache: boolean): MemoryBandwidth => ({
  status: 'measured',
  ep: 'cpu',
  bytesPerSecond: 4e10,
  method: 'streaming read on every core: 2 workers × 1920 MiB',
  spread: 0.01,
  measuredAt: '2025-01-01T00:00:00.000Z',
  kernel: { bytesPerSecond: 2.5e10, method: 'onnxruntime MatMul GEMV over 512 MiB', spread: 0.03 },
  fromCache,
});

const notYet: MemoryBandwidth = {
  status: 'not-measured',
  ep: 'cpu',
  reason: 'not measured yet on this machine: the first trial measures it',
};

function fakeBackend(overrides: Partial<WorkbenchApi> = {}) {
  const backend = createFakeBackend({
    // nothing cached yet: the engine answers 'not measured yet' to a look that must not measure
    memoryBandwidth: async (request): Promise<MemoryBandwidth> =>
      request?.cachedOnly ? notYet : measured(false),
    storage: async () => usage,
    clearModelCache: async () => ({ freedBytes: 2.5e9 }),
    ...overrides,
  });
  provideBackend(backend);
  return backend;
}

describe('storage store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('measures the memory bandwidth again when asked, and is not measuring afterwards', async () => {
    const backend = fakeBackend();
    const store = useStorageStore();
    expect(store.bandwidth).toBeNull();
    const measuring = store.measureBandwidth();
    expect(store.measuring).toBe(true);
    await measuring;
    expect(store.measuring).toBe(false);
    expect(store.bandwidth).toMatchObject({ status: 'measured', bytesPerSecond: 4e10 });
    // Measure means measure: the engine's cache is not an answer
    expect(backend.memoryBandwidth).toHaveBeenCalledWith({ measure: true });
  });

  it('shows why the bandwidth was not measured, with no figure', async () => {
    const reason =
      'not measured: the machine was too noisy (spread 14% at best in 3 attempts; at most 10% is accepted)';
    fakeBackend({
      memoryBandwidth: vi.fn(async () => ({ status: 'not-measured' as const, ep: 'cpu' as const, reason })),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SystemPanel, { global: { plugins: [pinia] } });
    await flushPromises();
    await wrapper.get('[data-testid="measure-bandwidth"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="bandwidth-not-measured"]').text()).toBe(reason);
    expect(wrapper.find('[data-testid="bandwidth-bound"]').exists()).toBe(false);
  });

  it("shows the engine's message when measuring fails", async () => {
    fakeBackend({ memoryBandwidth: vi.fn(async () => Promise.reject(new Error('no timer'))) });
    const store = useStorageStore();
    await store.measureBandwidth();
    expect(store.bandwidthError).toBe('no timer');
    expect(store.bandwidth).toBeNull();
    expect(store.measuring).toBe(false);
  });

  it('reads what the data folder holds', async () => {
    fakeBackend();
    const store = useStorageStore();
    await store.loadUsage();
    expect(store.usage).toEqual(usage);
    expect(store.usageError).toBeNull();
  });

  it('clears the model cache only after the confirm step, then re-reads the sizes', async () => {
    const backend = fakeBackend();
    const store = useStorageStore();
    await store.confirmClear();
    expect(backend.clearModelCache).not.toHaveBeenCalled();

    store.askClear();
    expect(store.confirmingClear).toBe(true);
    store.cancelClear();
    await store.confirmClear();
    expect(backend.clearModelCache).not.toHaveBeenCalled();

    store.askClear();
    await store.confirmClear();
    expect(backend.clearModelCache).toHaveBeenCalledTimes(1);
    expect(store.freedBytes).toBe(2.5e9);
    expect(store.confirmingClear).toBe(false);
    expect(store.clearing).toBe(false);
    expect(backend.storage).toHaveBeenCalledTimes(1);
  });

  it("shows the engine's refusal while a sweep runs", async () => {
    fakeBackend({
      clearModelCache: vi.fn(async () =>
        Promise.reject(new Error('A sweep is running; clear the model cache after it ends.')),
      ),
    });
    const store = useStorageStore();
    store.askClear();
    await store.confirmClear();
    expect(store.clearError).toBe('A sweep is running; clear the model cache after it ends.');
    expect(store.freedBytes).toBeNull();
    expect(store.clearing).toBe(false);
  });
});

describe('System panel: bandwidth and data folder', () => {
  it('measures on request, shows sizes, and clears the cache after confirming', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const backend = fakeBackend({ system: async () => Promise.reject(new Error('offline')) });
    const wrapper = mount(SystemPanel, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="system-error"]').text()).toContain('offline');
    expect(wrapper.get('[data-testid="storage"]').text()).toContain('/data');
    expect(wrapper.get('[data-testid="storage-cache"]').text()).toMatch(/GiB|GB/);

    expect(wrapper.get('[data-testid="memory-bandwidth"]').text()).toContain('few seconds');
    await wrapper.get('[data-testid="measure-bandwidth"]').trigger('click');
    await flushPromises();
    // both figures, each labelled, and when
    expect(wrapper.get('[data-testid="bandwidth-bound"]').text()).toMatch(
      /37\.3 GiB\/s\s+memory read bandwidth — the roofline's bound\s+· streaming read on every core/,
    );
    expect(wrapper.get('[data-testid="bandwidth-kernel"]').text()).toMatch(
      /23\.3 GiB\/s\s+what onnxruntime's own kernel reaches here\s+· onnxruntime MatMul GEMV/,
    );
    expect(wrapper.get('[data-testid="bandwidth-measured-at"]').text()).toContain('Measured');
    expect(wrapper.get('[data-testid="measure-bandwidth"]').text()).toBe('Measure again');

    expect(wrapper.find('[data-testid="confirm-clear"]').exists()).toBe(false);
    await wrapper.get('[data-testid="clear-model-cache"]').trigger('click');
    expect(backend.clearModelCache).not.toHaveBeenCalled();
    await wrapper.get('[data-testid="confirm-clear"]').trigger('click');
    await flushPromises();
    expect(backend.clearModelCache).toHaveBeenCalledTimes(1);
    expect(wrapper.get('[data-testid="clear-result"]').text()).toMatch(/Freed .*(GiB|GB)/);
  });
});

describe('System panel: what is already known, and sizes that follow the data folder', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows the bandwidth the engine already measured, with when and how, and offers Measure again', async () => {
    const backend = fakeBackend({
      memoryBandwidth: vi.fn(async (request) => (request?.cachedOnly ? measured(true) : measured(false))),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SystemPanel, { global: { plugins: [pinia] } });
    await flushPromises();
    // on opening: the cached figure, read without measuring
    expect(backend.memoryBandwidth).toHaveBeenCalledWith({ cachedOnly: true });
    expect(backend.memoryBandwidth).not.toHaveBeenCalledWith({ measure: true });
    expect(wrapper.get('[data-testid="bandwidth-bound"]').text()).toMatch(
      /37\.3 GiB\/s\s+memory read bandwidth — the roofline's bound\s+· streaming read on every core/,
    );
    expect(wrapper.get('[data-testid="bandwidth-measured-at"]').text()).toMatch(
      /Measured .*2025.*kept in the data folder/,
    );
    expect(wrapper.get('[data-testid="measure-bandwidth"]').text()).toBe('Measure again');
  });

  it('says the bandwidth is not measured yet and offers Measure when nothing is cached', async () => {
    fakeBackend();
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SystemPanel, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="bandwidth-not-measured"]').text()).toContain('not measured yet');
    expect(wrapper.get('[data-testid="measure-bandwidth"]').text()).toBe('Measure');
  });

  it('reads the sizes again when a sweep finishes and when a run file is imported', async () => {
    let runsBytes = 0;
    const backend = fakeBackend({
      storage: vi.fn(async () => ({ ...usage, runsBytes })),
      importRun: async () => ({ id: 'r2', originalId: 'r2' }),
      listRuns: async () => ({ runs: [], problems: [] }),
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SystemPanel, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="storage-runs"]').text()).toBe('0 B');

    runsBytes = 5 * 1024 * 1024;
    backend.emit({ kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } });
    await flushPromises();
    expect(wrapper.get('[data-testid="storage-runs"]').text()).toBe('5.0 MiB');

    runsBytes = 7 * 1024 * 1024;
    await useRunsStore().importRunFile(new File(['{}'], 'colleague.json'));
    await flushPromises();
    expect(wrapper.get('[data-testid="storage-runs"]').text()).toBe('7.0 MiB');
    // a trial's progress is not a change of the folder
    const reads = backend.storage.mock.calls.length;
    backend.emit({
      kind: 'sweep',
      runId: 'r3',
      event: { type: 'trial-progress', key: 'k', progress: { phase: 'decode' } },
    });
    await flushPromises();
    expect(backend.storage.mock.calls.length).toBe(reads);
  });
});
