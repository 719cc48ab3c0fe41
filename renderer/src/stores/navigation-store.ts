import { defineStore } from 'pinia';
import { ref } from 'vue';

/** The workbench's screens, in the order the header lists them. */
export const VIEWS = [
  { id: 'builder', title: 'Run builder' },
  { id: 'live', title: 'Live run' },
  { id: 'compare', title: 'Compare' },
  { id: 'history', title: 'History' },
  { id: 'targets', title: 'Targets' },
  { id: 'system', title: 'System' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

/** Which screen is open; the run a screen should show (opened from History, or just started). */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewId>('system');
  /** the full-screen booth display over whatever screen is open (Esc leaves it) */
  const demo = ref(false);
  function open(next: ViewId): void {
    view.value = next;
  }
  return { view, open, demo };
});
