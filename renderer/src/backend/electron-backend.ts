import type { WorkbenchApi } from '../../../profiler/api';
import type { WorkbenchBackend } from './workbench-backend';

/** Electron wraps a handler's error as "Error invoking remote method 'workbench:x': Error: <message>". */
const ipcErrorPrefix = /^Error invoking remote method '[^']+': (?:\w*Error: )?/;

function unwrapIpcError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(ipcErrorPrefix, ''));
}

/** The desktop app: calls go through the preload's named functions to ipcMain. */
export function createElectronBackend(bridge: WorkbenchApi): WorkbenchBackend {
  return {
    kind: 'electron',
    location: 'this computer (desktop app)',
    system: () => bridge.system().catch((error: unknown) => Promise.reject(unwrapIpcError(error))),
  };
}
