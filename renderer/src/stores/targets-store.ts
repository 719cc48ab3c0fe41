import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DeviceTarget, LatencyGoal, RunAnalysis, RunSummary } from '../../../profiler/api';
import { targetSlug } from '../../../common/labels';
import { parseBandwidth, parseBytes } from '../../../common/units';
import { useBackend } from '../backend/workbench-backend';
import { useCompareStore } from './compare-store';

/** A target a person described on the Targets screen; sent to the engine as `name=…,ram=…,bandwidth=…`. */
export interface CustomTargetInput {
  id: string;
  name: string;
  /** bytes of RAM (the engine keeps its default reserve for the OS) */
  ramBytes: number;
  /** bytes/s of memory read bandwidth */
  bandwidthBytesPerSecond: number;
}

/** Why each field of the custom-target form was refused; empty when the form is fine. */
export interface CustomTargetErrors {
  name?: string;
  ram?: string;
  bandwidth?: string;
}

/** ms the analysis waits after the last change (run, targets, goal) before asking the engine */
export const ANALYZE_DEBOUNCE_MS = 300;

/** The description analyzeRun accepts for a custom target; sizes in plain bytes so nothing is re-rounded. */
export function customDescription(target: CustomTargetInput): string {
  return `id=${target.id},name=${target.name},ram=${target.ramBytes},bandwidth=${target.bandwidthBytesPerSecond}`;
}

/**
 * Checks the custom-target form. Returns the target, or the errors per field (never both).
 * `takenIds`: ids already in use (presets, this machine, earlier custom targets).
 */
export function validateCustomTarget(
  form: { name: string; ram: string; bandwidth: string },
  takenIds: readonly string[],
): { target: CustomTargetInput; errors?: undefined } | { target?: undefined; errors: CustomTargetErrors } {
  const errors: CustomTargetErrors = {};
  const name = form.name.trim();
  const id = targetSlug(name);
  if (!name) errors.name = 'Give the target a name.';
  else if (/[,=]/.test(name)) errors.name = 'A target name cannot contain “,” or “=”.';
  else if (!id) errors.name = 'The name needs at least one letter or digit.';
  else if (takenIds.includes(id))
    errors.name = `There is already a target with the id “${id}”: choose another name.`;

  let ramBytes = 0;
  if (!form.ram.trim()) errors.ram = 'Give the RAM, e.g. 4GB.';
  else {
    try {
      ramBytes = parseBytes(form.ram);
      if (ramBytes <= 0) errors.ram = 'The RAM must be more than 0 bytes.';
    } catch (cause) {
      errors.ram = message(cause);
    }
  }

  let bandwidthBytesPerSecond = 0;
  if (!form.bandwidth.trim()) errors.bandwidth = 'Give the memory bandwidth, e.g. 12GB/s.';
  else {
    try {
      bandwidthBytesPerSecond = parseBandwidth(form.bandwidth);
      if (bandwidthBytesPerSecond <= 0) errors.bandwidth = 'The bandwidth must be more than 0 bytes/s.';
    } catch (error) {
      // the byte size it could not read, then what a bandwidth is written as
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      errors.bandwidth = `${message(cause).replace(/\.$/, '')} (bytes per second; “/s” is optional).`;
    }
  }

  if (errors.name || errors.ram || errors.bandwidth) return { errors };
  return { target: { id, name, ramBytes, bandwidthBytesPerSecond } };
}

/** A goal field: empty → no goal; otherwise a positive number, or why not. */
function parseGoalNumber(text: string | number, what: string): { value?: number; error?: string } {
  // a number input's v-model hands over a number once something numeric is typed
  const trimmed = String(text).trim();
  if (!trimmed) return {};
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value <= 0) return { error: `${what} must be a number above 0, or empty.` };
  return { value };
}

/**
 * The Targets screen: a run, the device targets it is judged against (presets, this machine, custom ones
 * typed here), a latency goal, and the engine's analysis of them (fit verdicts, KV pressure).
 */
export const useTargetsStore = defineStore('targets', () => {
  const runs = ref<RunSummary[]>([]);
  const runId = ref<string | null>(null);
  const deviceTargets = ref<DeviceTarget[]>([]);
  const customTargets = ref<CustomTargetInput[]>([]);
  /** ids of the targets the analysis uses (device targets and custom ones) */
  const enabledIds = ref<string[]>([]);
  /** the goal inputs as typed: '' for no goal */
  const goalDecode = ref<string | number>('');
  const goalTtft = ref<string | number>('');
  const loading = ref(false);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);

  const analysis = ref<RunAnalysis | null>(null);
  const analyzing = ref(false);
  const analysisError = ref<string | null>(null);
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const decodeGoal = computed(() => parseGoalNumber(goalDecode.value, 'The decode goal (tokens/s)'));
  const ttftGoal = computed(() => parseGoalNumber(goalTtft.value, 'The time-to-first-token goal (ms)'));
  const goalErrors = computed(() =>
    [decodeGoal.value.error, ttftGoal.value.error].filter((error): error is string => Boolean(error)),
  );
  const goal = computed<LatencyGoal>(() => {
    const next: LatencyGoal = {};
    if (decodeGoal.value.value !== undefined) next.minDecodeTokensPerSecond = decodeGoal.value.value;
    if (ttftGoal.value.value !== undefined) next.maxTtftMs = ttftGoal.value.value;
    return next;
  });

  /** What analyzeRun is asked for: preset ids in their order, then custom descriptions. */
  const requestTargets = computed(() => [
    ...deviceTargets.value
      .filter((target) => enabledIds.value.includes(target.id))
      .map((target) => target.id),
    ...customTargets.value.filter((target) => enabledIds.value.includes(target.id)).map(customDescription),
  ]);

  const takenIds = computed(() => [
    ...deviceTargets.value.map((target) => target.id),
    ...customTargets.value.map((target) => target.id),
  ]);

  /** Reads the runs and the device targets; picks the first run opened in Compare, else the newest. */
  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      const backend = useBackend();
      const [list, targets] = await Promise.all([backend.listRuns(), backend.deviceTargets()]);
      runs.value = [...list.runs].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      const firstLoad = deviceTargets.value.length === 0;
      deviceTargets.value = targets;
      if (firstLoad) {
        enabledIds.value = [
          ...targets.map((target) => target.id),
          ...enabledIds.value.filter((id) => customTargets.value.some((target) => target.id === id)),
        ];
      }
      const present = new Set(runs.value.map((run) => run.id));
      if (!runId.value || !present.has(runId.value)) {
        const opened = useCompareStore().docs.find((doc) => present.has(doc.id));
        runId.value = opened?.id ?? runs.value[0]?.id ?? null;
      }
    } catch (cause) {
      loadError.value = `Could not read the runs and device targets: ${message(cause)}`;
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function isEnabled(id: string): boolean {
    return enabledIds.value.includes(id);
  }

  function setEnabled(id: string, on: boolean): void {
    const rest = enabledIds.value.filter((enabled) => enabled !== id);
    enabledIds.value = on ? [...rest, id] : rest;
  }

  /** Adds (and turns on) a custom target; returns the errors per field when the form is refused. */
  function addCustomTarget(form: {
    name: string;
    ram: string;
    bandwidth: string;
  }): CustomTargetErrors | null {
    const checked = validateCustomTarget(form, takenIds.value);
    if (checked.errors) return checked.errors;
    customTargets.value = [...customTargets.value, checked.target];
    enabledIds.value = [...enabledIds.value, checked.target.id];
    return null;
  }

  function removeCustomTarget(id: string): void {
    customTargets.value = customTargets.value.filter((target) => target.id !== id);
    enabledIds.value = enabledIds.value.filter((enabled) => enabled !== id);
  }

  /** Asks the engine now; a later call wins over one still running. */
  async function analyze(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const mine = ++request;
    const id = runId.value;
    if (!id || requestTargets.value.length === 0 || goalErrors.value.length) {
      analysis.value = null;
      analysisError.value = null;
      analyzing.value = false;
      return;
    }
    analyzing.value = true;
    analysisError.value = null;
    try {
      const result = await useBackend().analyzeRun(id, { targets: requestTargets.value, goal: goal.value });
      if (mine !== request) return;
      analysis.value = result;
    } catch (cause) {
      if (mine !== request) return;
      analysis.value = null;
      analysisError.value = `Could not analyse the run: ${message(cause)}`;
    } finally {
      if (mine === request) analyzing.value = false;
    }
  }

  /** Analyses after ANALYZE_DEBOUNCE_MS without further changes. */
  function scheduleAnalyze(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void analyze(), ANALYZE_DEBOUNCE_MS);
  }

  function cancelScheduled(): void {
    clearTimeout(timer);
    timer = undefined;
  }

  return {
    runs,
    runId,
    deviceTargets,
    customTargets,
    enabledIds,
    goalDecode,
    goalTtft,
    goal,
    goalErrors,
    loading,
    loaded,
    loadError,
    analysis,
    analyzing,
    analysisError,
    requestTargets,
    load,
    isEnabled,
    setEnabled,
    addCustomTarget,
    removeCustomTarget,
    analyze,
    scheduleAnalyze,
    cancelScheduled,
  };
});

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
