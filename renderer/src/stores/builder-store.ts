import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type {
  DepthFillMethod,
  ExecutionProvider,
  KvBufferChoice,
  SweepSpecInput,
  WorkbenchMethodResult,
} from '../../../profiler/api';
import { QUANT_PRESET_NAMES, type QuantPresetName } from '../../../common/preset-names';
import { RUNTIMES, type Runtime } from '../../../common/runtime-names';
import { useBackend } from '../backend/workbench-backend';
import {
  parseByteSize,
  parseDepths,
  parseThreads,
  parseWholeNumber,
  parseWholeNumbers,
  type Parsed,
} from './builder-store-inputs';
import { useLiveRunStore } from './live-run-store';
import { useNavigationStore } from './navigation-store';

export type SweepPlanResult = WorkbenchMethodResult<'planSweep'>;
type ModelInput = SweepSpecInput['models'][number];

export const KV_DTYPES = ['preset', 'float32', 'float16'] as const;
export type KvDtypeChoice = (typeof KV_DTYPES)[number];
export const EXECUTION_PROVIDERS = [
  'cpu',
  'webgpu',
  'cuda',
  'dml',
  'coreml',
] as const satisfies readonly ExecutionProvider[];
// compile-time check that the list also names every provider the API accepts
type UnlistedProvider = Exclude<ExecutionProvider, (typeof EXECUTION_PROVIDERS)[number]>;
const everyProviderListed: [UnlistedProvider] extends [never] ? true : UnlistedProvider = true;
void everyProviderListed;

/** How the depth is filled (untimed): seeded values straight into the cache, or the model run over ids. */
export const FILL_METHODS = ['synthetic', 'model'] as const satisfies readonly DepthFillMethod[];
/** How the KV cache is held: 'auto' is shared where the graph allows it on the CPU, else grow. */
export const KV_BUFFERS = ['auto', 'grow', 'shared'] as const satisfies readonly KvBufferChoice[];
// compile-time checks that the lists name every choice the API accepts
type Unlisted =
  | Exclude<DepthFillMethod, (typeof FILL_METHODS)[number]>
  | Exclude<KvBufferChoice, (typeof KV_BUFFERS)[number]>;
const everyChoiceListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyChoiceListed;

export const DEFAULT_MODEL_ID = 'mobilellm-r1-140m';
/** ms of quiet after the last edit before the plan is asked for again */
export const PLAN_DEBOUNCE_MS = 350;

/** The fields typed as text, each checked before the sweep is planned. */
export type BuilderField =
  'prompts' | 'gens' | 'depths' | 'threads' | 'repetitions' | 'warmupRuns' | 'budget';

/** `list` with `value` added or removed, in the order of `order` (so the sweep reads the same however clicked). */
function toggled<T>(list: readonly T[], value: T, order: readonly T[]): T[] {
  const next = list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
  return next.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The run builder: what the person picked, as a SweepSpecInput; the engine's plan of it (trials with
 * their estimated time, peak memory and fit), asked for again a moment after each edit; and Start.
 */
export const useBuilderStore = defineStore('builder', () => {
  const modelIds = ref<string[]>([DEFAULT_MODEL_ID]);
  /** model folders (or .onnx files) on the engine's machine */
  const folders = ref<string[]>([]);
  const quants = ref<QuantPresetName[]>(['fp32', 'int4']);
  const kvDtypes = ref<KvDtypeChoice[]>(['preset']);
  /** tokens, ascending */
  const contexts = ref<number[]>([2048]);
  const eps = ref<ExecutionProvider[]>(['cpu']);
  const runtimes = ref<Runtime[]>(['onnxruntime']);
  /** one fill for the whole sweep (SweepSpec.fill) */
  const fill = ref<DepthFillMethod>('synthetic');
  const kvBuffers = ref<KvBufferChoice[]>(['auto']);
  const measureQuality = ref(false);
  const name = ref('');
  /** where the sweep runs: null for the engine this UI talks to, else an agent's id */
  const agentId = ref<string | null>(null);
  /** the text fields, as typed */
  const text = ref<Record<BuilderField, string>>({
    prompts: '128',
    gens: '64',
    // the end of each context window: the cache holds C tokens after the last step
    depths: 'end',
    threads: '',
    repetitions: '5',
    warmupRuns: '1',
    budget: '',
  });

  const parsed = computed(() => ({
    prompts: parseWholeNumbers(text.value.prompts, 'Prompt tokens', 1),
    gens: parseWholeNumbers(text.value.gens, 'Generated tokens', 1),
    depths: parseDepths(text.value.depths),
    threads: parseThreads(text.value.threads),
    repetitions: parseWholeNumber(text.value.repetitions, 'Repetitions', 1, 1000),
    warmupRuns: parseWholeNumber(text.value.warmupRuns, 'Warmup runs', 0, 100),
    budget: parseByteSize(text.value.budget),
  }));

  /** what is wrong with each text field, by field */
  const fieldErrors = computed(() => {
    const errors: Partial<Record<BuilderField, string>> = {};
    for (const [field, result] of Object.entries(parsed.value) as [BuilderField, Parsed<unknown>][])
      if (!result.ok) errors[field] = result.error;
    return errors;
  });

  /** bytes; undefined when the field is empty or does not parse */
  const budgetBytes = computed(() => (parsed.value.budget.ok ? parsed.value.budget.value : undefined));

  const models = computed<ModelInput[]>(() => [
    ...modelIds.value.map((id): ModelInput => ({ kind: 'catalog', id })),
    ...folders.value.map((path): ModelInput => ({ kind: 'folder', path })),
  ]);

  /** Why there is nothing to plan yet (a dimension left empty), or null. */
  const missing = computed<string | null>(() => {
    if (models.value.length === 0) return 'Pick a model card or add a model folder to plan a sweep.';
    if (quants.value.length === 0) return 'Pick at least one quantization preset.';
    if (kvDtypes.value.length === 0) return 'Pick at least one KV-cache dtype.';
    if (contexts.value.length === 0) return 'Pick at least one context length.';
    if (eps.value.length === 0) return 'Pick at least one execution provider.';
    if (runtimes.value.length === 0) return 'Pick at least one runtime.';
    if (kvBuffers.value.length === 0) return 'Pick at least one KV buffer.';
    return null;
  });

  /** The sweep as the engine takes it; null while a dimension is empty or a field does not parse. */
  const spec = computed<SweepSpecInput | null>(() => {
    const fields = parsed.value;
    if (missing.value !== null) return null;
    if (
      !fields.prompts.ok ||
      !fields.gens.ok ||
      !fields.depths.ok ||
      !fields.threads.ok ||
      !fields.repetitions.ok ||
      !fields.warmupRuns.ok ||
      !fields.budget.ok
    )
      return null;
    return {
      models: models.value,
      quants: [...quants.value],
      kvDtypes: [...kvDtypes.value],
      contexts: [...contexts.value],
      depths: fields.depths.value,
      fill: fill.value,
      kvBuffers: [...kvBuffers.value],
      prompts: fields.prompts.value,
      gens: fields.gens.value,
      eps: [...eps.value],
      runtimes: [...runtimes.value],
      threads: fields.threads.value,
      warmupRuns: fields.warmupRuns.value,
      repetitions: fields.repetitions.value,
      measureQuality: measureQuality.value,
      ...(fields.budget.value === undefined ? {} : { memoryBudgetBytes: fields.budget.value }),
    };
  });
  // the device is part of what a plan answers: estimates and fit depend on its memory and speed
  const specKey = computed(() => (spec.value ? JSON.stringify([spec.value, agentId.value]) : ''));

  const plan = ref<SweepPlanResult | null>(null);
  /** the spec (as JSON) the plan answers */
  const plannedKey = ref('');
  const planning = ref(false);
  const planError = ref<string | null>(null);
  const starting = ref(false);
  const startError = ref<string | null>(null);
  /** whether the plan shown is the one for the selections on screen */
  const planIsCurrent = computed(() => plan.value !== null && plannedKey.value === specKey.value);

  let timer: ReturnType<typeof setTimeout> | undefined;
  /** answers to older requests are dropped: only the latest selections' plan is shown */
  let requestSerial = 0;

  async function refreshPlan(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const current = spec.value;
    const key = specKey.value;
    const serial = ++requestSerial;
    if (!current) {
      plan.value = null;
      plannedKey.value = '';
      planError.value = null;
      planning.value = false;
      return;
    }
    planning.value = true;
    try {
      const result = await useBackend().planSweep(current, agentId.value ?? undefined);
      if (serial !== requestSerial) return;
      plan.value = result;
      plannedKey.value = key;
      planError.value = null;
    } catch (cause) {
      if (serial !== requestSerial) return;
      plan.value = null;
      plannedKey.value = '';
      planError.value = messageOf(cause);
    } finally {
      if (serial === requestSerial) planning.value = false;
    }
  }

  /** Plan again once the person stops editing for PLAN_DEBOUNCE_MS. */
  function schedulePlan(): void {
    clearTimeout(timer);
    if (spec.value === null) {
      void refreshPlan(); // nothing to ask the engine: clear the old plan at once
      return;
    }
    timer = setTimeout(() => void refreshPlan(), PLAN_DEBOUNCE_MS);
  }
  watch(specKey, schedulePlan);

  const summary = computed(() => {
    const trials = plan.value?.trials ?? [];
    return {
      trials: trials.length,
      /** s, wall clock, all trials one after another */
      seconds: trials.reduce((total, trial) => total + trial.estimate.seconds, 0),
      maxPeakBytes: trials.reduce((most, trial) => Math.max(most, trial.estimate.peakBytes), 0),
      willNotFit: trials.filter((trial) => trial.estimate.fit === 'will-not-fit').length,
      tight: trials.filter((trial) => trial.estimate.fit === 'tight').length,
      dropped: plan.value?.contradictions.length ?? 0,
    };
  });

  const canStart = computed(
    () => spec.value !== null && !starting.value && planError.value === null && summary.value.trials > 0,
  );

  /** Start the sweep, follow it in the live store and open the live screen. */
  async function start(): Promise<void> {
    const current = spec.value;
    if (!current) {
      startError.value = missing.value ?? 'Correct the fields marked above before starting.';
      return;
    }
    starting.value = true;
    startError.value = null;
    try {
      const trimmed = name.value.trim();
      const { runId } = await useBackend().startSweep(
        current,
        trimmed === '' ? undefined : trimmed,
        agentId.value ?? undefined,
      );
      const following = useLiveRunStore().follow(runId);
      useNavigationStore().open('live');
      await following;
    } catch (cause) {
      startError.value = messageOf(cause);
    } finally {
      starting.value = false;
    }
  }

  function toggleModel(id: string): void {
    modelIds.value = modelIds.value.includes(id)
      ? modelIds.value.filter((item) => item !== id)
      : [...modelIds.value, id];
  }
  function toggleQuant(quant: QuantPresetName): void {
    quants.value = toggled(quants.value, quant, QUANT_PRESET_NAMES);
  }
  function toggleKvDtype(dtype: KvDtypeChoice): void {
    kvDtypes.value = toggled(kvDtypes.value, dtype, KV_DTYPES);
  }
  function toggleContext(tokens: number): void {
    contexts.value = contexts.value.includes(tokens)
      ? contexts.value.filter((item) => item !== tokens)
      : [...contexts.value, tokens].sort((a, b) => a - b);
  }
  function toggleEp(ep: ExecutionProvider): void {
    eps.value = toggled(eps.value, ep, EXECUTION_PROVIDERS);
  }
  function toggleRuntime(runtime: Runtime): void {
    runtimes.value = toggled(runtimes.value, runtime, RUNTIMES);
  }
  function toggleKvBuffer(buffer: KvBufferChoice): void {
    kvBuffers.value = toggled(kvBuffers.value, buffer, KV_BUFFERS);
  }
  function addFolder(path: string): void {
    const trimmed = path.trim();
    if (trimmed !== '' && !folders.value.includes(trimmed)) folders.value = [...folders.value, trimmed];
  }
  function removeFolder(path: string): void {
    folders.value = folders.value.filter((item) => item !== path);
  }

  return {
    modelIds,
    folders,
    quants,
    kvDtypes,
    contexts,
    eps,
    runtimes,
    fill,
    kvBuffers,
    measureQuality,
    name,
    agentId,
    text,
    fieldErrors,
    budgetBytes,
    missing,
    spec,
    plan,
    planning,
    planError,
    planIsCurrent,
    summary,
    starting,
    startError,
    canStart,
    refreshPlan,
    schedulePlan,
    start,
    toggleModel,
    toggleQuant,
    toggleKvDtype,
    toggleContext,
    toggleEp,
    toggleRuntime,
    toggleKvBuffer,
    addFolder,
    removeFolder,
  };
});
