import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { builderBackend } from '../../test/builder-backend';
import { catalogCard } from '../../test/catalog-summary';
import { provideBackend } from '../backend/workbench-backend';
import { useCatalogStore } from './catalog-store';

describe('catalog store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("holds the engine's catalog, or its message when it cannot be read", async () => {
    const backend = builderBackend();
    provideBackend(backend);
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
