// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunDocument } from '../../../../profiler/api';
import { createFakeBackend } from '../../../test/fake-backend';
import { provideBackend } from '../../backend/workbench-backend';
import ExportBar from './ExportBar.vue';

const doc = { id: 'run-1', name: 'sweep' } as RunDocument; // the bar reads only id and name

/** what the desktop preload exposes, with the PDF call the test cares about */
function desktop(saveReportPdf: (runId: string) => Promise<string | null>): unknown {
  const none = vi.fn(async () => null);
  return {
    openModelFolder: none,
    openModelFile: none,
    importRunFile: none,
    exportRun: none,
    saveReportPdf,
    onMenuCommand: vi.fn(() => () => undefined),
  };
}

describe('export bar', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    provideBackend(createFakeBackend({}, { kind: 'electron' }));
  });
  afterEach(() => {
    delete window.workbenchDesktop;
  });

  it('offers PDF only in the desktop app, and says where it saved', async () => {
    expect(
      mount(ExportBar, { props: { docs: [doc] } })
        .find('[data-testid="export-pdf"]')
        .exists(),
    ).toBe(false);

    const saveReportPdf = vi.fn(async () => '/home/me/run-1.pdf');
    window.workbenchDesktop = desktop(saveReportPdf);
    const wrapper = mount(ExportBar, { props: { docs: [doc] } });
    await wrapper.find('[data-testid="export-pdf"]').trigger('click');
    await flushPromises();
    expect(saveReportPdf).toHaveBeenCalledWith('run-1');
    expect(wrapper.find('[data-testid="export-saved"]').text()).toBe('Saved /home/me/run-1.pdf');
  });

  it('shows why printing failed', async () => {
    window.workbenchDesktop = desktop(vi.fn(async () => Promise.reject(new Error('disk full'))));
    const wrapper = mount(ExportBar, { props: { docs: [doc] } });
    await wrapper.find('[data-testid="export-pdf"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="export-error"]').text()).toMatch(
      /Could not save run run-1 as PDF: disk full/,
    );
  });
});
