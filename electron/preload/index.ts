/**
 * Sandboxed preload: exposes `window.workbench`, one named function per WorkbenchApi method, each bound
 * to its own IPC channel. The page never gets ipcRenderer itself (Electron security checklist §20).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannelOf, workbenchMethodNames } from '../../profiler/api/channels';

const bridge = Object.fromEntries(
  workbenchMethodNames.map((method) => [
    method,
    (...args: unknown[]): Promise<unknown> => ipcRenderer.invoke(ipcChannelOf(method), ...args),
  ]),
);

contextBridge.exposeInMainWorld('workbench', bridge);
