import type { WorkbenchApi, WorkbenchEvents } from '../../../profiler/api';
import { TOKEN_PARAM } from '../../../profiler/api/channels';
import { createElectronBackend } from './electron-backend';
import { createSocketBackend } from './socket-backend';
import type { WorkbenchBackend } from './workbench-backend';

export interface BackendHost {
  /** set by the Electron preload; absent in a browser */
  workbench?: WorkbenchApi & WorkbenchEvents;
  location: { origin: string; search: string };
}

/** The desktop bridge when the preload put one there, else the serve/agent this page came from. */
export function pickBackend(host: BackendHost): WorkbenchBackend {
  if (host.workbench) return createElectronBackend(host.workbench);
  const token = new URLSearchParams(host.location.search).get(TOKEN_PARAM) ?? undefined;
  return createSocketBackend({ origin: host.location.origin, ...(token ? { token } : {}) });
}
