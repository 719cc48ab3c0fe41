import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  dispatchWorkbenchCall,
  EVENT_CHANNEL,
  ipcChannelOf,
  workbenchMethodNames,
  type WorkbenchApi,
  type WorkbenchEvents,
} from '../../profiler/api';

/** The part of ipcMain this module uses, so tests can pass a fake. */
export type IpcHandlerRegistry = Pick<IpcMain, 'handle' | 'removeHandler'>;

/**
 * One `ipcMain.handle` per WorkbenchApi method. Each call is checked twice: the sender must be one of our
 * own pages (not a navigated-away or injected frame), and the arguments must match the method's zod
 * schema. Returns a function that removes the handlers.
 */
export function bindWorkbenchIpc(
  ipc: IpcHandlerRegistry,
  api: WorkbenchApi,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const method of workbenchMethodNames) {
    ipc.handle(ipcChannelOf(method), (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) {
        throw new Error(`Refused ${method}: the request did not come from the workbench window.`);
      }
      return dispatchWorkbenchCall(api, method, args);
    });
  }
  return () => {
    for (const method of workbenchMethodNames) ipc.removeHandler(ipcChannelOf(method));
  };
}

/** Where events go: the webContents of our windows (fresh each time: windows come and go). */
export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** Forward the engine's events to every workbench window; returns the unsubscribe function. */
export function forwardWorkbenchEvents(api: WorkbenchEvents, targets: () => EventTarget[]): () => void {
  return api.onEvent((event) => {
    for (const target of targets()) if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event);
  });
}
