/**
 * The WorkbenchApi method names, dependency-free so the sandboxed preload can bundle them without zod.
 * workbench-api.ts checks at compile time that its schemas cover exactly these names.
 */
export const workbenchMethodNames = [
  'system',
  'catalog',
  'planSweep',
  'startSweep',
  'resumeSweep',
  'cancelSweep',
  'listRuns',
  'loadRun',
  'renameRun',
  'tagRun',
  'deleteRun',
  'restoreRun',
  'exportRun',
  'importRun',
  'deviceTargets',
  'analyzeRun',
  'kvPressure',
  'memoryBandwidth',
  'storage',
  'clearModelCache',
  'importModel',
  'listAgents',
  'addAgent',
  'removeAgent',
] as const;

export type WorkbenchMethodName = (typeof workbenchMethodNames)[number];

export function isWorkbenchMethodName(name: unknown): name is WorkbenchMethodName {
  return typeof name === 'string' && (workbenchMethodNames as readonly string[]).includes(name);
}

/** The IPC channel of one method in the desktop app: one channel per method, never a generic one. */
export function ipcChannelOf(method: WorkbenchMethodName): string {
  return `workbench:${method}`;
}

/** Path of the API WebSocket on a serve/agent host. */
export const SOCKET_PATH = '/api';

/** Query parameter (and cookie prefix) that carries a serve host's access token. */
export const TOKEN_PARAM = 'token';

/** The IPC channel the engine's events travel on (one channel; the preload exposes it as onEvent). */
export const EVENT_CHANNEL = 'workbench:event';
