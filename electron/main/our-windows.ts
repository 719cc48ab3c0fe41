import type { BrowserWindow, WebContents } from 'electron';

/**
 * The workbench windows this app created, so IPC can tell them from any other web contents (the
 * hidden PDF window, devtools). Keyed by webContents id; a window leaves the set when it closes.
 */
export interface OurWindows {
  add(window: BrowserWindow): void;
  /** whether these web contents are the page of one of our live workbench windows */
  contains(contents: WebContents): boolean;
  /** live windows, oldest first */
  list(): BrowserWindow[];
}

export function createOurWindows(): OurWindows {
  const windows = new Map<number, BrowserWindow>();
  return {
    add(window) {
      const id = window.webContents.id;
      windows.set(id, window);
      window.once('closed', () => windows.delete(id));
    },
    contains(contents) {
      const window = windows.get(contents.id);
      return window !== undefined && !window.isDestroyed() && !contents.isDestroyed();
    },
    list: () => [...windows.values()].filter((window) => !window.isDestroyed()),
  };
}
