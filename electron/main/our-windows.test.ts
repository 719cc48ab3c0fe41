import type { BrowserWindow, WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createOurWindows } from './our-windows';

function fakeWindow(id: number) {
  const webContents = { id, isDestroyed: () => false } as WebContents;
  return Object.assign(new EventEmitter(), { webContents, destroyed: false, isDestroyed: () => false });
}

describe('our windows', () => {
  it('knows the web contents of the windows it was given, until they close', () => {
    const windows = createOurWindows();
    const main = fakeWindow(1);
    windows.add(main as unknown as BrowserWindow);
    expect(windows.contains(main.webContents)).toBe(true);
    expect(windows.contains({ id: 2, isDestroyed: () => false } as WebContents)).toBe(false);
    expect(windows.list()).toEqual([main]);
    main.emit('closed');
    expect(windows.contains(main.webContents)).toBe(false);
    expect(windows.list()).toEqual([]);
  });
});
