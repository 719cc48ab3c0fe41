// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { depthRun, smolRun, threadsRun } from '../../../test/compare-runs';
import { createFakeBackend } from '../../../test/fake-backend';
import { provideBackend } from '../../backend/workbench-backend';
import { useCompareStore } from '../../stores/compare-store';
import CompareCharts from './CompareCharts.vue';

// happy-dom has no canvas: each chart is a stub that shows its labels and dataset names
vi.mock('vue-chartjs', () => import('../../../test/chart-stub'));

describe('scaling chart card', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    provideBackend(createFakeBackend());
  });

  it('says how to sweep threads when no model × preset ran at two thread counts or EPs', () => {
    useCompareStore().docs = [depthRun(), smolRun()];
    const wrapper = mount(CompareCharts);
    expect(wrapper.get('[data-testid="chart-scaling-note"]').text()).toContain(
      'sweep --threads 1,2,4 to see scaling',
    );
    expect(wrapper.find('[data-testid="chart-scaling"] .chart-stub').exists()).toBe(false);
    expect(wrapper.find('[data-testid="scaling-group"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('draws the group with the most thread counts and EPs, and lets the user pick another', async () => {
    const doc = threadsRun();
    // a second, smaller scaling group: fp32 depth 0 on WebGPU too
    const fp32 = structuredClone(doc.trials[0]!.result);
    fp32.spec.ep = 'webgpu';
    doc.trials.push({ key: 'fp32|webgpu', result: fp32 });
    useCompareStore().docs = [doc];
    const wrapper = mount(CompareCharts);
    expect(wrapper.find('[data-testid="chart-scaling-note"]').exists()).toBe(false);
    const chart = () => wrapper.get('[data-testid="chart-scaling"] .chart-stub');
    expect(chart().attributes('data-type')).toBe('line');
    expect(chart().attributes('data-labels')).toBe('1,2,4,8,default');
    expect(chart().attributes('data-datasets')).toBe(
      'cpu · decode,cpu · prefill,webgpu · decode,webgpu · prefill',
    );
    const select = wrapper.get('[data-testid="scaling-group"]');
    const options = select.findAll('option');
    expect(options).toHaveLength(2);
    expect(options.map((option) => option.text())).toEqual([
      'mobilellm-r1-140m · fp32 · d0 (1 thread counts, 2 EPs)',
      'mobilellm-r1-140m · int4 · d0 (5 thread counts, 2 EPs)',
    ]);
    expect((select.element as HTMLSelectElement).selectedIndex).toBe(1);

    await select.setValue((options[0]!.element as HTMLOptionElement).value);
    await nextTick();
    expect(chart().attributes('data-labels')).toBe('8');
    wrapper.unmount();
  });
});
