/**
 * Sandboxed preload: exposes `window.workbench`, one named function per WorkbenchApi method, each bound
 * to its own IPC channel, plus `onEvent` for the engine's events; and `window.workbenchDesktop`, the
 * desktop-only abilities (native dialogs, PDF, menu commands), again one named function per channel.
 * The page never gets ipcRenderer itself (Electron security checklist §20). Main checks every call's
 * sender and arguments; this file only forwards.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, ipcChannelOf, workbenchMethodNames } from '../../profiler/api/channels';
import {
  desktopChannelOf,
  isMenuCommand,
  MENU_CHANNEL,
  MENU_READY_CHANNEL,
  RENDERER_READY_CHANNEL,
  type DesktopMethodName,
  type MenuCommand,
} from '../../common/desktop-channels';

const methods = Object.fromEntries(
  workbenchMethodNames.map((method) => [
    method,
    (...args: unknown[]): Promise<unknown> => ipcRenderer.invoke(ipcChannelOf(method), ...args),
  ]),
);

/**
 * Subscribe to `channel`; the first subscription of this page tells main it listens (`readyChannel`),
 * so main delivers what it held for the window while the page loaded. A reload runs this file again.
 */
function subscriber<T>(channel: string, readyChannel: string, accept: (payload: unknown) => payload is T) {
  let announced = false;
  return (listener: (payload: T) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, payload: unknown): void => {
      if (accept(payload)) listener(payload);
    };
    ipcRenderer.on(channel, handler);
    if (!announced) {
      announced = true;
      ipcRenderer.send(readyChannel);
    }
    return () => void ipcRenderer.removeListener(channel, handler);
  };
}

/** Main sends the engine's events as they are (zod-typed there); the renderer reads them as WorkbenchEvent. */
const isEventObject = (payload: unknown): payload is object =>
  typeof payload === 'object' && payload !== null;

contextBridge.exposeInMainWorld('workbench', {
  ...methods,
  onEvent: subscriber(EVENT_CHANNEL, RENDERER_READY_CHANNEL, isEventObject),
});

const invokeDesktop =
  (method: DesktopMethodName) =>
  (...args: unknown[]): Promise<unknown> =>
    ipcRenderer.invoke(desktopChannelOf(method), ...args);

/** Desktop-only abilities the browser door lacks (renderer/src/backend/desktop-bridge.ts types them). */
contextBridge.exposeInMainWorld('workbenchDesktop', {
  /** a model folder picked in a native dialog (and allowed to the engine), or null */
  openModelFolder: invokeDesktop('openModelFolder'),
  /** a single .onnx file picked in a native dialog (its folder allowed to the engine), or null */
  openModelFile: invokeDesktop('openModelFile'),
  /** a run file picked, read and imported by main: {id, originalId}, or null */
  importRunFile: invokeDesktop('importRunFile'),
  /** (runId, format): the exported run saved where the user chose; the path, or null */
  exportRun: invokeDesktop('exportRun'),
  /** (runId): the run's HTML report printed to a PDF file; the path, or null */
  saveReportPdf: invokeDesktop('saveReportPdf'),
  /** application-menu commands for the page to carry out */
  onMenuCommand: subscriber<MenuCommand>(MENU_CHANNEL, MENU_READY_CHANNEL, isMenuCommand),
});
