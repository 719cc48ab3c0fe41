import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SystemInfo } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';

/** The System panel's data: this machine and onnxruntime, as the engine reports them. */
export const useSystemStore = defineStore('system', () => {
  const info = ref<SystemInfo | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function refresh(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      info.value = await useBackend().system();
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    } finally {
      loading.value = false;
    }
  }

  return { info, loading, error, refresh };
});
