import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunDocument, RunQualityEntry } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { comparedTrials, isMeasured, type MeasuredTrial } from '../charts/compared-trial';

/**
 * The Compare screen's data: the opened run documents, every trial in them, and which of the measured
 * trials the charts show (all of them until someone unticks one). History and the run builder open runs
 * here with `openRuns`.
 */
export const useCompareStore = defineStore('compare', () => {
  const docs = ref<RunDocument[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** trial ids (`runId/key`) left out of the charts */
  const excluded = ref<string[]>([]);
  // a later openRuns wins over one still loading
  let request = 0;

  const trials = computed(() => comparedTrials(docs.value));
  const measuredTrials = computed(() => trials.value.filter(isMeasured));
  const selectedTrials = computed<MeasuredTrial[]>(() =>
    measuredTrials.value.filter((trial) => !excluded.value.includes(trial.id)),
  );
  const qualityByRun = computed(
    () => new Map<string, readonly RunQualityEntry[]>(docs.value.map((doc) => [doc.id, doc.quality])),
  );

  /** Replaces the opened runs. A run that cannot be loaded is named in `error`; the others open. */
  async function openRuns(ids: string[]): Promise<void> {
    const mine = ++request;
    const unique = [...new Set(ids)];
    loading.value = true;
    error.value = null;
    try {
      const settled = await Promise.allSettled(unique.map((id) => useBackend().loadRun(id)));
      if (mine !== request) return;
      const failures = settled.flatMap((outcome, index) =>
        outcome.status === 'rejected'
          ? [
              `Could not open run ${unique[index]}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
            ]
          : [],
      );
      docs.value = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      excluded.value = [];
      error.value = failures.length ? failures.join('\n') : null;
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  function isSelected(id: string): boolean {
    return measuredTrials.value.some((trial) => trial.id === id) && !excluded.value.includes(id);
  }

  function setSelected(id: string, selected: boolean): void {
    const without = excluded.value.filter((excludedId) => excludedId !== id);
    excluded.value = selected ? without : [...without, id];
  }

  function selectAll(): void {
    excluded.value = [];
  }

  function selectNone(): void {
    excluded.value = measuredTrials.value.map((trial) => trial.id);
  }

  function close(): void {
    request += 1;
    docs.value = [];
    excluded.value = [];
    error.value = null;
    loading.value = false;
  }

  return {
    docs,
    loading,
    error,
    excluded,
    trials,
    measuredTrials,
    selectedTrials,
    qualityByRun,
    openRuns,
    isSelected,
    setSelected,
    selectAll,
    selectNone,
    close,
  };
});
