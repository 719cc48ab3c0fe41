/**
 * Every desktop-only IPC channel and menu command, spelled once for main, the sandboxed preload and the
 * page. Dependency-free (no zod, no electron) so the preload bundles it as is; main checks payloads with
 * the zod schemas in electron/main/desktop-schemas.ts. The engine's own channels live in
 * profiler/api/channels.ts.
 */

/** What the desktop app adds to the WorkbenchApi: native dialogs and printing, one channel each. */
export const desktopMethodNames = [
  'openModelFolder',
  'openModelFile',
  'importRunFile',
  'exportRun',
  'saveReportPdf',
] as const;
export type DesktopMethodName = (typeof desktopMethodNames)[number];

export function desktopChannelOf(method: DesktopMethodName): string {
  return `workbench-desktop:${method}`;
}

/** Application-menu commands main sends and the page carries out (renderer/src/composables/use-desktop-menu.ts). */
export const menuCommands = [
  'open-model-folder',
  'open-model-file',
  'import-run',
  'new-sweep',
  'compare',
  'history',
] as const;
export type MenuCommand = (typeof menuCommands)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (menuCommands as readonly string[]).includes(value);
}

/** main → renderer: one MenuCommand */
export const MENU_CHANNEL = 'workbench-desktop:menu';

/**
 * renderer → main, no payload: the page subscribed to the engine's events (`window.workbench.onEvent`),
 * so events queued for its window can be delivered. Sent again after every reload.
 */
export const RENDERER_READY_CHANNEL = 'workbench:renderer-ready';

/** renderer → main, no payload: the page listens for menu commands (`onMenuCommand`). */
export const MENU_READY_CHANNEL = 'workbench-desktop:menu-ready';
