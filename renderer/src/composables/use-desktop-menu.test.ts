import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopBridge, DesktopMenuCommand } from '../backend/desktop-bridge';
import { useNavigationStore } from '../stores/navigation-store';
import { runMenuCommand, useDesktopMenu } from './use-desktop-menu';

/** A bridge whose menu a test can press. */
function fakeBridge() {
  let listener: ((command: DesktopMenuCommand) => void) | undefined;
  const unsubscribe = vi.fn();
  const bridge = {
    onMenuCommand: vi.fn((next: (command: DesktopMenuCommand) => void) => {
      listener = next;
      return unsubscribe;
    }),
  } as unknown as DesktopBridge;
  return { bridge, unsubscribe, press: (command: DesktopMenuCommand) => listener?.(command) };
}

describe('the desktop menu in the page', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('opens the screen each navigation command names', () => {
    const navigation = useNavigationStore();
    const { bridge, press } = fakeBridge();
    useDesktopMenu(bridge);
    press('new-sweep');
    expect(navigation.view).toBe('builder');
    press('compare');
    expect(navigation.view).toBe('compare');
    press('history');
    expect(navigation.view).toBe('history');
    expect(navigation.pendingAction).toBeNull();
  });

  it('leaves dialog commands to the screen that carries them out', () => {
    const navigation = useNavigationStore();
    const { bridge, press } = fakeBridge();
    useDesktopMenu(bridge);
    press('open-model-folder');
    expect(navigation.view).toBe('builder');
    expect(navigation.takeAction('open-model-folder')).toBe(true);
    expect(navigation.takeAction('open-model-folder')).toBe(false); // once
    press('import-run');
    expect(navigation.view).toBe('history');
    expect(navigation.pendingAction).toBe('import-run');
  });

  it('does nothing in a browser, and stops listening when asked', () => {
    expect(useDesktopMenu(null)).toBeTypeOf('function');
    const { bridge, unsubscribe } = fakeBridge();
    useDesktopMenu(bridge)();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });

  it('ignores a command this page does not know, with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const navigation = { open: vi.fn(), requestAction: vi.fn() };
    runMenuCommand('format-disk' as DesktopMenuCommand, navigation);
    expect(navigation.open).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('format-disk'));
    warn.mockRestore();
  });
});
