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

/** Desktop-menu actions a screen carries out once it is open. */
export type PendingAction = 'open-model-folder' | 'open-model-file' | 'import-run';

/** Which screen is open; the run a screen should show (opened from History, or just started). */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewId>('system');
  /** the full-screen booth display over whatever screen is open (Esc leaves it) */
  const demo = ref(false);
  function open(next: ViewId): void {
    view.value = next;
  }
  /**
   * A desktop-menu action waiting for the screen that carries it out (Open Model Folder… for the Run
   * builder's model picker, Import Run… for History), so that screen shows its progress and errors.
   */
  const pendingAction = ref<PendingAction | null>(null);
  function requestAction(action: PendingAction): void {
    pendingAction.value = action;
  }
  /** Claims the pending action if it is `action`: true once, for the screen that then carries it out. */
  function takeAction(action: PendingAction): boolean {
    if (pendingAction.value !== action) return false;
    pendingAction.value = null;
    return true;
  }
  return { view, open, demo, pendingAction, requestAction, takeAction };
});
