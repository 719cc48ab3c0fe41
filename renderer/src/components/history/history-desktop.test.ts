// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../../profiler/api';
import { createFakeBackend } from '../../../test/fake-backend';
import { runSummary } from '../../../test/run-summary';
import { provideBackend } from '../../backend/workbench-backend';
import { useNavigationStore } from '../../stores/navigation-store';
import HistoryView from '../../views/HistoryView.vue';

const run: RunSummary = runSummary('r1', { name: 'Baseline' });

let runs: RunSummary[];
// exportRun and importRun are not stubbed: in the desktop app main does both
const backend = createFakeBackend(
  { listRuns: async () => ({ runs: structuredClone(runs), problems: [] }) },
  { kind: 'electron' },
);

function exposeDesktop() {
  const desktop = {
    openModelFolder: vi.fn(),
    openModelFile: vi.fn(),
    importRunFile: vi.fn(async (): Promise<{ id: string; originalId: string } | null> => {
      runs = [...runs, { ...run, id: 'r9-2', name: 'From a colleague' }];
      return { id: 'r9-2', originalId: 'r9' };
    }),
    exportRun: vi.fn(async (runId: string, format: string) => `/home/me/Documents/${runId}.${format}`),
    saveReportPdf: vi.fn(),
    onMenuCommand: vi.fn(() => () => undefined),
  };
  (window as { workbenchDesktop?: unknown }).workbenchDesktop = desktop;
  return desktop;
}

describe('History in the desktop app', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    runs = [run];
    vi.clearAllMocks();
    provideBackend(backend);
  });
  afterEach(() => {
    delete window.workbenchDesktop;
  });

  const mountView = async () => {
    const view = mount(HistoryView, { global: { plugins: [pinia] } });
    await flushPromises();
    return view;
  };

  it('imports through the system dialog (no file input), then lists the imported run', async () => {
    const desktop = exposeDesktop();
    const view = await mountView();
    expect(view.find('[data-testid="import-run"]').exists()).toBe(false);
    await view.get('[data-testid="import-run-dialog"]').trigger('click');
    await flushPromises();
    expect(desktop.importRunFile).toHaveBeenCalledOnce();
    expect(backend.importRun).not.toHaveBeenCalled(); // main read the file and imported it
    expect(view.get('[data-testid="import-message"]').text()).toBe('Imported as r9-2 (r9 in the file)');
    expect(view.findAll('[data-testid="history-run"]')).toHaveLength(2);
  });

  it('shows why an import failed, and nothing when the dialog was cancelled', async () => {
    const desktop = exposeDesktop();
    const view = await mountView();
    desktop.importRunFile.mockRejectedValueOnce(new Error('Could not import “bad.json”: not a run document'));
    await view.get('[data-testid="import-run-dialog"]').trigger('click');
    await flushPromises();
    expect(view.get('[data-testid="import-error"]').text()).toBe(
      'Could not import “bad.json”: not a run document',
    );

    desktop.importRunFile.mockResolvedValueOnce(null);
    await view.get('[data-testid="import-run-dialog"]').trigger('click');
    await flushPromises();
    expect(view.find('[data-testid="import-error"]').exists()).toBe(false);
    expect(view.find('[data-testid="import-message"]').exists()).toBe(false);
  });

  it('carries out File › Import Run… once History is on screen', async () => {
    const desktop = exposeDesktop();
    useNavigationStore().requestAction('import-run');
    await mountView();
    expect(desktop.importRunFile).toHaveBeenCalledOnce();
    expect(useNavigationStore().pendingAction).toBeNull();
  });

  it('exports with Save as… through the system dialog and says where it saved', async () => {
    const desktop = exposeDesktop();
    const view = await mountView();
    const row = view.get('[data-run-id="r1"]');
    await row.get('[data-testid="export-format"]').setValue('csv');
    expect(row.get('[data-testid="export-run"]').text()).toBe('Save as…');
    await row.get('[data-testid="export-run"]').trigger('click');
    await flushPromises();
    expect(desktop.exportRun).toHaveBeenCalledWith('r1', 'csv');
    expect(backend.exportRun).not.toHaveBeenCalled(); // no browser download
    expect(view.get('[data-testid="save-notice"]').text()).toBe(
      'Saved “Baseline” as /home/me/Documents/r1.csv',
    );
  });

  it('says why a Save as failed', async () => {
    const desktop = exposeDesktop();
    desktop.exportRun.mockRejectedValueOnce(new Error('Could not save /mnt/ro/r1.html: EROFS'));
    const view = await mountView();
    await view.get('[data-run-id="r1"] [data-testid="export-run"]').trigger('click');
    await flushPromises();
    const notice = view.get('[data-testid="save-notice"]');
    expect(notice.text()).toBe('Could not save “Baseline”: Could not save /mnt/ro/r1.html: EROFS');
    expect(notice.attributes('role')).toBe('alert');
  });
});
