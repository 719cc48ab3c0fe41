// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrialResult } from '../../../../profiler/api';
import { createFakeBackend } from '../../../test/fake-backend';
import { failedTrial } from '../../../../common/test/trial-result';
import { provideBackend } from '../../backend/workbench-backend';
import { useCompareStore } from '../../stores/compare-store';
import { useLiveRunStore, type LiveTrial } from '../../stores/live-run-store';
import { useNavigationStore } from '../../stores/navigation-store';
import LiveRunView from '../../views/LiveRunView.vue';

// happy-dom has no canvas: no chart is built; each chart's figure says how many points it plots
vi.mock('./use-live-chart', () => ({ useLiveChart: () => undefined }));
const plotted = (view: ReturnType<typeof mountView>, testid: string): string | undefined =>
  view.get(`[data-testid="${testid}"]`).attributes('data-points');

const backend = createFakeBackend({ cancelSweep: async () => ({ cancelled: true }) });
const cancelSweep = backend.cancelSweep;

function failedResult(): TrialResult {
  return failedTrial({
    failure: { kind: 'out-of-memory', message: 'ran out of memory at 3.1 GiB' },
    memoryTimeline: [
      { tMs: 0, rssBytes: 1e8 },
      { tMs: 20, rssBytes: 3e9 },
    ],
    peakRssBytes: 3e9,
  });
}

const trials: LiveTrial[] = [
  { key: 'a', label: 'tiny · fp32 · ctx 2048', status: 'done' },
  {
    key: 'b',
    label: 'tiny · int4 · ctx 2048',
    status: 'failed',
    result: failedResult(),
    reason: 'ran out of memory at 3.1 GiB',
  },
  { key: 'c', label: 'tiny · int8 · ctx 2048', status: 'running' },
  { key: 'd', label: 'tiny · fp16 · ctx 2048', status: 'pending' },
];

let pinia: Pinia;

function following(status: 'running' | 'completed') {
  const live = useLiveRunStore();
  live.runId = 'run-1';
  live.status = status;
  live.trials = structuredClone(trials);
  live.etaSeconds = 200;
  live.phase = 'decode (repetition 2)';
  live.stepMs = [10, 11, 12];
  return live;
}

const mountView = () => mount(LiveRunView, { global: { plugins: [pinia] } });

describe('Live run view', () => {
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    cancelSweep.mockClear();
    provideBackend(backend);
  });

  it('says what to do when no sweep is followed', () => {
    const view = mountView();
    expect(view.get('[data-testid="view-LiveRunView"]').text()).toContain(
      'No sweep running — build one in Run builder',
    );
    expect(view.find('[data-testid="live-trial"]').exists()).toBe(false);
  });

  it('lists every trial with its status, and why the failed one failed', () => {
    following('running');
    const view = mountView();
    const rows = view.findAll('[data-testid="live-trial"]');
    expect(rows.map((row) => row.attributes('data-status'))).toEqual([
      'done',
      'failed',
      'running',
      'pending',
    ]);
    expect(rows[1]!.text()).toContain('ran out of memory at 3.1 GiB');
  });

  it('shows progress as a percentage, a count and the ETA, and the phase', () => {
    following('running');
    const view = mountView();
    const progress = view.get('[data-testid="live-progress"]');
    expect(progress.attributes('role')).toBe('progressbar');
    expect(progress.attributes('aria-valuenow')).toBe('50');
    expect(progress.text()).toBe('2 of 4 · ETA 3 min 20 s');
    expect(view.get('[data-testid="live-phase"]').text()).toContain('decode (repetition 2)');
  });

  it("charts the running trial's latencies and the last finished trial's memory", () => {
    following('running');
    const view = mountView();
    expect(plotted(view, 'chart-live-latency')).toBe('3');
    expect(plotted(view, 'chart-memory-timeline')).toBe('2');
    const memory = view.get('[data-testid="chart-memory-timeline"]');
    expect(memory.text()).toContain('tiny · int4 · ctx 2048');
    expect(memory.text()).toContain('peak 2.8 GiB');
  });

  it("charts the running trial's memory live once its samples arrive, with its phases named", async () => {
    const live = following('running');
    const view = mountView();
    live.liveMemoryKey = 'c';
    live.livePhaseMarks = [
      { tMs: 5, phase: 'load' },
      { tMs: 300, phase: 'prefill' },
      { tMs: 400, phase: 'decode' },
    ];
    live.liveMemory = [
      { tMs: 10, rssBytes: 1e8, phase: 'load' },
      { tMs: 260, rssBytes: 5e8, phase: 'load' },
      { tMs: 510, rssBytes: 6e8, phase: 'decode' },
    ];
    await vi.waitFor(() => expect(plotted(view, 'chart-memory-timeline')).toBe('3'));
    const memory = view.get('[data-testid="chart-memory-timeline"]');
    expect(memory.text()).toContain('Running now: tiny · int8 · ctx 2048');
    expect(view.text()).toContain('Memory of the running trial');
    expect(memory.get('[data-testid="phase-legend"]').text().split(/\s+/)).toEqual([
      'load',
      'prefill',
      'decode',
    ]);
  });

  it('cancels the followed sweep, and cannot once it has ended', async () => {
    const live = following('running');
    const view = mountView();
    await view.get('[data-testid="cancel-sweep"]').trigger('click');
    expect(cancelSweep).toHaveBeenCalledWith('run-1');
    live.status = 'cancelled';
    await view.vm.$nextTick();
    expect(view.get('[data-testid="cancel-sweep"]').attributes('disabled')).toBeDefined();
  });

  it('opens a completed run in Compare', async () => {
    const live = following('running');
    const view = mountView();
    expect(view.find('[data-testid="compare-run"]').exists()).toBe(false);
    live.status = 'completed';
    await view.vm.$nextTick();
    const openRuns = vi.spyOn(useCompareStore(), 'openRuns').mockResolvedValue();
    await view.get('[data-testid="compare-run"]').trigger('click');
    expect(openRuns).toHaveBeenCalledWith(['run-1']);
    expect(useNavigationStore().view).toBe('compare');
  });
});
