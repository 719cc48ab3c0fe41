import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';

/** The header's theme choices, in the order it lists them. */
export const THEME_CHOICES = [
  { id: 'system', title: 'System' },
  { id: 'light', title: 'Light' },
  { id: 'dark', title: 'Dark' },
] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number]['id'];
export type ColorScheme = 'light' | 'dark';

/** Where the choice is kept between sessions (localStorage). */
export const THEME_STORAGE_KEY = 'edge-workbench.theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function isChoice(value: unknown): value is ThemeChoice {
  return THEME_CHOICES.some((choice) => choice.id === value);
}

function storedChoice(): ThemeChoice {
  try {
    const stored = globalThis.localStorage?.getItem(THEME_STORAGE_KEY);
    return isChoice(stored) ? stored : 'system';
  } catch {
    return 'system'; // storage disabled (a locked-down browser profile): follow the system
  }
}

/**
 * Light, dark, or whatever the system prefers. The choice is kept in localStorage and applied as
 * `data-theme` on <html> (styles.css pins `color-scheme` to it); "system" removes the attribute, so the
 * stylesheet follows prefers-color-scheme as it would with no script at all. `scheme` is the one in force,
 * for what CSS cannot reach (canvas charts).
 */
export const useThemeStore = defineStore('theme', () => {
  const choice = ref<ThemeChoice>(storedChoice());
  /** why the choice could not be kept for the next session; null when it was */
  const storageError = ref<string | null>(null);

  const media = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
  const systemScheme = ref<ColorScheme>(media?.matches ? 'dark' : 'light');
  media?.addEventListener('change', (event) => {
    systemScheme.value = event.matches ? 'dark' : 'light';
  });

  const scheme = computed<ColorScheme>(() => (choice.value === 'system' ? systemScheme.value : choice.value));

  function choose(next: ThemeChoice): void {
    choice.value = next;
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
      storageError.value = null;
    } catch (cause) {
      storageError.value = `The theme applies now but will not be remembered: this browser refused to store it (${
        cause instanceof Error ? cause.message : String(cause)
      }).`;
    }
  }

  // before the first paint: the store is created while the app sets up
  watchEffect(
    () => {
      if (typeof document === 'undefined') return;
      const root = document.documentElement;
      if (choice.value === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', choice.value);
    },
    { flush: 'sync' },
  );

  return { choice, scheme, storageError, choose };
});
