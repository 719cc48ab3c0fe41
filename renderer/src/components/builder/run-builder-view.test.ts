// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boardAgent } from '../../../test/agent-info';
import { builderBackend } from '../../../test/builder-backend';
import type { FakeBackend } from '../../../test/fake-backend';
import { budgetPlan } from '../../../test/planned-trial';
import { systemInfo } from '../../../test/system-info';
import { provideBackend } from '../../backend/workbench-backend';
import { PLAN_DEBOUNCE_MS } from '../../stores/builder-store';
import { useLiveRunStore } from '../../stores/live-run-store';
import { useNavigationStore } from '../../stores/navigation-store';
import RunBuilderView from '../../views/RunBuilderView.vue';

describe('Run builder screen', () => {
  let backend: FakeBackend;
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    backend = builderBackend();
    provideBackend(backend);
  });
  afterEach(() => vi.useRealTimers());

  async function open() {
    const wrapper = mount(RunBuilderView, { global: { plugins: [pinia] } });
    await flushPromises();
    return wrapper;
  }

  it('shows catalog cards with their shape, scores and that block weight sharing is off', async () => {
    const wrapper = await open();
    const card = wrapper.get('[data-testid="model-card-mobilellm-r1-140m"]');
    expect(card.attributes('aria-pressed')).toBe('true');
    expect(card.text()).toContain('140.2M params');
    expect(card.text()).toContain('15 layers');
    expect(card.text()).toContain('3 KV heads');
    expect(card.text()).toContain('vocab 128,256');
    expect(card.text()).toContain('MATH500 6.2%');
    expect(card.text()).toContain('Block weight sharing: off');
    expect(wrapper.get('[data-testid="weight-sharing-note"]').text()).toContain('defaults to no sharing');
  });

  it('plans the defaults on opening and sums the plan; will-not-fit rows are marked', async () => {
    const wrapper = await open();
    expect(backend.planSweep).toHaveBeenCalledTimes(1);
    const summary = wrapper.get('[data-testid="plan-summary"]').text();
    expect(summary).toContain('2 trials');
    expect(summary).toContain('about 2 min');
    expect(summary).toContain('max peak 1.5 GiB');
    expect(summary).toContain('1 will not fit');
    const rows = wrapper.findAll('[data-testid="plan-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.classes()).toContain('will-not-fit');
    expect(rows[0]?.get('[data-testid="plan-fit"]').text()).toContain('will not fit');
    expect(rows[0]?.get('[data-testid="plan-peak"]').text()).toBe('1.5 GiB');
    expect(rows[1]?.classes()).not.toContain('will-not-fit');
    expect(rows[1]?.text()).toContain('int4');
  });

  it('asks for a new plan a moment after an edit and shows its numbers', async () => {
    vi.useFakeTimers();
    const wrapper = await open();
    backend.planSweep.mockResolvedValueOnce({ trials: budgetPlan.trials.slice(1), contradictions: [] });
    await wrapper.get('[data-testid="quant-fp32"]').trigger('click');
    await wrapper.get('[data-testid="input-budget"]').setValue('1GiB');
    expect(wrapper.get('[data-testid="quant-fp32"]').attributes('aria-pressed')).toBe('false');
    expect(backend.planSweep).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(PLAN_DEBOUNCE_MS);
    await flushPromises();
    expect(backend.planSweep).toHaveBeenCalledTimes(2);
    expect(backend.planSweep).toHaveBeenLastCalledWith(
      expect.objectContaining({ quants: ['int4'], memoryBudgetBytes: 2 ** 30 }),
      undefined,
    );
    expect(wrapper.get('[data-testid="plan-summary"]').text()).toContain('1 trial ');
    expect(wrapper.findAll('[data-testid="plan-row"]')).toHaveLength(1);
  });

  it('adds a custom context length as a chip of its own', async () => {
    const wrapper = await open();
    await wrapper.get('[data-testid="input-context-custom"]').setValue('3000');
    await wrapper.get('[data-testid="add-context"]').trigger('submit');
    const chip = wrapper.get('[data-testid="context-3000"]');
    expect(chip.attributes('aria-pressed')).toBe('true');
    await wrapper.get('[data-testid="input-context-custom"]').setValue('lots');
    await wrapper.get('[data-testid="add-context"]').trigger('submit');
    expect(wrapper.get('[data-testid="input-context-custom-error"]').text()).toContain('"lots"');
  });

  it('measures the end of each window by default, and plans the depths, fill and KV buffers chosen', async () => {
    vi.useFakeTimers();
    const wrapper = await open();
    const depth = wrapper.get('[data-testid="input-depth"]');
    expect((depth.element as HTMLInputElement).value).toBe('end');
    expect(wrapper.text()).toContain('end: the end of each context window (C − P − G)');
    expect((wrapper.get('[data-testid="fill-synthetic"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.get('[data-testid="kv-buffer-auto"]').attributes('aria-pressed')).toBe('true');
    await depth.setValue('end, 0, 4096');
    await wrapper.get('[data-testid="fill-model"]').setValue(true);
    await wrapper.get('[data-testid="kv-buffer-grow"]').trigger('click');
    await vi.advanceTimersByTimeAsync(PLAN_DEBOUNCE_MS);
    await flushPromises();
    expect(backend.planSweep).toHaveBeenLastCalledWith(
      expect.objectContaining({ depths: ['end', 0, 4096], fill: 'model', kvBuffers: ['auto', 'grow'] }),
      undefined,
    );
    await depth.setValue('the end');
    expect(wrapper.get('[data-testid="input-depth-error"]').text()).toContain('"the end" is neither "end"');
  });

  it('offers only the execution providers this onnxruntime has, and says why the others are off', async () => {
    const wrapper = await open();
    expect(wrapper.get('[data-testid="ep-cpu"]').attributes('disabled')).toBeUndefined();
    expect(wrapper.get('[data-testid="ep-webgpu"]').attributes('disabled')).toBeUndefined();
    expect(wrapper.get('[data-testid="ep-cuda"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="ep-reason-cuda"]').text()).toContain('npm run ort:cuda');
    expect(wrapper.get('[data-testid="ep-coreml"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="ep-reason-coreml"]').text()).toContain('not offered');
  });

  it('says "planning…" while a plan runs, and never shows an outdated selection\'s plan', async () => {
    const wrapper = await open();
    const summary = () => wrapper.get('[data-testid="plan-summary"]');
    expect(summary().attributes('data-current')).toBe('true');
    const answers: ((plan: typeof budgetPlan) => void)[] = [];
    backend.planSweep.mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
    await wrapper.get('[data-testid="context-512"]').trigger('click');
    // the previous plan's figures stay, marked as such, with "planning…" until the new one answers
    expect(summary().attributes('data-current')).toBe('false');
    expect(wrapper.get('[data-testid="plan-planning"]').text()).toContain('planning…');
    await new Promise((resolve) => setTimeout(resolve, PLAN_DEBOUNCE_MS + 20));
    await wrapper.get('[data-testid="context-4096"]').trigger('click');
    await new Promise((resolve) => setTimeout(resolve, PLAN_DEBOUNCE_MS + 20));
    expect(answers.length).toBeGreaterThanOrEqual(2);
    // the newest selection's plan answers first; the outdated ones answer after and are dropped
    answers.at(-1)!({ ...budgetPlan, trials: budgetPlan.trials.slice(0, 1) });
    await flushPromises();
    for (const outdated of answers.slice(0, -1)) outdated({ ...budgetPlan, trials: [] });
    await flushPromises();
    expect(summary().attributes('data-current')).toBe('true');
    expect(wrapper.get('[data-testid="plan-trials"]').text()).toBe('1');
    expect(wrapper.find('[data-testid="plan-planning"]').exists()).toBe(false);
  });

  it('offers WebGPU only once it ran here, and says why it is off when it could not', async () => {
    const webgpu = (check?: { usable: boolean; reason?: string }) =>
      systemInfo({
        onnxruntime: {
          version: '1.30.0',
          backends: [
            { name: 'cpu', bundled: true, installed: true },
            {
              name: 'webgpu',
              bundled: true,
              installed: true,
              ...(check ? { check: { ...check, checkedAt: '2026-12-05T10:00:00.000Z' } } : {}),
            },
          ],
        },
      });
    backend.system.mockResolvedValue(
      webgpu({ usable: false, reason: 'Failed to get a WebGPU adapter: No supported adapters' }),
    );
    let wrapper = await open();
    expect(wrapper.get('[data-testid="ep-webgpu"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="ep-reason-webgpu"]').text()).toBe(
      'webgpu: cannot run here: Failed to get a WebGPU adapter: No supported adapters',
    );
    wrapper.unmount();

    // an engine that did not try it (an older agent) does not get it offered either
    pinia = createPinia();
    setActivePinia(pinia);
    backend.system.mockResolvedValue(webgpu());
    wrapper = await open();
    expect(wrapper.get('[data-testid="ep-webgpu"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="ep-reason-webgpu"]').text()).toContain('not tried on this machine yet');
  });

  it("shows the engine's message when planning fails, and Start stays off", async () => {
    backend.planSweep.mockRejectedValueOnce(new Error('Unknown quantization preset "int3".'));
    const wrapper = await open();
    const error = wrapper.get('[data-testid="builder-error"]');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain('Could not plan this sweep: Unknown quantization preset "int3".');
    expect(wrapper.get('[data-testid="start-sweep"]').attributes('disabled')).toBeDefined();
  });

  it('says what to do when no model is picked', async () => {
    const wrapper = await open();
    await wrapper.get('[data-testid="model-card-mobilellm-r1-140m"]').trigger('click');
    expect(wrapper.get('[data-testid="builder-empty"]').text()).toContain('Pick a model card');
    expect(wrapper.find('[data-testid="plan-row"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="start-sweep"]').attributes('disabled')).toBeDefined();
  });

  it('marks a field it cannot read and names the value', async () => {
    const wrapper = await open();
    await wrapper.get('[data-testid="input-reps"]').setValue('five');
    expect(wrapper.get('[data-testid="input-reps"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="input-reps-error"]').text()).toContain('"five"');
    expect(wrapper.get('[data-testid="plan-summary"]').text()).toContain('Correct the fields');
  });

  it('Start runs the sweep, follows it and opens the live screen', async () => {
    const wrapper = await open();
    await wrapper.get('[data-testid="input-name"]').setValue('R1 int4 vs fp32');
    await wrapper.get('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    expect(backend.startSweep).toHaveBeenCalledWith(
      expect.objectContaining({
        models: [{ kind: 'catalog', id: 'mobilellm-r1-140m' }],
        quants: ['fp32', 'int4'],
      }),
      'R1 int4 vs fp32',
      undefined,
    );
    expect(useLiveRunStore().runId).toBe('run-1');
    expect(useNavigationStore().view).toBe('live');
  });

  it('runs on a chosen agent: plans there, offers its providers and memory, and starts there', async () => {
    backend.listAgents.mockResolvedValue([
      boardAgent,
      { ...boardAgent, id: 'agent-off', name: 'jetson', state: 'offline' },
    ]);
    const wrapper = await open();
    const select = wrapper.get('[data-testid="run-on"]');
    const options = select.findAll('option');
    expect(options.map((option) => option.text())).toEqual([
      'This computer',
      'raspberry-pi-5',
      'jetson (offline)',
    ]);
    expect(options[2]?.attributes('disabled')).toBeDefined();
    await select.setValue('agent-pi');
    await builderSettled();
    expect(backend.planSweep).toHaveBeenLastCalledWith(expect.anything(), 'agent-pi');
    expect(wrapper.get('[data-testid="run-on-note"]').text()).toContain('paths on raspberry-pi-5');
    // the board's onnxruntime has no WebGPU: the chip says so
    expect(wrapper.get('[data-testid="ep-webgpu"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('raspberry-pi-5 has 8.0 GiB');
    await wrapper.get('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    expect(backend.startSweep).toHaveBeenLastCalledWith(expect.anything(), undefined, 'agent-pi');
  });

  async function builderSettled(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, PLAN_DEBOUNCE_MS + 20));
    await flushPromises();
  }
});
