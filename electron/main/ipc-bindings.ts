import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  dispatchWorkbenchCall,
  ipcChannelOf,
  workbenchMethodNames,
  type WorkbenchApi,
  type WorkbenchEvent,
  type WorkbenchEvents,
} from '../../profiler/api';
import { describeZodError } from '../../common/zod-errors';
import { desktopChannelOf, desktopMethodNames, type DesktopMethodName } from '../../common/desktop-channels';
import { desktopMethodArgs, type DesktopMethodArgs } from './desktop-schemas';
import type { RendererOutbox } from './renderer-outbox';
import type { SenderCheck } from './sender-check';

/** The part of ipcMain this module uses, so tests can pass a fake. */
export type IpcHandlerRegistry = Pick<IpcMain, 'handle' | 'removeHandler'>;

function refuseStrangers(event: IpcMainInvokeEvent, what: string, isTrustedSender: SenderCheck): void {
  if (!isTrustedSender(event)) {
    throw new Error(`Refused ${what}: the request did not come from the workbench window.`);
  }
}

/**
 * One `ipcMain.handle` per WorkbenchApi method. Each call is checked twice: the sender must be one of our
 * own pages (not a navigated-away, injected or sub- frame), and the arguments must match the method's zod
 * schema. Returns a function that removes the handlers.
 */
export function bindWorkbenchIpc(
  ipc: IpcHandlerRegistry,
  api: WorkbenchApi,
  isTrustedSender: SenderCheck,
): () => void {
  for (const method of workbenchMethodNames) {
    ipc.handle(ipcChannelOf(method), (event, ...args: unknown[]) => {
      refuseStrangers(event, method, isTrustedSender);
      return dispatchWorkbenchCall(api, method, args);
    });
  }
  return () => {
    for (const method of workbenchMethodNames) ipc.removeHandler(ipcChannelOf(method));
  };
}

/** The desktop-only abilities (dialogs, printing): each gets the asking event and its checked arguments. */
export type DesktopHandlers = {
  [M in DesktopMethodName]: (event: IpcMainInvokeEvent, ...args: DesktopMethodArgs<M>) => Promise<unknown>;
};

/** The desktop-only channels, checked exactly like the API's: our window only, zod-valid arguments. */
export function bindDesktopIpc(
  ipc: IpcHandlerRegistry,
  handlers: DesktopHandlers,
  isTrustedSender: SenderCheck,
): () => void {
  for (const method of desktopMethodNames) {
    ipc.handle(desktopChannelOf(method), (event, ...args: unknown[]) => {
      refuseStrangers(event, method, isTrustedSender);
      const parsed = desktopMethodArgs[method].safeParse(args);
      if (!parsed.success) {
        throw new Error(`Invalid arguments for ${method}: ${describeZodError(parsed.error, 'args')}`);
      }
      // the tuple was checked against this very method's schema just above
      const handler = handlers[method] as (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
      return handler(event, ...(parsed.data as unknown[]));
    });
  }
  return () => {
    for (const method of desktopMethodNames) ipc.removeHandler(desktopChannelOf(method));
  };
}

/** Forward the engine's events to the workbench windows through their outbox; returns the unsubscribe. */
export function forwardWorkbenchEvents(
  api: WorkbenchEvents,
  outbox: Pick<RendererOutbox<WorkbenchEvent>, 'publish'>,
): () => void {
  return api.onEvent((event) => outbox.publish(event));
}
