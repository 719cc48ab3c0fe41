import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend } from '../../test/fake-backend';
import { systemInfo } from '../../test/system-info';
import { provideBackend } from '../backend/workbench-backend';
import { useSystemStore } from './system-store';

const info = systemInfo();

describe('system store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('holds what the backend reports, and is not loading afterwards', async () => {
    provideBackend(createFakeBackend({ system: async () => info }));
    const store = useSystemStore();
    const refreshing = store.refresh();
    expect(store.loading).toBe(true);
    await refreshing;
    expect(store.loading).toBe(false);
    expect(store.info).toEqual(info);
    expect(store.error).toBeNull();
  });

  it('reads the facts the engine holds on load, and asks it to probe the hardware again on refresh', async () => {
    const backend = createFakeBackend({ system: async () => info });
    provideBackend(backend);
    const store = useSystemStore();
    await store.load();
    expect(backend.system).toHaveBeenLastCalledWith();
    await store.refresh();
    expect(backend.system).toHaveBeenLastCalledWith({ refresh: true });
    expect(store.info).toEqual(info);
  });

  it("shows the backend's message when it fails, keeping the last good facts", async () => {
    const backend = createFakeBackend({ system: async () => info });
    provideBackend(backend);
    const store = useSystemStore();
    await store.refresh();
    backend.system.mockRejectedValueOnce(
      new Error('Lost the connection to the workbench engine at 127.0.0.1:7420.'),
    );
    await store.refresh();
    expect(store.error).toBe('Lost the connection to the workbench engine at 127.0.0.1:7420.');
    expect(store.info).toEqual(info);
    expect(store.loading).toBe(false);
  });
});
