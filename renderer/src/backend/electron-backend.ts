import type { WorkbenchApi, WorkbenchEvents, WorkbenchMethodName } from '../../../profiler/api';
import { workbenchMethodNames } from '../../../profiler/api/channels';
import type { WorkbenchBackend } from './workbench-backend';

/** Electron wraps a handler's error as "Error invoking remote method 'workbench:x': Error: <message>". */
const ipcErrorPrefix = /^Error invoking remote method '[^']+': (?:\w*Error: )?/;

export function unwrapIpcError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(ipcErrorPrefix, ''));
}

type Call = (...args: unknown[]) => Promise<unknown>;

/** The desktop app: calls go through the preload's named functions to ipcMain. */
export function createElectronBackend(bridge: WorkbenchApi & WorkbenchEvents): WorkbenchBackend {
  const methods = Object.fromEntries(
    workbenchMethodNames.map((method: WorkbenchMethodName) => {
      const call = bridge[method] as Call;
      return [
        method,
        (...args: unknown[]) =>
          call(...args).catch((error: unknown) => Promise.reject(unwrapIpcError(error))),
      ];
    }),
  ) as WorkbenchApi;
  return {
    kind: 'electron',
    location: 'this computer (desktop app)',
    ...methods,
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
