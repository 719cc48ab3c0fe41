import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StorageUsage, WorkbenchEvent, WorkbenchMethodResult } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';

export type MemoryBandwidth = WorkbenchMethodResult<'memoryBandwidth'>;

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The System panel's data folder and memory bandwidth: what the folder holds, clearing the model cache
 * (behind a confirm step; the engine refuses while a sweep runs), and the measured read bandwidth with
 * onnxruntime's GEMV beside it.
 */
export const useStorageStore = defineStore('storage', () => {
  const bandwidth = ref<MemoryBandwidth | null>(null);
  const measuring = ref(false);
  const bandwidthError = ref<string | null>(null);

  const usage = ref<StorageUsage | null>(null);
  const loadingUsage = ref(false);
  const usageError = ref<string | null>(null);

  /** true between "Clear model cache" and its confirmation or cancel */
  const confirmingClear = ref(false);
  const clearing = ref(false);
  const freedBytes = ref<number | null>(null);
  const clearError = ref<string | null>(null);

  /**
   * What the engine has cached (measured earlier, by a trial, the CLI or this screen), never measuring:
   * shown with when and how on opening. Nothing cached answers 'not-measured' with why.
   */
  async function loadCachedBandwidth(): Promise<void> {
    if (measuring.value) return;
    try {
      const cached = await useBackend().memoryBandwidth({ cachedOnly: true });
      // a measurement started meanwhile answers for itself
      if (!measuring.value) bandwidth.value = cached;
    } catch (cause) {
      bandwidthError.value = messageOf(cause);
    }
  }

  /**
   * Measures the memory's read bandwidth (the roofline's bound) and onnxruntime's GEMV again, whatever
   * the engine has cached (a few seconds). A noisy machine answers "not measured" with why.
   */
  async function measureBandwidth(): Promise<void> {
    if (measuring.value) return;
    measuring.value = true;
    bandwidthError.value = null;
    try {
      bandwidth.value = await useBackend().memoryBandwidth({ measure: true });
    } catch (cause) {
      bandwidthError.value = messageOf(cause);
    } finally {
      measuring.value = false;
    }
  }

  async function loadUsage(): Promise<void> {
    loadingUsage.value = true;
    usageError.value = null;
    try {
      usage.value = await useBackend().storage();
    } catch (cause) {
      usageError.value = messageOf(cause);
    } finally {
      loadingUsage.value = false;
    }
  }

  let unsubscribe: (() => void) | null = null;
  /** agents' copied runs so far: a run copied in changes what the runs folder holds */
  let copiedFromAgents: number | undefined;

  /**
   * The sizes are read again when what the folder holds changed: a sweep finished (its run and the
   * models it built), an agent's run was copied in, a run file was imported (sizesChanged), the cache was
   * cleared. Sizes never read yet (System not opened) are left to be read when it opens.
   */
  function followChanges(): void {
    unsubscribe ??= useBackend().onEvent((message: WorkbenchEvent) => {
      if (message.kind === 'agents') {
        const copied = message.agents.reduce((sum, agent) => sum + agent.copiedRuns, 0);
        if (copiedFromAgents !== undefined && copied !== copiedFromAgents) sizesChanged();
        copiedFromAgents = copied;
        return;
      }
      if (message.event.type === 'done') sizesChanged();
    });
  }

  /** Something changed the data folder: read its sizes again if they are on show. */
  function sizesChanged(): void {
    if (usage.value !== null || usageError.value !== null) void loadUsage();
  }

  function askClear(): void {
    confirmingClear.value = true;
    freedBytes.value = null;
    clearError.value = null;
  }

  function cancelClear(): void {
    confirmingClear.value = false;
  }

  /** Deletes the model cache; does nothing unless askClear() came first. */
  async function confirmClear(): Promise<void> {
    if (!confirmingClear.value || clearing.value) return;
    confirmingClear.value = false;
    clearing.value = true;
    clearError.value = null;
    try {
      freedBytes.value = (await useBackend().clearModelCache()).freedBytes;
    } catch (cause) {
      clearError.value = messageOf(cause);
    } finally {
      clearing.value = false;
    }
    await loadUsage();
  }

  return {
    bandwidth,
    measuring,
    bandwidthError,
    usage,
    loadingUsage,
    usageError,
    confirmingClear,
    clearing,
    freedBytes,
    clearError,
    measureBandwidth,
    loadCachedBandwidth,
    loadUsage,
    followChanges,
    sizesChanged,
    askClear,
    cancelClear,
    confirmClear,
  };
});
