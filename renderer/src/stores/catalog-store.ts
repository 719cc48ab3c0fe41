import { defineStore } from 'pinia';
import type { CatalogSummary } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { useEngineRead } from './engine-read';

/** The engine's model catalog, for the run builder's cards: read once, again on request. */
export const useCatalogStore = defineStore('catalog', () => {
  const {
    value: models,
    loading,
    error,
    refresh,
  } = useEngineRead<CatalogSummary[]>(() => useBackend().catalog(), []);
  return { models, loading, error, refresh };
});
