import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ExportFormat, RunSummary, WorkbenchEvent, WorkbenchMethodResult } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { useCompareStore } from './compare-store';
import { useLiveRunStore } from './live-run-store';
import { useNavigationStore } from './navigation-store';
import { useStorageStore } from './storage-store';

export type { ExportFormat };
export type ExportedRun = WorkbenchMethodResult<'exportRun'>;
export type ImportedRun = WorkbenchMethodResult<'importRun'>;
/** a file in the runs folder that could not be read, with why */
export type RunProblem = WorkbenchMethodResult<'listRuns'>['problems'][number];

export const EXPORT_FORMATS: readonly { id: ExportFormat; label: string }[] = [
  { id: 'html', label: 'HTML report' },
  { id: 'md', label: 'Markdown' },
  { id: 'csv', label: 'CSV' },
  { id: 'json', label: 'JSON' },
  { id: 'jsonl', label: "llama-bench's records (JSONL)" },
];

/** Every word of the query must occur in the run's name, id or one of its tags (case-insensitive). */
/** What an import says: the id it got, and the file's own id when that was taken. */
export function importedText(imported: { id: string; originalId: string }): string {
  return imported.id === imported.originalId
    ? `Imported as ${imported.id}`
    : `Imported as ${imported.id} (${imported.originalId} in the file)`;
}

export function matchesSearch(run: RunSummary, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  // the device too: "pi" finds the runs copied from the Raspberry Pi agent
  const haystack = [run.name, run.id, ...run.tags, run.device ?? ''].map((text) => text.toLowerCase());
  return words.every((word) => haystack.some((text) => text.includes(word)));
}

/** "int4, long context" → ["int4", "long context"]: tags are split on commas only, so they may hold spaces. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/** ms to wait after a sweep event before listing again, so a fast sweep does not list once per trial */
const EVENT_REFRESH_DELAY_MS = 1000;

/**
 * The History screen's data: the runs in the data folder (newest first), the files that could not be read,
 * the search and selection, and the actions on a run. Each action lists the runs again afterwards, so the
 * screen shows what the engine has, not what the renderer guessed.
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunSummary[]>([]);
  const problems = ref<RunProblem[]>([]);
  const search = ref('');
  const loading = ref(false);
  /** true once the first list arrived (or failed): before that the screen says it is reading */
  const loaded = ref(false);
  /** runs with an action in flight; their buttons are disabled */
  const busyIds = ref<string[]>([]);
  /** why the last list failed; cleared by the next list that works */
  const listError = ref<string | null>(null);
  /** why the last action on a run failed; cleared when the next action starts */
  const actionError = ref<string | null>(null);
  const error = computed(() => actionError.value ?? listError.value);
  /** the run just deleted, while the screen offers to undo it */
  const deleted = ref<{ id: string; name: string } | null>(null);
  const selectedIds = ref<string[]>([]);
  /** an import in flight */
  const importing = ref(false);
  /** "Imported as <id>" after the last import worked; cleared by the next one */
  const importMessage = ref<string | null>(null);
  /** why the last import failed; cleared by the next one */
  const importError = ref<string | null>(null);

  const visibleRuns = computed(() => runs.value.filter((run) => matchesSearch(run, search.value)));

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const list = await useBackend().listRuns();
      runs.value = [...list.runs].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      problems.value = list.problems;
      const present = new Set(runs.value.map((run) => run.id));
      selectedIds.value = selectedIds.value.filter((id) => present.has(id));
      listError.value = null;
    } catch (cause) {
      listError.value = `Could not list the runs: ${message(cause)}`;
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function nameOf(id: string): string {
    return runs.value.find((run) => run.id === id)?.name || id;
  }

  /** Runs one action on one run: busy while it runs, a sentence naming the run when it fails. */
  async function act<T>(id: string, what: string, action: () => Promise<T>): Promise<T | undefined> {
    busyIds.value = [...busyIds.value, id];
    actionError.value = null;
    try {
      return await action();
    } catch (cause) {
      actionError.value = `Could not ${what} “${nameOf(id)}”: ${message(cause)}`;
      return undefined;
    } finally {
      busyIds.value = busyIds.value.filter((busy) => busy !== id);
    }
  }

  async function rename(id: string, name: string): Promise<void> {
    const next = name.trim();
    if (!next) {
      actionError.value = `A run needs a name: “${nameOf(id)}” keeps its own.`;
      return;
    }
    if (next === nameOf(id)) return;
    await act(id, 'rename', () => useBackend().renameRun(id, next));
    await refresh();
  }

  async function addTags(id: string, text: string): Promise<void> {
    const have = new Set(runs.value.find((run) => run.id === id)?.tags ?? []);
    const tags = parseTags(text).filter((tag) => !have.has(tag));
    if (!tags.length) return;
    await act(id, 'tag', () => useBackend().tagRun(id, tags));
    await refresh();
  }

  async function removeTag(id: string, tag: string): Promise<void> {
    await act(id, 'untag', () => useBackend().tagRun(id, [tag], true));
    await refresh();
  }

  /** Moves the run to the trash; `undoDelete` brings it back. */
  async function remove(id: string): Promise<void> {
    const name = nameOf(id);
    const done = await act(id, 'delete', () => useBackend().deleteRun(id));
    if (done) {
      deleted.value = { id, name };
      selectedIds.value = selectedIds.value.filter((selected) => selected !== id);
    }
    await refresh();
  }

  async function undoDelete(): Promise<void> {
    const last = deleted.value;
    if (!last) return;
    busyIds.value = [...busyIds.value, last.id];
    actionError.value = null;
    try {
      await useBackend().restoreRun(last.id);
      deleted.value = null;
    } catch (cause) {
      actionError.value = `Could not restore “${last.name}”: ${message(cause)}`;
    } finally {
      busyIds.value = busyIds.value.filter((busy) => busy !== last.id);
    }
    await refresh();
  }

  function dismissUndo(): void {
    deleted.value = null;
  }

  /** The run as a file (the caller saves it); undefined when the engine could not export it. */
  async function exportRun(id: string, format: ExportFormat): Promise<ExportedRun | undefined> {
    return act(id, `export (${format})`, () => useBackend().exportRun(id, format));
  }

  /**
   * Stores a run file from another machine (a run document as JSON). The engine validates it and never
   * overwrites: the imported run may get a new id, which the message names.
   */
  async function importRunFile(file: File): Promise<ImportedRun | undefined> {
    importing.value = true;
    importMessage.value = null;
    importError.value = null;
    try {
      const text = await file.text();
      const imported = await useBackend().importRun(text);
      importMessage.value = importedText(imported);
      useStorageStore().sizesChanged();
      return imported;
    } catch (cause) {
      importError.value = `Could not import “${file.name}”: ${message(cause)}`;
      return undefined;
    } finally {
      importing.value = false;
      await refresh();
    }
  }

  function toggleSelected(id: string, on: boolean): void {
    const rest = selectedIds.value.filter((selected) => selected !== id);
    selectedIds.value = on ? [...rest, id] : rest;
  }

  /** Opens runs side by side on the Compare screen. */
  function openInCompare(ids: string[]): void {
    if (!ids.length) return;
    void useCompareStore().openRuns(ids);
    useNavigationStore().open('compare');
  }

  /** Shows a running sweep on the Live run screen. */
  function followLive(id: string): void {
    void useLiveRunStore().follow(id);
    useNavigationStore().open('live');
  }

  /**
   * Lists again shortly after a sweep finishes a trial or ends, while the screen is open, so a running run's
   * status and trial count stay current. Returns the unsubscribe function.
   */
  function listenForChanges(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** runs copied from agents so far: the list changes when this does, not at every reconnect try */
    let copiedFromAgents: number | undefined;
    const unsubscribe = useBackend().onEvent((message: WorkbenchEvent) => {
      if (message.kind === 'agents') {
        const copied = message.agents.reduce((sum, agent) => sum + agent.copiedRuns, 0);
        if (copied !== copiedFromAgents) scheduleRefresh();
        copiedFromAgents = copied;
        return;
      }
      const type = message.event.type;
      if (type !== 'trial-done' && type !== 'trial-skipped' && type !== 'done') return;
      scheduleRefresh();
    });
    function scheduleRefresh(): void {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void refresh();
      }, EVENT_REFRESH_DELAY_MS);
    }
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }

  return {
    runs,
    problems,
    search,
    loading,
    loaded,
    busyIds,
    error,
    deleted,
    selectedIds,
    visibleRuns,
    refresh,
    rename,
    addTags,
    removeTag,
    remove,
    undoDelete,
    dismissUndo,
    exportRun,
    importing,
    importMessage,
    importError,
    importRunFile,
    toggleSelected,
    openInCompare,
    followLive,
    listenForChanges,
  };
});

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
