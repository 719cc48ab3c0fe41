import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { provideBackend } from '../backend/workbench-backend';
import { asBackend, catalogCard, fakeBackend } from './builder-store.fixtures';
import { useCatalogStore } from './catalog-store';

describe('catalog store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("holds the engine's catalog, or its message when it cannot be read", async () => {
    const backend = fakeBackend();
    provideBackend(asBackend(backend));
    const catalog = useCatalogStore();
    await catalog.refresh();
    expect(catalog.models).toEqual([catalogCard]);
    backend.catalog.mockRejectedValueOnce(new Error('Lost the connection to the workbench engine.'));
    await catalog.refresh();
    expect(catalog.error).toBe('Lost the connection to the workbench engine.');
    expect(catalog.models).toEqual([catalogCard]);
    expect(catalog.loading).toBe(false);
  });
});
