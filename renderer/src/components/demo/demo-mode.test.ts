// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { depthRun, smolRun } from '../../../test/compare-runs';
import { createFakeBackend, type FakeBackend } from '../../../test/fake-backend';
import { runSummary } from '../../../test/run-summary';
import { measuredTrial } from '../../../../common/test/trial-result';
import { provideBackend } from '../../backend/workbench-backend';
import { useBoothStore } from '../../stores/booth-store';
import { useCompareStore } from '../../stores/compare-store';
import { useLiveRunStore } from '../../stores/live-run-store';
import DemoMode from '../../views/DemoMode.vue';
import { decodeTokensPerSecond, formatGaugeNumber } from './demo-gauges';
import { FINISH_HOLD_MS } from './race-replay';
import { RACE_FRAME_MS } from './use-race';

let pinia: Pinia;
let backend: FakeBackend;

function mountDemo() {
  return mount(DemoMode, { global: { plugins: [pinia] }, attachTo: document.body });
}

const lanes = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('[data-testid="race-lane"]');
const tokensOf = (wrapper: ReturnType<typeof mount>) =>
  lanes(wrapper).map((lane) => Number(lane.attributes('data-tokens')));

describe('demo mode: a race of measured runs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    pinia = createPinia();
    setActivePinia(pinia);
    localStorage.clear();
    backend = createFakeBackend({ listRuns: async () => ({ runs: [], problems: [] }) });
    provideBackend(backend);
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  it('says where races come from when there is nothing to race', async () => {
    const wrapper = mountDemo();
    await flushPromises();
    expect(wrapper.get('[data-testid="demo-empty"]').text()).toContain(
      'Open runs in Compare, or start a sweep',
    );
    expect(lanes(wrapper)).toHaveLength(0);
  });

  it('races the comparison open in Compare lane by lane, labelled as replays with date and device', async () => {
    useCompareStore().docs = [depthRun()];
    const wrapper = mountDemo();
    await flushPromises();
    // four measured trials (the failed one has nothing to replay)
    expect(lanes(wrapper)).toHaveLength(4);
    for (const lane of lanes(wrapper)) {
      expect(lane.get('[data-testid="lane-provenance"]').text()).toMatch(
        /^replay of measured run, 2 Jun 2025, AMD Ryzen 7 7840U w\/ Radeon 780M Graphics\s+· repetition \d of 5/,
      );
      // synthetic weights: one block per token (the first and 64 decoded)
      expect(lane.findAll('.lane-block')).toHaveLength(65);
    }
    expect(lanes(wrapper).map((lane) => lane.get('[data-testid="lane-label"]').text())).toEqual([
      'mobilellm-r1-140m · fp32 · d0',
      'mobilellm-r1-140m · fp32 · d2048',
      'mobilellm-r1-140m · int4 · d0',
      'mobilellm-r1-140m · int4 · d2048',
    ]);
    expect(wrapper.get('[data-testid="demo-source"]').text()).toContain('the comparison open in Compare');
    // about a second as measured: slowed down, and said so
    expect(wrapper.get('[data-testid="demo-slow-motion"]').text()).toMatch(/shown \d+× slower than measured/);
    expect(tokensOf(wrapper)).toEqual([0, 0, 0, 0]);
  });

  it('fills each lane at its measured pace, the faster configuration first, and loops unattended', async () => {
    useCompareStore().docs = [depthRun()];
    const wrapper = mountDemo();
    await flushPromises();
    const slow = Number(/(\d+)×/.exec(wrapper.get('[data-testid="demo-slow-motion"]').text())![1]);
    // 0.6 s of measured time: int4 at depth 0 (8.4 ms a token) is well ahead of fp32 at 2048 (20.8)
    await vi.advanceTimersByTimeAsync(600 * slow);
    const [fp32d0, fp32d2048, int4d0, int4d2048] = tokensOf(wrapper);
    expect(int4d0).toBeGreaterThan(fp32d0!);
    expect(fp32d0).toBeGreaterThan(fp32d2048!);
    expect(int4d0).toBeGreaterThan(int4d2048!);
    const int4 = lanes(wrapper)[2]!;
    expect(int4.get('[data-testid="lane-ttft"]').text()).toMatch(/^TTFT1\d\d(\.\d)? ms$/);
    expect(int4.get('[data-testid="lane-memory"]').text()).toMatch(/KiB|MiB/);

    // to the end of the slowest lane: every lane full, its rate the repetition's decode tok/s
    for (let frame = 0; frame < 400 && tokensOf(wrapper).some((tokens) => tokens < 65); frame += 1)
      await vi.advanceTimersByTimeAsync(RACE_FRAME_MS);
    expect(tokensOf(wrapper)).toEqual([65, 65, 65, 65]);
    expect(lanes(wrapper).every((lane) => lane.classes('finished'))).toBe(true);
    expect(Number(int4.get('[data-testid="lane-tps"] dd').text())).toBeGreaterThan(100);

    // the finish holds, then the race starts again from the line
    await vi.advanceTimersByTimeAsync(FINISH_HOLD_MS + RACE_FRAME_MS);
    expect(Math.max(...tokensOf(wrapper))).toBeLessThan(65);
  });

  it('races the newest run that measured something when Compare has nothing open', async () => {
    const doc = smolRun();
    backend.listRuns.mockResolvedValue({
      runs: [runSummary('old', { createdAt: '2024-01-01T00:00:00.000Z' }), runSummary(doc.id, { trials: 1 })],
      problems: [],
    });
    backend.loadRun.mockResolvedValue(doc);
    const wrapper = mountDemo();
    await flushPromises();
    expect(backend.loadRun).toHaveBeenCalledWith(doc.id);
    expect(lanes(wrapper)).toHaveLength(1);
    expect(wrapper.get('[data-testid="demo-source"]').text()).toContain(`the newest run, “${doc.name}”`);
  });

  it('shows a live lane streaming its text beside the replays while a sweep runs', async () => {
    useCompareStore().docs = [depthRun()];
    const live = useLiveRunStore();
    live.runId = 'run-9';
    live.status = 'running';
    live.trials = [
      { key: 'a', label: 'ui-tiny · int4 · ctx 512', status: 'done', result: measuredTrial() },
      { key: 'b', label: 'ui-tiny · fp32 · ctx 512', status: 'running' },
    ];
    live.stepMs = [100, 100, 20, 20, 20, 20, 20, 20, 20, 20];
    live.streamedText = 'The quick brown fox';
    const wrapper = mountDemo();
    await flushPromises();
    const liveLane = wrapper.get('[data-testid="race-lane"][data-live="true"]');
    expect(liveLane.get('[data-testid="lane-label"]').text()).toBe('ui-tiny · fp32 · ctx 512');
    expect(liveLane.get('[data-testid="lane-provenance"]').text()).toContain(
      'live: measuring on this machine now',
    );
    expect(liveLane.get('[data-testid="lane-text"]').text()).toBe('The quick brown fox');
    // 1000 / the mean of the last 8 steps (20 ms)
    expect(liveLane.get('[data-testid="lane-tps"] dd').text()).toBe('50.0');
    expect(lanes(wrapper)).toHaveLength(5);
    expect(wrapper.get('[data-testid="demo-progress"]').text()).toContain('1 of 2 trials · 50%');
  });

  it('shows the report link as a QR code with its URL once the booth set one', async () => {
    useCompareStore().docs = [depthRun()];
    let wrapper = mountDemo();
    await flushPromises();
    expect(wrapper.find('[data-testid="demo-report-link"]').exists()).toBe(false);
    wrapper.unmount();
    useBoothStore().setReportLink('https://example.com/edge-report.html');
    wrapper = mountDemo();
    await flushPromises();
    const figure = wrapper.get('[data-testid="demo-report-link"]');
    expect(figure.text()).toContain('https://example.com/edge-report.html');
    const path = figure.get('[data-testid="qr-code"] path').attributes('d')!;
    // a version-3 code or so: hundreds of dark modules
    expect(path.match(/M/g)!.length).toBeGreaterThan(200);
  });

  it('leaves on any key or the button, not on a modifier alone, and stops listening once closed', async () => {
    const wrapper = mountDemo();
    await flushPromises();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift' }));
    expect(wrapper.emitted('close')).toBeUndefined();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(wrapper.emitted('close')).toHaveLength(1);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(wrapper.emitted('close')).toHaveLength(2);
    await wrapper.get('[data-testid="demo-close"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(3);
    const emitted = wrapper.emitted('close')!;
    wrapper.unmount();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(emitted).toHaveLength(3);
  });
});

describe('demo gauges', () => {
  it('decode tok/s is 1000 / the mean of the last steps, null before any', () => {
    expect(decodeTokensPerSecond([])).toBeNull();
    expect(decodeTokensPerSecond([10, 30])).toBe(50);
    expect(decodeTokensPerSecond([1000, 10, 10], 2)).toBe(100);
    expect(formatGaugeNumber(null)).toBe('—');
    expect(formatGaugeNumber(1234.5)).toBe('1235');
    expect(formatGaugeNumber(3.14159)).toBe('3.14');
  });
});
