// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../../profiler/api';
import { createFakeBackend } from '../../../test/fake-backend';
import { runSummary } from '../../../test/run-summary';
import { provideBackend } from '../../backend/workbench-backend';
import { useCompareStore } from '../../stores/compare-store';
import { useNavigationStore } from '../../stores/navigation-store';
import HistoryView from '../../views/HistoryView.vue';

/** Runs of four planned trials, one of which failed, 20 KiB each. */
const summary = (id: string, extra: Partial<RunSummary> = {}): RunSummary =>
  runSummary(id, { trials: 3, planned: 4, failed: 1, sizeBytes: 20480, ...extra });

let pinia: Pinia;
let runs: RunSummary[];
let problems: { file: string; reason: string }[];

const backend = createFakeBackend({
  listRuns: async () => ({ runs: structuredClone(runs), problems }),
  renameRun: async (id, name) => {
    runs = runs.map((run) => (run.id === id ? { ...run, name } : run));
    return { id, name };
  },
  tagRun: async (id, tags) => ({ id, tags }),
  deleteRun: async (id) => {
    runs = runs.filter((run) => run.id !== id);
    return { id };
  },
  restoreRun: async (id) => {
    runs = [...runs, summary(id)];
    return { id };
  },
  exportRun: async (id, format) => ({
    fileName: `${id}.${format}`,
    mimeType: 'text/markdown',
    text: '# report',
  }),
  importRun: async (text) => {
    const id = (JSON.parse(text) as { id: string }).id;
    runs = [...runs, summary(`${id}-2`)];
    return { id: `${id}-2`, originalId: id };
  },
});

async function mountView() {
  const view = mount(HistoryView, { global: { plugins: [pinia] }, attachTo: document.body });
  await flushPromises();
  return view;
}

describe('History view', () => {
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    runs = [summary('r1', { name: 'Baseline', tags: ['laptop'] }), summary('r2', { name: 'Quantized' })];
    problems = [];
    vi.clearAllMocks();
    provideBackend(backend);
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('says what to do when there are no runs, and lists unreadable files with why', async () => {
    runs = [];
    problems = [{ file: 'runs/broken.json', reason: 'Unexpected end of JSON input' }];
    const view = await mountView();
    expect(view.get('[data-testid="history-empty"]').text()).toContain('build a sweep in Run builder');
    const listed = view.get('[data-testid="history-problems"]');
    expect(listed.text()).toContain('runs/broken.json');
    expect(listed.text()).toContain('Unexpected end of JSON input');
  });

  it('lists runs with their facts and filters them by the search', async () => {
    const view = await mountView();
    const rows = view.findAll('[data-testid="history-run"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('3 of 4');
    expect(rows[0]!.text()).toContain('1 failed');
    expect(rows[0]!.text()).toContain('20.0 KiB');
    await view.get('[data-testid="history-search"]').setValue('laptop');
    expect(view.findAll('[data-testid="history-run"]').map((row) => row.attributes('data-run-id'))).toEqual([
      'r1',
    ]);
    await view.get('[data-testid="history-search"]').setValue('nothing like it');
    expect(view.get('[data-testid="history-no-match"]').text()).toContain('nothing like it');
  });

  it('renames a run inline', async () => {
    const view = await mountView();
    const row = () => view.get('[data-run-id="r2"]');
    await row().get('[data-testid="rename-run"]').trigger('click');
    await row().get('[data-testid="rename-input"]').setValue('Int4 on laptop');
    await row().get('form').trigger('submit');
    await flushPromises();
    expect(backend.renameRun).toHaveBeenCalledWith('r2', 'Int4 on laptop');
    expect(row().text()).toContain('Int4 on laptop');
  });

  it('adds and removes tags', async () => {
    const view = await mountView();
    const row = view.get('[data-run-id="r1"]');
    await row.get('[data-testid="tag-run"]').trigger('click');
    await row.get('[data-testid="tag-input"]').setValue('int4, phone');
    await row.get('form').trigger('submit');
    await flushPromises();
    expect(backend.tagRun).toHaveBeenCalledWith('r1', ['int4', 'phone']);
    await view.get('[data-run-id="r1"] [data-testid="untag-run"]').trigger('click');
    expect(backend.tagRun).toHaveBeenLastCalledWith('r1', ['laptop'], true);
  });

  it('deletes a run and undoes it from the toast', async () => {
    const view = await mountView();
    await view.get('[data-run-id="r1"] [data-testid="delete-run"]').trigger('click');
    await flushPromises();
    expect(backend.deleteRun).toHaveBeenCalledWith('r1');
    expect(view.find('[data-run-id="r1"]').exists()).toBe(false);
    expect(view.get('[data-testid="undo-toast"]').text()).toContain('Baseline');
    await view.get('[data-testid="undo-delete"]').trigger('click');
    await flushPromises();
    expect(backend.restoreRun).toHaveBeenCalledWith('r1');
    expect(view.find('[data-run-id="r1"]').exists()).toBe(true);
    expect(view.find('[data-testid="undo-toast"]').exists()).toBe(false);
  });

  it('exports in the chosen format as a browser download', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:report');
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(`${this.download} ${this.href}`);
    });
    const view = await mountView();
    await view.get('[data-run-id="r2"] [data-testid="export-format"]').setValue('md');
    await view.get('[data-run-id="r2"] [data-testid="export-run"]').trigger('click');
    await flushPromises();
    expect(backend.exportRun).toHaveBeenCalledWith('r2', 'md');
    expect(clicked).toEqual(['r2.md blob:report']);
    expect((created.mock.calls[0]![0] as Blob).type).toBe('text/markdown');
    [click, created, revoked].forEach((spy) => spy.mockRestore());
  });

  it('opens the selected runs in Compare', async () => {
    const view = await mountView();
    const compare = view.get('[data-testid="compare-selected"]');
    expect(compare.attributes('disabled')).toBeDefined();
    await view.get('[data-run-id="r1"] [data-testid="select-run"]').setValue(true);
    await view.get('[data-run-id="r2"] [data-testid="select-run"]').setValue(true);
    const openRuns = vi.spyOn(useCompareStore(), 'openRuns').mockResolvedValue();
    await view.get('[data-testid="compare-selected"]').trigger('click');
    expect(openRuns).toHaveBeenCalledWith(['r1', 'r2']);
    expect(useNavigationStore().view).toBe('compare');
  });

  it('imports a run file and lists it, or says why not', async () => {
    const view = await mountView();
    const input = view.get<HTMLInputElement>('[data-testid="import-run"]');
    expect(input.attributes('accept')).toContain('.json');
    const choose = async (file: File) => {
      Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
      await input.trigger('change');
      await flushPromises();
    };
    await choose(new File(['{"id":"r9"}'], 'r9.json', { type: 'application/json' }));
    expect(backend.importRun).toHaveBeenCalledWith('{"id":"r9"}');
    expect(view.get('[data-testid="import-message"]').text()).toContain('Imported as r9-2');
    expect(view.findAll('[data-testid="history-run"]')).toHaveLength(3);

    backend.importRun.mockRejectedValueOnce(new Error('not a run document'));
    await choose(new File(['{}'], 'bad.json'));
    expect(view.find('[data-testid="import-message"]').exists()).toBe(false);
    expect(view.get('[data-testid="import-error"]').text()).toBe(
      'Could not import “bad.json”: not a run document',
    );
  });
});
