// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { depthRun, smolRun } from '../../../test/compare-runs';
import { createFakeBackend } from '../../../test/fake-backend';
import { provideBackend } from '../../backend/workbench-backend';
import { useCompareStore } from '../../stores/compare-store';
import { useLiveRunStore } from '../../stores/live-run-store';
import DemoMode from '../../views/DemoMode.vue';
import { DEMO_CYCLE_MS, measuredTrialFacts } from './demo-gauges';

let pinia: Pinia;

/** Opens the depth run (4 measured trials, one failed) and SmolLM2 (1) in Compare: 5 to cycle through. */
function openComparison() {
  const compare = useCompareStore();
  compare.docs = [depthRun(), smolRun()];
  return compare;
}

const text = (wrapper: ReturnType<typeof mount>, testid: string) =>
  wrapper.get(`[data-testid="${testid}"]`).text();

describe('demo mode cycling through the open comparison', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    pinia = createPinia();
    setActivePinia(pinia);
    provideBackend(createFakeBackend());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the empty state when nothing is open', async () => {
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    expect(text(wrapper, 'demo-empty')).toContain('Start a sweep to see it live');
    expect(wrapper.find('[data-testid="demo-cycle"]').exists()).toBe(false);
    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS * 2);
    expect(wrapper.find('[data-testid="demo-cycle"]').exists()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    wrapper.unmount();
  });

  it('shows each selected configuration’s headline numbers for 8 s, then the next, wrapping round', async () => {
    openComparison();
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid="demo-empty"]').exists()).toBe(false);
    expect(text(wrapper, 'demo-cycle')).toContain('1 / 5');
    // fp32 depth 0: decode median 62.1 tok/s, TTFT median 152.4 ms, peak 706 MiB
    expect(text(wrapper, 'demo-cycle-label')).toContain('mobilellm-r1-140m · fp32');
    expect(text(wrapper, 'demo-cycle-label')).toContain('· d0');
    expect(text(wrapper, 'demo-decode')).toContain('62.1');
    expect(text(wrapper, 'demo-ttft')).toContain('152');
    expect(text(wrapper, 'demo-memory')).toMatch(/706(\.0)? MiB/);

    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS - 1);
    expect(text(wrapper, 'demo-cycle')).toContain('1 / 5');
    await vi.advanceTimersByTimeAsync(1);
    expect(text(wrapper, 'demo-cycle')).toContain('2 / 5');
    expect(text(wrapper, 'demo-cycle-label')).toContain('· d2048');
    expect(text(wrapper, 'demo-decode')).toContain('47.9');

    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS * 3);
    expect(text(wrapper, 'demo-cycle')).toContain('5 / 5');
    expect(text(wrapper, 'demo-cycle-label')).toContain('smollm2-135m');
    expect(text(wrapper, 'demo-decode')).toContain('102');
    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS);
    expect(text(wrapper, 'demo-cycle')).toContain('1 / 5');
    wrapper.unmount();
  });

  it('cycles only through the trials ticked in Compare', async () => {
    const compare = openComparison();
    compare.selectNone();
    const smol = compare.measuredTrials.find((trial) => trial.runId === 'smol-q4f16')!;
    compare.setSelected(smol.id, true);
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    expect(text(wrapper, 'demo-cycle')).toContain('1 / 1');
    expect(text(wrapper, 'demo-cycle-label')).toContain('smollm2-135m');
    // one configuration: nothing to cycle
    expect(vi.getTimerCount()).toBe(0);
    wrapper.unmount();
  });

  it('stops cycling while a sweep runs and resumes after it', async () => {
    openComparison();
    const live = useLiveRunStore();
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS);
    expect(text(wrapper, 'demo-cycle')).toContain('2 / 5');

    live.runId = 'run-1';
    live.status = 'running';
    live.trials = [{ key: 'a', label: 'tiny q4 · cpu', status: 'running' }];
    live.stepMs = [20, 20];
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="demo-cycle"]').exists()).toBe(false);
    expect(text(wrapper, 'demo-decode')).toContain('50.0');
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS * 3);
    expect(text(wrapper, 'demo-decode')).toContain('50.0');

    live.status = 'completed';
    await wrapper.vm.$nextTick();
    expect(text(wrapper, 'demo-cycle')).toContain('2 / 5');
    expect(text(wrapper, 'demo-cycle')).toContain('last sweep: completed');
    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS);
    expect(text(wrapper, 'demo-cycle')).toContain('3 / 5');
    wrapper.unmount();
  });

  it('clears its interval when unmounted', async () => {
    openComparison();
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    expect(vi.getTimerCount()).toBe(1);
    wrapper.unmount();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts again from the first configuration when another comparison opens', async () => {
    const compare = openComparison();
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    await vi.advanceTimersByTimeAsync(DEMO_CYCLE_MS * 2);
    expect(text(wrapper, 'demo-cycle')).toContain('3 / 5');
    compare.docs = [depthRun()];
    await wrapper.vm.$nextTick();
    expect(text(wrapper, 'demo-cycle')).toContain('1 / 4');
    compare.close();
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="demo-empty"]').exists()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    wrapper.unmount();
  });
});

describe('measured trial facts', () => {
  it('reads the medians and the peak RSS, else the timeline’s peak', () => {
    const result = depthRun().trials[0]!.result;
    expect(measuredTrialFacts(result)).toEqual({
      decodeTokensPerSecond: 62.1,
      ttftMs: 152.4,
      peakBytes: 706 * 1024 * 1024,
    });
    const noPeak = { ...result, peakRssBytes: undefined, memoryTimeline: [{ tMs: 0, rssBytes: 7 }] };
    expect(measuredTrialFacts(noPeak).peakBytes).toBe(7);
  });
});
