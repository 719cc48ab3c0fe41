import { desktopBridge, type DesktopBridge, type DesktopMenuCommand } from '../backend/desktop-bridge';
import { useNavigationStore } from '../stores/navigation-store';

type Navigation = Pick<ReturnType<typeof useNavigationStore>, 'open' | 'requestAction'>;

/**
 * One application-menu command: open its screen and, for the dialog commands, leave the action to
 * the screen that owns it (the model picker opens the folder dialog, History the import), so its
 * progress and errors show where the person is looking.
 */
export function runMenuCommand(command: DesktopMenuCommand, navigation: Navigation): void {
  switch (command) {
    case 'new-sweep':
      navigation.open('builder');
      return;
    case 'open-model-folder':
    case 'open-model-file':
      navigation.open('builder');
      navigation.requestAction(command);
      return;
    case 'import-run':
      navigation.open('history');
      navigation.requestAction('import-run');
      return;
    case 'compare':
      navigation.open('compare');
      return;
    case 'history':
      navigation.open('history');
      return;
    default: {
      // a command from a newer desktop shell than this page knows: nothing to do
      const unknown: never = command;
      console.warn(`Ignored the menu command ${String(unknown)}: this page does not know it.`);
    }
  }
}

/**
 * Carry out the desktop app's menu commands in this page (installed once, from main.ts, after Pinia).
 * In a browser there is no desktop bridge and nothing to listen to. Returns the unsubscribe function.
 */
export function useDesktopMenu(bridge: DesktopBridge | null = desktopBridge()): () => void {
  if (!bridge) return () => undefined;
  const navigation = useNavigationStore();
  return bridge.onMenuCommand((command) => runMenuCommand(command, navigation));
}
