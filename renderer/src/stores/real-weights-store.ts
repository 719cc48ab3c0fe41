import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ImportedModel, WorkbenchEvent } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { useBuilderStore } from './builder-store';

/** One catalog card's real-weights import, as the card shows it. */
export interface RealWeightsState {
  status: 'working' | 'done' | 'failed';
  stage: 'download' | 'import' | 'done' | 'failed';
  /** bytes of the stage done and in all */
  doneBytes: number;
  totalBytes: number;
  message: string | null;
  result: ImportedModel | null;
}

/**
 * "Use real weights" on a catalog card: the engine imports the published checkpoint (from the Hugging
 * Face cache, or downloaded into it), and the imported folder joins the sweep beside the synthetic
 * build — a distinct configuration, labelled by its folder, whose quality can be measured.
 */
export const useRealWeightsStore = defineStore('real-weights', () => {
  const byModel = ref<Record<string, RealWeightsState>>({});
  let unsubscribe: (() => void) | null = null;

  function listen(): void {
    unsubscribe ??= useBackend().onEvent((event: WorkbenchEvent) => {
      if (event.kind !== 'import') return;
      const state = byModel.value[event.source];
      if (!state || state.status !== 'working') return;
      byModel.value[event.source] = {
        ...state,
        stage: event.stage,
        doneBytes: event.doneBytes,
        totalBytes: event.totalBytes,
        message: event.message ?? state.message,
      };
    });
  }

  async function useRealWeights(catalogId: string): Promise<void> {
    if (byModel.value[catalogId]?.status === 'working') return;
    listen();
    byModel.value[catalogId] = {
      status: 'working',
      stage: 'download',
      doneBytes: 0,
      totalBytes: 0,
      message: null,
      result: null,
    };
    try {
      const result = await useBackend().importModel({ source: catalogId });
      byModel.value[catalogId] = { ...byModel.value[catalogId]!, status: 'done', stage: 'done', result };
      useBuilderStore().addFolder(result.dir);
    } catch (cause) {
      byModel.value[catalogId] = {
        ...byModel.value[catalogId]!,
        status: 'failed',
        stage: 'failed',
        message: cause instanceof Error ? cause.message : String(cause),
      };
    }
  }

  return { byModel, useRealWeights };
});
