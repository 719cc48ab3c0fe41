// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunDocument } from '../../../profiler/api';
import { depthRun, KEYS, smolRun, tinyBesideR1Run } from '../../test/compare-runs';
import { CONTEXT_KEYS, contextRun } from '../../../common/test/context-run';
import { createFakeBackend } from '../../test/fake-backend';
import { provideBackend } from '../backend/workbench-backend';
import { metricDefinition } from '../../../common/metric-glossary';
import { useCompareStore } from '../stores/compare-store';
import CompareView from './CompareView.vue';

// happy-dom has no canvas: each chart is a stub that shows its labels and datasets
vi.mock('vue-chartjs', () => import('../../test/chart-stub'));

function backendWith(runs: RunDocument[]) {
  // the Compare screen calls only these two
  const backend = createFakeBackend({
    loadRun: async (id) => structuredClone(runs.find((run) => run.id === id)!),
    exportRun: async (id, format) => ({
      fileName: `${id}.${format}`,
      mimeType: 'text/csv',
      text: 'model,quant\n',
    }),
  });
  provideBackend(backend);
  return { loadRun: backend.loadRun, exportRun: backend.exportRun };
}

async function openCompare(runs: RunDocument[]) {
  const calls = backendWith(runs);
  const wrapper = mount(CompareView, { attachTo: document.body });
  await useCompareStore().openRuns(runs.map((run) => run.id));
  await flushPromises();
  return { wrapper, ...calls };
}

const rowKeys = (wrapper: ReturnType<typeof mount>) =>
  wrapper.findAll('[data-testid="compare-row"]').map((row) => row.attributes('data-trial-id')!.split('/')[1]);

describe('Compare screen', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('says where runs come from before any is open', () => {
    backendWith([]);
    const wrapper = mount(CompareView);
    expect(wrapper.get('[data-testid="view-CompareView"]').text()).toContain(
      'Open runs from History or run a sweep',
    );
    expect(wrapper.find('[data-testid="compare-table"]').exists()).toBe(false);
  });

  it('loads the runs and shows one table row per trial, failed ones included, and every chart', async () => {
    const { wrapper, loadRun } = await openCompare([depthRun()]);
    expect(loadRun).toHaveBeenCalledWith('r1-140m-depths');
    expect(rowKeys(wrapper)).toEqual([KEYS.fp32d0, KEYS.fp32d2048, KEYS.int4d0, KEYS.int4d2048, KEYS.big]);
    const firstRow = wrapper.get('[data-testid="compare-row"]').text();
    expect(firstRow).toContain('61.8 ± 1.2');
    expect(firstRow).toContain('706 MiB');
    expect(wrapper.findAll('[data-testid="compare-row"]')[4]!.text()).toContain('failed (out-of-memory)');
    for (const id of [
      'chart-throughput',
      'chart-latency-depth',
      'chart-memory',
      'chart-kv-context',
      'chart-quality',
      'chart-ops',
      'chart-roofline',
    ]) {
      const card = wrapper.get(`[data-testid="${id}"]`);
      expect(card.find('.chart-stub').exists(), id).toBe(true);
      expect(card.find(`[data-testid="${id}-png"]`).exists(), id).toBe(true);
    }
    expect(wrapper.get('[data-testid="chart-throughput"] .chart-stub').attributes('data-label-count')).toBe(
      '4',
    );
  });

  it('sorts by a header click, and reverses on the second', async () => {
    const { wrapper } = await openCompare([depthRun()]);
    const header = wrapper.get('[data-testid="sort-decode"]');
    await header.trigger('click');
    expect(rowKeys(wrapper)).toEqual([KEYS.int4d0, KEYS.int4d2048, KEYS.fp32d0, KEYS.fp32d2048, KEYS.big]);
    expect(header.element.closest('th')!.getAttribute('aria-sort')).toBe('descending');
    await header.trigger('click');
    expect(rowKeys(wrapper)).toEqual([KEYS.fp32d2048, KEYS.fp32d0, KEYS.int4d2048, KEYS.int4d0, KEYS.big]);
    expect(header.element.closest('th')!.getAttribute('aria-sort')).toBe('ascending');
  });

  it('shows a metric’s definition on hover and to assistive technology', async () => {
    const { wrapper } = await openCompare([depthRun()]);
    const ttft = wrapper.get('[data-testid="sort-ttft"]');
    expect(ttft.attributes('title')).toBe(`TTFT: ${metricDefinition('ttft')}`);
    const tip = wrapper.get(`#${ttft.attributes('aria-describedby')}`);
    expect(tip.attributes('role')).toBe('tooltip');
    expect(tip.text()).toContain('time from the prefill run() call to the first generated token id');
    // sampling is timed apart: decode tok/s and per-token latency exclude it, TTFT includes it
    expect(wrapper.get('[data-testid="sort-decode"]').attributes('title')).toContain(
      "G (generated tokens) ÷ the sum of the decode steps' run() seconds, sampling excluded",
    );
    expect(wrapper.get('[data-testid="sort-p50"]').attributes('title')).toContain('sampling excluded');
    expect(wrapper.get('[data-testid="sort-ttft"]').attributes('title')).toContain('plus sampling');
    expect(wrapper.get('[data-testid="sort-sampling"]').attributes('title')).toContain('reported apart');
    expect(wrapper.get('[data-testid="sort-fill"]').attributes('title')).toContain(
      'seeded values written straight into the cache, not run through the model',
    );
  });

  it('charts latency and memory against the context from the measured trials, the KV chart marked analytic', async () => {
    const { wrapper } = await openCompare([contextRun()]);
    const datasets = (id: string) =>
      wrapper.get(`[data-testid="${id}"] .chart-stub`).attributes('data-datasets')!.split(',');
    // int4 and fp32 each one series across their contexts; the folder model, at one context, a third
    expect(datasets('chart-latency-context')).toEqual([
      'mobilellm-r1-140m · int4 · shared KV buffer · cpu · TTFT',
      'mobilellm-r1-140m · int4 · shared KV buffer · cpu · p50 per token',
      'mobilellm-r1-140m · fp32 · grow KV buffer · cpu · TTFT',
      'mobilellm-r1-140m · fp32 · grow KV buffer · cpu · p50 per token',
      'qwen3-0.6b-onnx (q4) · fp32 · grow KV buffer · webgpu · TTFT',
      'qwen3-0.6b-onnx (q4) · fp32 · grow KV buffer · webgpu · p50 per token',
    ]);
    expect(datasets('chart-memory-context').slice(0, 2)).toEqual([
      'mobilellm-r1-140m · int4 · shared KV buffer · cpu · peak RSS',
      'mobilellm-r1-140m · int4 · shared KV buffer · cpu · KV cache (exact)',
    ]);
    expect(wrapper.get('#chart-kv-context-title').text()).toContain('(analytic)');
    // every trial ran at the end of its window: no two depths share a context
    expect(wrapper.get('[data-testid="chart-latency-depth-note"]').text()).toContain('two or more depths');
    expect(wrapper.get('[data-testid="roofline-missing"]').text()).toContain(
      'not measured for this provider',
    );
    const rows = wrapper.findAll('[data-testid="compare-row"]');
    const single = rows.find((row) => row.attributes('data-trial-id')!.endsWith(CONTEXT_KEYS.fp32c512))!;
    expect(single.text()).toContain('63.0 (n = 1)');
    expect(single.text()).toContain('ok · n = 1');
  });

  it('says beside the quality chart that synthetic weights say nothing of quality', async () => {
    const { wrapper } = await openCompare([depthRun()]);
    expect(wrapper.get('[data-testid="quality-synthetic-note"]').text()).toBe(
      'Values from synthetic (seeded) weights are valid for speed and memory, never for quality.',
    );
  });

  it('explains the charts it cannot draw', async () => {
    const { wrapper } = await openCompare([smolRun()]);
    const note = (id: string) => wrapper.get(`[data-testid="${id}-note"]`).text();
    expect(note('chart-latency-depth')).toContain('two or more depths');
    expect(note('chart-latency-context')).toContain('two or more contexts (4096 tokens)');
    expect(note('chart-memory-context')).toContain('two or more contexts');
    expect(note('chart-quality')).toContain('sweep --quality');
    expect(note('chart-ops')).toContain('profile ops');
    expect(wrapper.find('[data-testid="chart-ops"] .chart-stub').exists()).toBe(false);
    expect(wrapper.find('[data-testid="chart-memory"] .chart-stub').exists()).toBe(true);
  });

  it('charts only the ticked trials', async () => {
    const { wrapper } = await openCompare([depthRun()]);
    const toggles = wrapper.findAll('[data-testid="trial-toggle"]');
    expect(toggles).toHaveLength(5);
    expect(toggles[4]!.attributes('disabled')).toBeDefined(); // the failed trial
    await toggles[0]!.setValue(false);
    expect(wrapper.get('[data-testid="chart-throughput"] .chart-stub').attributes('data-label-count')).toBe(
      '3',
    );
    await wrapper.get('[data-testid="select-none"]').trigger('click');
    expect(wrapper.get('[data-testid="chart-throughput-note"]').text()).toContain('No trial selected');
    // the table still lists every trial
    expect(wrapper.findAll('[data-testid="compare-row"]')).toHaveLength(5);
  });

  it('exports a run through the engine and saves it as a download', async () => {
    const { wrapper, exportRun } = await openCompare([depthRun()]);
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:compare-export');
    const revokeObjectURL = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.download} ${this.href}`);
    });
    await wrapper.get('[data-testid="export-csv"]').trigger('click');
    await flushPromises();
    expect(exportRun).toHaveBeenCalledWith('r1-140m-depths', 'csv');
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    expect(clicked).toEqual(['r1-140m-depths.csv blob:compare-export']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:compare-export');
    vi.restoreAllMocks();
  });

  it('draws a tiny in-cache model on a log-scale roofline and says it is not memory-bound', async () => {
    const { wrapper } = await openCompare([tinyBesideR1Run()]);
    const roofline = wrapper.get('[data-testid="chart-roofline"]');
    expect(roofline.get('.chart-stub').attributes('data-y-type')).toBe('logarithmic');
    expect(roofline.get('[data-testid="roofline-log-scale"]').text()).toContain('Log scale');
    expect(roofline.get('[data-testid="roofline-not-memory-bound"]').text()).toMatch(
      /Not memory-bound:\s+ui-tiny · fp32 .*\(0\.\d% of its bound\)/,
    );
  });

  it('keeps a linear roofline axis and no such note when every bound is near its measured rate', async () => {
    const { wrapper } = await openCompare([depthRun()]);
    const roofline = wrapper.get('[data-testid="chart-roofline"]');
    expect(roofline.get('.chart-stub').attributes('data-y-type')).toBe('linear');
    expect(roofline.find('[data-testid="roofline-not-memory-bound"]').exists()).toBe(false);
  });

  it('charts the throughput bars at the statistic the table shows, and both say which', async () => {
    const { wrapper } = await openCompare([depthRun()]);
    const throughput = wrapper.get('[data-testid="chart-throughput"]');
    const [decodeBars] = JSON.parse(throughput.get('.chart-stub').attributes('data-values')!) as number[][];
    const decodeColumn = wrapper
      .findAll('[data-testid="compare-row"]')
      .slice(0, 4)
      .map((row) => row.text().match(/(\d+\.\d) ± \d+\.\d/)?.[1]);
    // the bars are the means the table shows (first figure of "mean ± sd"), in the same order
    expect(decodeBars!.map((value) => value.toFixed(1))).toEqual(decodeColumn);
    expect(throughput.text()).toContain('Bars: mean over repetitions');
    expect(wrapper.get('[data-testid="compare-table"] thead').text()).toContain('mean ± sd');
  });
});
