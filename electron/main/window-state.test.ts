import type { BrowserWindow } from 'electron';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  centredDefault,
  isReachable,
  keepWindowState,
  placeWindow,
  SAVE_DEBOUNCE_MS,
  windowStateOf,
  type WindowState,
} from './window-state';

const laptop = { x: 0, y: 0, width: 1920, height: 1050 }; // work area: a 1080p screen less its taskbar
const monitorRight = { x: 1920, y: 0, width: 2560, height: 1400 };

const saved = (bounds: WindowState['bounds'], maximized = false): WindowState => ({
  version: 1,
  bounds,
  maximized,
});

describe('isReachable', () => {
  it('accepts a window whose title bar is on a display', () => {
    expect(isReachable({ x: 100, y: 100, width: 1280, height: 860 }, [laptop])).toBe(true);
    // mostly off the right edge, but a grabbable piece of title bar is left
    expect(isReachable({ x: 1700, y: 100, width: 1280, height: 860 }, [laptop])).toBe(true);
  });

  it('refuses a window on a monitor since unplugged, above the screen, or with too little title bar showing', () => {
    expect(isReachable({ x: 2200, y: 100, width: 1280, height: 860 }, [laptop])).toBe(false);
    expect(isReachable({ x: 100, y: -200, width: 1280, height: 860 }, [laptop])).toBe(false);
    expect(isReachable({ x: 1850, y: 100, width: 1280, height: 860 }, [laptop])).toBe(false);
    expect(isReachable({ x: 100, y: 1040, width: 1280, height: 860 }, [laptop])).toBe(false);
  });
});

describe('placeWindow', () => {
  it('opens where it was when that is still on a display, maximized if it was', () => {
    const bounds = { x: 2000, y: 50, width: 1600, height: 1000 };
    expect(placeWindow(saved(bounds, true), [laptop, monitorRight], laptop)).toEqual({
      bounds,
      maximized: true,
    });
  });

  it('centres the default size on the primary display when the saved place is off every display', () => {
    const placement = placeWindow(saved({ x: 2000, y: 50, width: 1600, height: 1000 }), [laptop], laptop);
    expect(placement).toEqual({ bounds: { x: 320, y: 95, width: 1280, height: 860 }, maximized: false });
  });

  it('opens centred the first time', () => {
    expect(placeWindow(null, [laptop], laptop).bounds).toEqual(centredDefault(laptop));
  });

  it('shrinks a saved size to a display that became smaller, and the default to a small screen', () => {
    const small = { x: 0, y: 0, width: 1280, height: 720 };
    expect(placeWindow(saved({ x: 0, y: 0, width: 1600, height: 1000 }), [small], small).bounds).toEqual({
      x: 0,
      y: 0,
      width: 1280,
      height: 720,
    });
    expect(centredDefault(small)).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
  });
});

function fakeWindow() {
  const window = Object.assign(new EventEmitter(), {
    normal: { x: 10.4, y: 20, width: 1200, height: 800 },
    maximized: false,
    getNormalBounds: () => window.normal,
    isMaximized: () => window.maximized,
    isDestroyed: () => false,
  });
  return window;
}

describe('keepWindowState', () => {
  afterEach(() => vi.useRealTimers());

  it('saves the normal bounds a moment after the last move or resize, and at once on close', () => {
    vi.useFakeTimers();
    const window = fakeWindow();
    const save = vi.fn();
    keepWindowState(window as unknown as BrowserWindow, save);
    for (let i = 0; i < 20; i++) window.emit('move');
    window.emit('resize');
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    expect(save).toHaveBeenCalledOnce();
    expect(save).toHaveBeenLastCalledWith(saved({ x: 10, y: 20, width: 1200, height: 800 }));

    window.maximized = true;
    window.emit('maximize');
    window.emit('close');
    expect(save).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenLastCalledWith(saved({ x: 10, y: 20, width: 1200, height: 800 }, true));
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS); // the pending save was cancelled by the close
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('states what windowStateOf reads', () => {
    expect(windowStateOf(fakeWindow() as unknown as BrowserWindow)).toEqual(
      saved({ x: 10, y: 20, width: 1200, height: 800 }),
    );
  });
});
