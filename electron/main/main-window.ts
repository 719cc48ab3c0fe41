import { BrowserWindow, type Rectangle } from 'electron';
import { fileURLToPath } from 'node:url';
import type { RendererLocation } from './renderer-location';
import { MIN_WINDOW_SIZE } from './window-state';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

export interface MainWindowOptions {
  /** where it opens (window-state.ts placeWindow) */
  placement: { bounds: Rectangle; maximized: boolean };
  /**
   * Called with the window before its page loads, so whoever tracks it (the IPC sender check, the
   * event queues, the saved placement) sees the page from its first message on.
   */
  onCreated(window: BrowserWindow): void;
}

/**
 * The workbench window: isolated, sandboxed, no Node in the page (every preference the Electron
 * security checklist names is spelled out, not left to defaults). Shown once painted, so users never
 * see a blank white frame.
 */
export async function createMainWindow(
  location: RendererLocation,
  options: MainWindowOptions,
): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    ...options.placement.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Edge LLM Workbench',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      // a middle click would open a link in a new window: none is ever wanted
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  });
  options.onCreated(window);
  window.once('ready-to-show', () => {
    if (options.placement.maximized) window.maximize();
    window.show();
  });
  await window.loadURL(location.url);
  return window;
}
