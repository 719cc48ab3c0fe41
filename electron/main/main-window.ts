import { BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import type { RendererLocation } from './renderer-location';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

/**
 * The workbench window: isolated, sandboxed, no Node in the page. Shown once painted, so users never
 * see a blank white frame.
 */
export async function createMainWindow(location: RendererLocation): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Edge LLM Workbench',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(location.url);
  return window;
}
