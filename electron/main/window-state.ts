import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';

/**
 * Where the workbench window was, so it opens there again: the normal (not maximized) bounds and
 * whether it was maximized, kept in `<userData>/desktop/window-state.json`.
 */
export const WindowStateSchema = z.object({
  version: z.literal(1),
  /** px, screen coordinates; the bounds the window returns to when it is not maximized */
  bounds: z.object({
    x: z.number().int(),
    y: z.number().int(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  }),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

/** px */
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const;
/** px; below this the screens' tables and charts no longer fit */
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;

/** px of the window's top edge (its title bar) that must lie on a display for the user to grab it */
const TITLE_BAR_HEIGHT_PX = 32;
const MIN_GRABBABLE_WIDTH_PX = 120;

/**
 * Whether a window at `bounds` can be seen and dragged on one of the displays: its title-bar strip
 * lies inside a display's work area (not under the taskbar, not above the screen) over at least
 * MIN_GRABBABLE_WIDTH_PX. A window saved on a monitor since unplugged fails this.
 */
export function isReachable(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  const grabbable = Math.min(MIN_GRABBABLE_WIDTH_PX, bounds.width);
  return workAreas.some((area) => {
    const overlapWidth = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const titleBarInside = bounds.y >= area.y && bounds.y + TITLE_BAR_HEIGHT_PX <= area.y + area.height;
    return titleBarInside && overlapWidth >= grabbable;
  });
}

/** The display work area holding most of the window's title bar. */
function areaOf(bounds: Rectangle, workAreas: readonly Rectangle[]): Rectangle | undefined {
  return workAreas.find((area) => isReachable(bounds, [area]));
}

/** The default size, shrunk to fit the work area, centred on it. */
export function centredDefault(area: Rectangle): Rectangle {
  const width = Math.min(DEFAULT_WINDOW_SIZE.width, area.width);
  const height = Math.min(DEFAULT_WINDOW_SIZE.height, area.height);
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where to open the window: where it was if that is still reachable on the current displays (shrunk to
 * fit a display that became smaller), else the default size centred on the primary display. Maximized
 * if it was.
 */
export function placeWindow(
  saved: WindowState | null,
  workAreas: readonly Rectangle[],
  primaryWorkArea: Rectangle,
): { bounds: Rectangle; maximized: boolean } {
  const maximized = saved?.maximized ?? false;
  const area = saved ? areaOf(saved.bounds, workAreas) : undefined;
  if (!saved || !area) return { bounds: centredDefault(primaryWorkArea), maximized };
  return {
    bounds: {
      ...saved.bounds,
      width: Math.min(saved.bounds.width, area.width),
      height: Math.min(saved.bounds.height, area.height),
    },
    maximized,
  };
}

/** What to save of a window now. */
export function windowStateOf(window: Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const { x, y, width, height } = window.getNormalBounds();
  return {
    version: 1,
    bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) },
    maximized: window.isMaximized(),
  };
}

/** ms of quiet after the last move or resize before the placement is saved */
export const SAVE_DEBOUNCE_MS = 500;

/**
 * Save the window's placement a moment after it stops moving or resizing (a drag fires dozens of
 * events a second), and at once when it closes (cancelling a pending one). `save` gets each state.
 */
export function keepWindowState(
  window: BrowserWindow,
  save: (state: WindowState) => void,
  debounceMs = SAVE_DEBOUNCE_MS,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveLater = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!window.isDestroyed()) save(windowStateOf(window));
    }, debounceMs);
  };
  window.on('resize', saveLater);
  window.on('move', saveLater);
  window.on('maximize', saveLater);
  window.on('unmaximize', saveLater);
  window.on('close', () => {
    clearTimeout(timer);
    timer = undefined;
    save(windowStateOf(window));
  });
}
