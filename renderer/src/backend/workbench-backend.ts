import type { SocketConnection, WorkbenchApi, WorkbenchEvents } from '../../../profiler/api';

/**
 * All the renderer knows of the engine. Two implementations: the Electron bridge (window.workbench from
 * the preload) and the WebSocket client of a serve/agent process. Views and stores never see which.
 */
export type WorkbenchBackend = WorkbenchApi &
  WorkbenchEvents & {
    readonly kind: 'electron' | 'socket';
    /** where the engine runs, for people: "this computer (desktop app)", "127.0.0.1:7420" */
    readonly location: string;
    /**
     * Connection changes of a door that can drop (the serve WebSocket): a store that follows events
     * reloads what it shows once the connection is back. Absent where the engine cannot drop (desktop).
     */
    onConnection?: (listener: (connection: SocketConnection) => void) => () => void;
  };

let current: WorkbenchBackend | undefined;

/** Set once at start (main.ts), or by a test. */
export function provideBackend(backend: WorkbenchBackend): void {
  current = backend;
}

export function useBackend(): WorkbenchBackend {
  if (!current) throw new Error('No WorkbenchBackend: provideBackend() must run before the app mounts.');
  return current;
}
