import { computed, onMounted, onUnmounted, ref, shallowRef, watch } from 'vue';
import { useBackend } from '../../backend/workbench-backend';
import {
  comparedTrials,
  distinguishingLabels,
  isMeasured,
  type MeasuredTrial,
} from '../../charts/compared-trial';
import { useCompareStore } from '../../stores/compare-store';
import {
  FINISH_HOLD_MS,
  laneAt,
  raceLengthMs,
  raceTrials,
  replayLane,
  slowMotionFactor,
  type ReplayLane,
} from './race-replay';

/** ms between two redraws of the race: 25 per second reads as smooth and costs the page little */
export const RACE_FRAME_MS = 40;

/** runs looked into, newest first, for one with measured trials when Compare has none open */
const RUNS_LOOKED_AT = 5;

/**
 * The race the demo shows, and its clock. Its trials: the comparison ticked in Compare, else the newest
 * run that measured something (every lane is a measured run, named with its date and device). The clock
 * loops: the race plays at the measured speed (slowed down, and said so, when it is over too fast to
 * see), holds its finish FINISH_HOLD_MS, and starts again — unattended, for as long as the demo is open.
 */
export function useRace() {
  const compare = useCompareStore();
  const newestRun = shallowRef<MeasuredTrial[]>([]);
  /** where the lanes come from, for the caption */
  const source = computed(() =>
    compare.selectedTrials.length ? 'the comparison open in Compare' : newestRunName.value,
  );
  const newestRunName = ref('');
  const loadError = ref<string | null>(null);

  const trials = computed(() =>
    raceTrials(compare.selectedTrials.length ? compare.selectedTrials : newestRun.value),
  );
  const lanes = computed<ReplayLane[]>(() => {
    const labels = distinguishingLabels(trials.value);
    return trials.value.flatMap((trial, index) => {
      const lane = replayLane(trial, labels[index] ?? trial.key);
      return lane ? [lane] : [];
    });
  });
  const slowMotion = computed(() => slowMotionFactor(lanes.value));
  /** ms of screen time one loop takes */
  const loopMs = computed(() => raceLengthMs(lanes.value) * slowMotion.value + FINISH_HOLD_MS);

  const startedMs = ref(Date.now());
  const nowMs = ref(Date.now());
  /** ms of measured time since this loop's prefill started */
  const elapsedMs = computed(() => {
    const loop = loopMs.value;
    const onScreen = loop > 0 ? (nowMs.value - startedMs.value) % loop : 0;
    return onScreen / slowMotion.value;
  });
  const frames = computed(() => lanes.value.map((lane) => laneAt(lane, elapsedMs.value)));

  // a different set of lanes starts from the line
  watch(
    () => lanes.value.map((lane) => lane.id).join('\n'),
    () => {
      startedMs.value = Date.now();
      nowMs.value = startedMs.value;
    },
  );

  async function loadNewestRun(): Promise<void> {
    try {
      const backend = useBackend();
      const { runs } = await backend.listRuns();
      const newest = [...runs]
        .filter((run) => run.trials > run.failed)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, RUNS_LOOKED_AT);
      for (const summary of newest) {
        const doc = await backend.loadRun(summary.id);
        const measured = comparedTrials([doc]).filter(isMeasured);
        if (raceTrials(measured).length) {
          newestRunName.value = `the newest run, “${doc.name}”`;
          newestRun.value = measured;
          return;
        }
      }
    } catch (cause) {
      loadError.value = cause instanceof Error ? cause.message : String(cause);
    }
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  onMounted(() => {
    if (!compare.selectedTrials.length) void loadNewestRun();
    timer = setInterval(() => {
      nowMs.value = Date.now();
    }, RACE_FRAME_MS);
  });
  onUnmounted(() => {
    if (timer !== null) clearInterval(timer);
  });

  return { lanes, frames, slowMotion, source, loadError };
}
