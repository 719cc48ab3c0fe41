// @vitest-environment happy-dom
import { shallowMount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.vue';
import { createFakeBackend } from '../test/fake-backend';
import { provideBackend } from './backend/workbench-backend';
import { THEME_STORAGE_KEY } from './stores/theme-store';

// happy-dom has no canvas to warm Chart.js up on
vi.mock('./components/live/warm-up', () => ({ warmUpLiveCharts: () => undefined }));

const mountApp = () => shallowMount(App, { global: { plugins: [createPinia()] } });

describe('the header theme control', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.removeAttribute('data-theme');
    provideBackend(createFakeBackend());
  });

  it('offers System, Light and Dark under a label, on a control the keyboard reaches', () => {
    const select = mountApp().get('select[data-testid="theme-select"]');
    expect(select.findAll('option').map((option) => option.text())).toEqual(['System', 'Light', 'Dark']);
    expect((select.element as HTMLSelectElement).value).toBe('system');
    expect(select.element.closest('label')?.textContent).toContain('Theme');
    expect(select.attributes('tabindex')).toBeUndefined(); // a native select: in the tab order
  });

  it('applies the choice to the page and keeps it for the next visit', async () => {
    const app = mountApp();
    await app.get('select[data-testid="theme-select"]').setValue('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    app.unmount();

    document.documentElement.removeAttribute('data-theme');
    const next = mountApp();
    expect((next.get('select[data-testid="theme-select"]').element as HTMLSelectElement).value).toBe('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
  });
});
