/**
 * Sandboxed preload: exposes `window.workbench`, one named function per WorkbenchApi method, each bound
 * to its own IPC channel, plus `onEvent` for the engine's events. The page never gets ipcRenderer
 * itself (Electron security checklist §20).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, ipcChannelOf, workbenchMethodNames } from '../../profiler/api/channels';

const methods = Object.fromEntries(
  workbenchMethodNames.map((method) => [
    method,
    (...args: unknown[]): Promise<unknown> => ipcRenderer.invoke(ipcChannelOf(method), ...args),
  ]),
);

/** Subscribe to engine events; returns the unsubscribe function. */
function onEvent(listener: (event: unknown) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
}

contextBridge.exposeInMainWorld('workbench', { ...methods, onEvent });

/** Desktop-only abilities the browser door lacks: printing a run's report to PDF. */
contextBridge.exposeInMainWorld('workbenchDesktop', {
  saveReportPdf: (runId: string): Promise<string | null> =>
    ipcRenderer.invoke('workbench-desktop:saveReportPdf', runId),
});
