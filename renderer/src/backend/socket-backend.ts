import type { WorkbenchApi, WorkbenchEvent } from '../../../profiler/api';
import { workbenchMethodNames } from '../../../profiler/api/channels';
import {
  createSocketClient,
  type SocketConnection,
  type SocketConstructor,
} from '../../../profiler/api/socket-client';
import type { WorkbenchBackend } from './workbench-backend';

export interface SocketBackendOptions {
  /** the serve/agent origin, e.g. "http://127.0.0.1:7420" */
  origin: string;
  /** sent as ?token= when given; a page served by serve authenticates with its cookie instead */
  token?: string;
  /** for tests: the WebSocket constructor */
  WebSocketImpl?: typeof WebSocket;
}

/** ms between reconnect attempts while someone listens for events: 1 s, doubling up to 15 s */
const RECONNECT = { minMs: 1_000, maxMs: 15_000 };

/**
 * The serve door: WorkbenchApi calls as JSON over one WebSocket (the protocol client in profiler/api).
 * Once a view subscribes to events the connection is kept up: after a drop it reconnects with backoff,
 * and `onConnection` listeners hear of it, so stores can catch up on what they missed.
 */
export function createSocketBackend(options: SocketBackendOptions): WorkbenchBackend {
  const host = new URL(options.origin).host;
  const eventListeners = new Set<(event: WorkbenchEvent) => void>();
  const connectionListeners = new Set<(connection: SocketConnection) => void>();
  const client = createSocketClient({
    origin: options.origin,
    ...(options.token ? { token: options.token } : {}),
    WebSocketImpl: (options.WebSocketImpl ?? globalThis.WebSocket) as unknown as SocketConstructor,
    reconnect: RECONNECT,
    onEvent: (payload) => {
      for (const listener of eventListeners) listener(payload as WorkbenchEvent);
    },
    onConnection: (connection) => {
      for (const listener of connectionListeners) listener(connection);
    },
  });

  const call = (method: (typeof workbenchMethodNames)[number], args: unknown[]): Promise<unknown> =>
    client.call(method, args).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      // a page opened without its token URL reaches the server but is refused: say what to open
      throw new Error(
        message.startsWith('Could not reach')
          ? `${message.replace(/\?$/, '')}, and was the page opened with its token URL?`
          : message,
      );
    });

  const methods = Object.fromEntries(
    workbenchMethodNames.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as WorkbenchApi;
  return {
    kind: 'socket',
    location: host,
    ...methods,
    onEvent: (listener) => {
      eventListeners.add(listener);
      // events flow once connected; a failed connect surfaces on the next call, and retries on its own
      void client.open().catch(() => undefined);
      return () => eventListeners.delete(listener);
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
