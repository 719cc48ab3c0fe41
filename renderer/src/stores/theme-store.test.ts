// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { THEME_STORAGE_KEY, useThemeStore } from './theme-store';

const root = (): HTMLElement => document.documentElement;

describe('theme store', () => {
  beforeEach(() => {
    localStorage.clear();
    root().removeAttribute('data-theme');
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('follows the system until a theme is chosen', () => {
    const theme = useThemeStore();
    expect(theme.choice).toBe('system');
    expect(root().hasAttribute('data-theme')).toBe(false);
  });

  it('applies the chosen theme to <html> at once and keeps it for the next visit', async () => {
    const theme = useThemeStore();
    theme.choose('dark');
    expect(root().getAttribute('data-theme')).toBe('dark');
    expect(theme.scheme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    // the next visit: a fresh app reads the stored choice and applies it before anything renders
    root().removeAttribute('data-theme');
    setActivePinia(createPinia());
    const again = useThemeStore();
    expect(again.choice).toBe('dark');
    expect(root().getAttribute('data-theme')).toBe('dark');

    again.choose('system');
    await nextTick();
    expect(root().hasAttribute('data-theme')).toBe(false);
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('system');
  });

  it('ignores a stored value it does not know', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'sepia');
    expect(useThemeStore().choice).toBe('system');
  });

  it('says so when the choice cannot be stored, and still applies it', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    const theme = useThemeStore();
    theme.choose('light');
    expect(root().getAttribute('data-theme')).toBe('light');
    expect(theme.storageError).toMatch(/will not be remembered.*QuotaExceededError/);
  });
});
