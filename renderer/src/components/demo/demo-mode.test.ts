// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../../profiler/api';
import { createFakeBackend } from '../../../test/fake-backend';
import { failedTrial, measuredTrial } from '../../../../common/test/trial-result';
import { provideBackend } from '../../backend/workbench-backend';
import { useLiveRunStore } from '../../stores/live-run-store';
import DemoMode from '../../views/DemoMode.vue';
import { decodeTokensPerSecond, formatGaugeNumber, lastTrialFacts } from './demo-gauges';

/** A trial of one repetition with this TTFT (ms) and peak RSS (bytes). */
function okResult(ttftMedian: number, peak: number): TrialResult {
  return measuredTrial({ samples: { ttftMs: [ttftMedian] }, peakRssBytes: peak });
}

let pinia: Pinia;

function runningStore() {
  const live = useLiveRunStore();
  live.runId = 'run-1';
  live.status = 'running';
  live.trials = [
    { key: 'a', label: 'tiny q4 · cpu', status: 'done', result: okResult(123.4, 2 * 1024 ** 3) },
    { key: 'b', label: 'tiny fp16 · cpu', status: 'running' },
    { key: 'c', label: 'tiny fp32 · cpu', status: 'pending' },
    { key: 'd', label: 'tiny int8 · cpu', status: 'pending' },
  ];
  live.stepMs = [100, 100, 20, 20, 20, 20, 20, 20, 20, 20];
  live.etaSeconds = 90;
  return live;
}

describe('demo mode', () => {
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    provideBackend(createFakeBackend());
  });

  it('shows an empty state when no sweep runs', () => {
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="demo-empty"]').text()).toContain('Start a sweep to see it live');
    expect(wrapper.find('[data-testid="demo-decode"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows the running trial's decode rate and the last finished trial's TTFT and peak memory", async () => {
    const live = runningStore();
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] }, attachTo: document.body });
    // 1000 / mean of the last 8 steps (20 ms)
    expect(wrapper.get('[data-testid="demo-decode"]').text()).toContain('50.0');
    expect(wrapper.get('[data-testid="demo-ttft"]').text()).toContain('123');
    expect(wrapper.get('[data-testid="demo-memory"]').text()).toContain('2');
    expect(wrapper.get('[data-testid="demo-memory"]').text()).toMatch(/GiB|GB/);
    expect(wrapper.get('[data-testid="demo-progress"]').text()).toContain('1 of 4 trials · 25%');
    expect(wrapper.find('[data-testid="demo-text"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="demo-empty"]').exists()).toBe(false);
    // focus moves into the overlay
    expect(wrapper.get('[data-testid="demo-mode"]').element).toBe(document.activeElement);

    live.streamedText = 'The quick brown fox';
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid="demo-text"]').text()).toBe('The quick brown fox');
    wrapper.unmount();
  });

  it('closes on Esc and on the close button, and stops listening once unmounted', async () => {
    runningStore();
    const wrapper = mount(DemoMode, { global: { plugins: [pinia] }, attachTo: document.body });
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(wrapper.emitted('close')).toBeUndefined();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(wrapper.emitted('close')).toHaveLength(1);
    await wrapper.get('[data-testid="demo-close"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(2);
    const emitted = wrapper.emitted('close')!;
    wrapper.unmount();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(emitted).toHaveLength(2);
  });
});

describe('demo gauges', () => {
  it('decode tok/s is 1000 / the mean of the last steps, null before any', () => {
    expect(decodeTokensPerSecond([])).toBeNull();
    expect(decodeTokensPerSecond([10, 30])).toBe(50);
    expect(decodeTokensPerSecond([1000, 10, 10], 2)).toBe(100);
  });

  it('takes TTFT and peak memory from the last finished trial, the timeline when no peak was read', () => {
    expect(lastTrialFacts([])).toEqual({ label: null, ttftMs: null, peakBytes: null });
    const failed = failedTrial({
      failure: { kind: 'crash', message: 'the trial process exited with code 1' },
      memoryTimeline: [
        { tMs: 0, rssBytes: 5 },
        { tMs: 20, rssBytes: 9 },
      ],
    });
    expect(lastTrialFacts([{ key: 'x', label: 'x', status: 'failed', result: failed }])).toEqual({
      label: 'x',
      ttftMs: null,
      peakBytes: 9,
    });
    expect(formatGaugeNumber(null)).toBe('—');
    expect(formatGaugeNumber(1234.5)).toBe('1235');
    expect(formatGaugeNumber(3.14159)).toBe('3.14');
  });
});
