import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CatalogSummary } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';

/** The engine's model catalog, for the run builder's cards: read once, again on request. */
export const useCatalogStore = defineStore('catalog', () => {
  const models = ref<CatalogSummary[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function refresh(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      models.value = await useBackend().catalog();
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    } finally {
      loading.value = false;
    }
  }

  return { models, loading, error, refresh };
});
