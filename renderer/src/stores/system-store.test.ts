import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SystemInfo } from '../../../profiler/api';
import { provideBackend, type WorkbenchBackend } from '../backend/workbench-backend';
import { useSystemStore } from './system-store';

const info = { onnxruntime: { version: '1.30.0', backends: [] } } as unknown as SystemInfo;

function backendWith(system: WorkbenchBackend['system']): WorkbenchBackend {
  // only system() is called by this store
  return { kind: 'socket', location: 'test', system } as unknown as WorkbenchBackend;
}

describe('system store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('holds what the backend reports, and is not loading afterwards', async () => {
    provideBackend(backendWith(vi.fn(async () => info)));
    const store = useSystemStore();
    const refreshing = store.refresh();
    expect(store.loading).toBe(true);
    await refreshing;
    expect(store.loading).toBe(false);
    expect(store.info).toEqual(info);
    expect(store.error).toBeNull();
  });

  it("shows the backend's message when it fails, keeping the last good facts", async () => {
    const system = vi.fn(async () => info);
    provideBackend(backendWith(system));
    const store = useSystemStore();
    await store.refresh();
    system.mockRejectedValueOnce(new Error('Lost the connection to the workbench engine at 127.0.0.1:7420.'));
    await store.refresh();
    expect(store.error).toBe('Lost the connection to the workbench engine at 127.0.0.1:7420.');
    expect(store.info).toEqual(info);
    expect(store.loading).toBe(false);
  });
});
