import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, type ShallowRef } from 'vue';
import type { RunStatus, TrialProgress, TrialResult, WorkbenchEvent } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';
import { trialLabel } from '../../../common/labels';

export type LiveTrialStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface LiveTrial {
  key: string;
  label: string;
  status: LiveTrialStatus;
  /** the finished trial's result (done or failed) */
  result?: TrialResult;
  /** why it was skipped or failed */
  reason?: string;
}

/** A trial phase the process reports, as opposed to the supervisor's `memory` samples. */
export type TrialPhase = Exclude<TrialProgress['phase'], 'memory'>;

/** One live RSS sample of the running trial, tagged with the phase it was in. */
export interface LiveMemorySample {
  /** ms since the trial process started */
  tMs: number;
  rssBytes: number;
  /** the latest phase the trial reported before the sample; null before its first */
  phase: TrialPhase | null;
}

/** Where a phase began: ms since the trial process started. */
export interface LivePhaseMark {
  tMs: number;
  phase: TrialPhase;
}

/** ms: how long streamed samples wait before the screen hears of them (at most ~10 redraws a second) */
export const PUBLISH_INTERVAL_MS = 100;

/**
 * The sweep running now, as its events arrive: per-trial status, overall progress and ETA, and the
 * running trial's per-token latencies (ms, by decode step) and memory samples for the live charts.
 *
 * A fast model streams hundreds of decode steps a second. Those samples are appended in place to arrays that
 * Vue does not look inside (shallowRef) and announced at most every PUBLISH_INTERVAL_MS, so the screen
 * re-renders ~10 times a second, not once per event; reading the store always gives the latest samples.
 * Trial results (thousands of memory samples each) are kept raw: nothing edits them, so proxying and
 * tracking every element would only cost time.
 */
export const useLiveRunStore = defineStore('live-run', () => {
  const runId = ref<string | null>(null);
  const status = ref<RunStatus | 'idle'>('idle');
  const trials = ref<LiveTrial[]>([]);
  const etaSeconds = ref<number | null>(null);
  const phase = ref<string>('');
  /** ms per decode step of the running trial's current repetition */
  const stepMs = shallowRef<number[]>([]);
  /** decoded text of the running trial's first timed repetition, as its tokens arrive (tokenizer models) */
  const streamedText = ref('');
  /** the running (or last run) trial's RSS samples as they arrive, ~4 per second */
  const liveMemory = shallowRef<LiveMemorySample[]>([]);
  /** where each of that trial's phases began, on the same clock as `liveMemory` */
  const livePhaseMarks = shallowRef<LivePhaseMark[]>([]);
  /** the key of the trial `liveMemory` belongs to */
  const liveMemoryKey = ref<string | null>(null);
  const error = ref<string | null>(null);
  let unsubscribe: (() => void) | null = null;

  const unpublished = new Set<ShallowRef<unknown[]>>();
  let publishTimer: ReturnType<typeof setTimeout> | undefined;
  function publish(): void {
    publishTimer = undefined;
    // a new array, so watchers of the array itself (not only computeds over it) see the change
    for (const samples of unpublished) samples.value = samples.value.slice();
    unpublished.clear();
  }
  /** Appends in place; watchers hear of it with the next publish. */
  function append<T>(samples: ShallowRef<T[]>, sample: T): void {
    samples.value.push(sample);
    unpublished.add(samples as ShallowRef<unknown[]>);
    publishTimer ??= setTimeout(publish, PUBLISH_INTERVAL_MS);
  }

  const finished = computed(
    () => trials.value.filter((t) => t.status !== 'pending' && t.status !== 'running').length,
  );
  const progress = computed(() => (trials.value.length ? finished.value / trials.value.length : 0));

  function trialByKey(key: string): LiveTrial | undefined {
    return trials.value.find((trial) => trial.key === key);
  }

  function apply(message: WorkbenchEvent): void {
    if (message.kind !== 'sweep' || message.runId !== runId.value) return;
    const event = message.event;
    // the run document may have been read just before the sweep marked itself running: any trial event
    // means it runs now
    if (event.type !== 'done' && status.value !== 'running') status.value = 'running';
    switch (event.type) {
      case 'trial-start': {
        const trial = trialByKey(event.key);
        if (trial) trial.status = 'running';
        etaSeconds.value = event.etaSeconds;
        stepMs.value = [];
        streamedText.value = '';
        phase.value = 'starting';
        liveMemory.value = [];
        livePhaseMarks.value = [];
        liveMemoryKey.value = event.key;
        break;
      }
      case 'trial-progress': {
        const progressEvent = event.progress;
        if (event.key !== liveMemoryKey.value) {
          // a follower that joined mid-trial missed its start
          liveMemory.value = [];
          livePhaseMarks.value = [];
          liveMemoryKey.value = event.key;
        }
        if (progressEvent.phase === 'memory') {
          if (progressEvent.rssBytes !== undefined && progressEvent.elapsedMs !== undefined)
            append(liveMemory, {
              tMs: progressEvent.elapsedMs,
              rssBytes: progressEvent.rssBytes,
              phase: livePhaseMarks.value.at(-1)?.phase ?? null,
            });
          break; // a memory sample is not a step: the phase line stays as it is
        }
        if (livePhaseMarks.value.at(-1)?.phase !== progressEvent.phase)
          // a new array: a phase change is rare, and the bands should show it with the samples around it
          livePhaseMarks.value = [
            ...livePhaseMarks.value,
            {
              // stamped by the supervisor; otherwise the time of the latest sample is the best guess
              tMs: progressEvent.elapsedMs ?? liveMemory.value.at(-1)?.tMs ?? 0,
              phase: progressEvent.phase,
            },
          ];
        phase.value =
          progressEvent.repetition === undefined
            ? progressEvent.phase
            : `${progressEvent.phase} (repetition ${progressEvent.repetition + 1})`;
        if (progressEvent.phase === 'prefill') stepMs.value = [];
        if (progressEvent.phase === 'decode' && progressEvent.stepMs !== undefined)
          append(stepMs, progressEvent.stepMs);
        if (
          progressEvent.phase === 'decode' &&
          progressEvent.repetition === 0 &&
          progressEvent.text !== undefined
        )
          streamedText.value += progressEvent.text;
        break;
      }
      case 'trial-done': {
        const trial = trialByKey(event.key);
        if (trial) {
          trial.status = event.result.status === 'ok' ? 'done' : 'failed';
          trial.result = markRaw(event.result);
          if (event.result.failure) trial.reason = event.result.failure.message;
        }
        etaSeconds.value = event.etaSeconds;
        break;
      }
      case 'trial-skipped': {
        const trial = trialByKey(event.key);
        if (trial) {
          trial.status = 'skipped';
          trial.reason = event.reason;
        }
        break;
      }
      case 'quality':
        phase.value = event.error
          ? `quality of ${event.quant}: ${event.error}`
          : `measuring quality of ${event.quant}`;
        break;
      case 'done':
        status.value = event.status;
        etaSeconds.value = 0;
        phase.value = '';
        // trials that ended while the connection was down (or on an agent the engine lost for a while)
        // sent no events here: the stored run has them
        if (trials.value.some((trial) => trial.status === 'pending' || trial.status === 'running'))
          void readRun(message.runId);
        break;
    }
  }

  /** Follow a run: its plan from the store, then its events; after a dropped connection, the store again. */
  async function follow(id: string): Promise<void> {
    const backend = useBackend();
    unsubscribe?.();
    runId.value = id;
    error.value = null;
    const stopEvents = backend.onEvent(apply);
    let dropped = false;
    const stopConnection = backend.onConnection?.((connection) => {
      if (connection.state === 'closed') dropped = true;
      if (connection.state === 'open' && dropped) {
        dropped = false;
        void readRun(id); // catch up on the events missed while disconnected
      }
    });
    unsubscribe = () => {
      stopEvents();
      stopConnection?.();
    };
    await readRun(id);
  }

  /** The run as stored: its status and every trial's outcome so far. */
  async function readRun(id: string): Promise<void> {
    const backend = useBackend();
    try {
      const doc = await backend.loadRun(id);
      if (runId.value !== id) return; // another run is followed by now
      status.value = doc.status;
      const done = new Map(doc.trials.map((entry) => [entry.key, entry.result]));
      const skipped = new Map(doc.skipped.map((entry) => [entry.key, entry.reason]));
      trials.value = doc.plan.map((planned) => {
        const result = done.get(planned.key);
        const reason = skipped.get(planned.key) ?? result?.failure?.message;
        return {
          key: planned.key,
          label: trialLabel(planned.spec),
          status: result
            ? result.status === 'ok'
              ? 'done'
              : 'failed'
            : skipped.has(planned.key)
              ? 'skipped'
              : 'pending',
          ...(result ? { result: markRaw(result) } : {}),
          ...(reason ? { reason } : {}),
        };
      });
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  async function cancel(): Promise<void> {
    if (runId.value) await useBackend().cancelSweep(runId.value);
  }

  return {
    runId,
    status,
    trials,
    etaSeconds,
    phase,
    stepMs,
    streamedText,
    liveMemory,
    livePhaseMarks,
    liveMemoryKey,
    error,
    finished,
    progress,
    follow,
    cancel,
    apply,
  };
});
