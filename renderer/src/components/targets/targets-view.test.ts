// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../../profiler/api';
import { deviceTarget, runAnalysis } from '../../../test/device-targets';
import { createFakeBackend } from '../../../test/fake-backend';
import { runSummary } from '../../../test/run-summary';
import { provideBackend } from '../../backend/workbench-backend';
import { ANALYZE_DEBOUNCE_MS } from '../../stores/targets-store';
import TargetsView from '../../views/TargetsView.vue';

const targets = [
  deviceTarget('phone-8gb'),
  deviceTarget('pi5-8gb'),
  deviceTarget('this-machine', { name: 'This machine', kind: 'this-machine', bandwidthBasis: 'measured' }),
];

let pinia: Pinia;
let runs: RunSummary[];

const backend = createFakeBackend({
  listRuns: async () => ({ runs, problems: [] }),
  deviceTargets: async () => targets,
  analyzeRun: async (runId) => runAnalysis(runId, targets),
});

async function mountView() {
  const view = mount(TargetsView, { global: { plugins: [pinia] }, attachTo: document.body });
  await flushPromises();
  await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS);
  await flushPromises();
  return view;
}

describe('TargetsView', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    pinia = createPinia();
    setActivePinia(pinia);
    runs = [runSummary('r1')];
    vi.clearAllMocks();
    provideBackend(backend);
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  it('shows an empty state when there are no runs', async () => {
    runs = [];
    const view = await mountView();
    expect(view.find('[data-testid="targets-empty"]').exists()).toBe(true);
    expect(backend.analyzeRun).not.toHaveBeenCalled();
  });

  it('lists the targets as chips, all on, with budget, bandwidth and basis', async () => {
    const view = await mountView();
    for (const target of targets) {
      const chip = view.find(`[data-testid="target-${target.id}"]`);
      expect((chip.element as HTMLInputElement).checked).toBe(true);
    }
    const text = view.find('.targets-chips').text();
    expect(text).toContain('nominal');
    expect(text).toContain('measured');
    expect(text).toContain('5.6 GiB budget');
    expect(view.find<HTMLSelectElement>('[data-testid="targets-run"]').element.value).toBe('r1');
  });

  it('renders the verdict matrix: fit, projected decode marked, basis once', async () => {
    const view = await mountView();
    const matrix = view.find('[data-testid="verdict-matrix"]');
    expect(matrix.exists()).toBe(true);
    const phone = view.find('[data-testid="verdict-t1-phone-8gb"]');
    expect(phone.find('[data-testid="verdict-fit"]').text()).toBe('fits');
    expect(phone.find('[data-testid="verdict-decode"]').text()).toContain('12.5 tok/s');
    const tag = phone.find('[data-testid="projected-tag"]');
    expect(tag.text()).toContain('proj.');
    expect(tag.attributes('title')).toMatch(/^Projected, not measured/);
    expect(view.find('[data-testid="verdict-t1-pi5-8gb"] [data-testid="verdict-fit"]').text()).toBe('tight');
    const here = view.find('[data-testid="verdict-t1-this-machine"]');
    expect(here.find('[data-testid="projected-tag"]').exists()).toBe(false);
    expect(here.text()).toContain('measured');
    expect(view.findAll('[data-testid="projection-basis"]')).toHaveLength(1);
    expect(view.find('[data-testid="projection-basis"]').text()).toContain(
      'Decode speed scales with memory bandwidth.',
    );
    expect(view.find('[data-testid="kv-pressure"]').text()).toContain('16.0 KiB');
    expect(view.find('[data-testid="kv-pressure"]').text()).toContain('32,768 tokens');
  });

  it("names a folder model's row by the folder's name, its whole path on hover", async () => {
    const view = await mountView();
    const row = view.get('[data-testid="matrix-row-t1"] th');
    expect(row.text()).toBe('ui-tiny · int4 · ctx 512 · pp16+tg8 @ d488 · cpu');
    expect(row.attributes('title')).toBe('/home/me/models/ui-tiny · int4 · ctx 512 · pp16+tg8 @ d488 · cpu');
  });

  it('re-analyses, debounced, when a target is turned off or a goal typed', async () => {
    const view = await mountView();
    expect(backend.analyzeRun).toHaveBeenCalledTimes(1);
    await view.find('[data-testid="target-pi5-8gb"]').setValue(false);
    await view.find('[data-testid="goal-decode"]').setValue('20');
    await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS);
    await flushPromises();
    expect(backend.analyzeRun).toHaveBeenCalledTimes(2);
    expect(backend.analyzeRun).toHaveBeenLastCalledWith('r1', {
      targets: ['phone-8gb', 'this-machine'],
      goal: { minDecodeTokensPerSecond: 20 },
    });
  });

  it('shows the custom-target errors and adds a valid one', async () => {
    const view = await mountView();
    await view.find('[data-testid="custom-ram"]').setValue('four gigs');
    await view.find('[data-testid="add-target"]').trigger('click');
    await view.find('form.custom-target-form').trigger('submit');
    expect(view.find('[data-testid="custom-name-error"]').text()).toBe('Give the target a name.');
    expect(view.find('[data-testid="custom-ram-error"]').text()).toMatch(/"four gigs" is not a byte size/);
    expect(view.find('[data-testid="custom-bandwidth-error"]').exists()).toBe(true);

    await view.find('[data-testid="custom-name"]').setValue('Board');
    await view.find('[data-testid="custom-ram"]').setValue('4GB');
    await view.find('[data-testid="custom-bandwidth"]').setValue('12GB/s');
    await view.find('form.custom-target-form').trigger('submit');
    expect(view.find('[data-testid="custom-ram-error"]').exists()).toBe(false);
    expect((view.find('[data-testid="target-board"]').element as HTMLInputElement).checked).toBe(true);
    await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS);
    await flushPromises();
    expect(backend.analyzeRun).toHaveBeenLastCalledWith('r1', {
      targets: [
        'phone-8gb',
        'pi5-8gb',
        'this-machine',
        'id=board,name=Board,ram=4000000000,bandwidth=12000000000',
      ],
      goal: {},
    });
  });
});
