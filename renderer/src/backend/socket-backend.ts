import type {
  SocketEvent,
  SocketReply,
  WorkbenchApi,
  WorkbenchEvent,
  WorkbenchMethodArgs,
  WorkbenchMethodName,
  WorkbenchMethodResult,
} from '../../../profiler/api';
import { SOCKET_PATH, TOKEN_PARAM, workbenchMethodNames } from '../../../profiler/api/channels';
import type { WorkbenchBackend } from './workbench-backend';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface SocketBackendOptions {
  /** the serve/agent origin, e.g. "http://127.0.0.1:7420" */
  origin: string;
  /** sent as ?token= when given; a page served by serve authenticates with its cookie instead */
  token?: string;
  /** for tests: the WebSocket constructor */
  WebSocketImpl?: typeof WebSocket;
}

/**
 * The serve/agent door: WorkbenchApi calls as JSON over one WebSocket, connected on first use and
 * again after a drop.
 */
export function createSocketBackend(options: SocketBackendOptions): WorkbenchBackend {
  const { origin, token } = options;
  const host = new URL(origin).host;
  const socketUrl = new URL(SOCKET_PATH, origin);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) socketUrl.searchParams.set(TOKEN_PARAM, token);

  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: WorkbenchEvent) => void>();
  let nextId = 1;
  let opening: Promise<WebSocket> | undefined;

  function failAll(reason: string): void {
    for (const { reject } of pending.values()) reject(new Error(reason));
    pending.clear();
  }

  function onReply(event: MessageEvent): void {
    const message = JSON.parse(String(event.data)) as SocketReply | SocketEvent;
    if ('event' in message) {
      for (const listener of listeners) listener(message.payload as WorkbenchEvent);
      return;
    }
    const reply = message;
    if (reply.id === null) return;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new Error(reply.error.message));
  }

  function connect(): Promise<WebSocket> {
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const WebSocketImpl = options.WebSocketImpl ?? globalThis.WebSocket;
      const socket = new WebSocketImpl(socketUrl.toString());
      let opened = false;
      socket.addEventListener('open', () => {
        opened = true;
        resolve(socket);
      });
      socket.addEventListener('message', onReply);
      socket.addEventListener('close', () => {
        opening = undefined;
        const reason = opened
          ? `Lost the connection to the workbench engine at ${host}.`
          : `Could not reach the workbench engine at ${host}: is \`edge-workbench serve\` running, and was the page opened with its token URL?`;
        failAll(reason);
        if (!opened) reject(new Error(reason));
      });
    });
    return opening;
  }

  async function call<M extends WorkbenchMethodName>(
    method: M,
    args: WorkbenchMethodArgs<M>,
  ): Promise<WorkbenchMethodResult<M>> {
    const socket = await connect();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // JSON has no undefined: an omitted optional argument would arrive as null and fail validation
      const sent = [...(args as unknown[])];
      while (sent.length > 0 && sent.at(-1) === undefined) sent.pop();
      socket.send(JSON.stringify({ id, method, args: sent }));
    });
  }

  const methods = Object.fromEntries(
    workbenchMethodNames.map((method) => [method, (...args: unknown[]) => call(method, args as never)]),
  ) as WorkbenchApi;
  return {
    kind: 'socket',
    location: host,
    ...methods,
    onEvent: (listener) => {
      listeners.add(listener);
      void connect().catch(() => undefined); // events flow once connected; a failed connect surfaces on the next call
      return () => listeners.delete(listener);
    },
  };
}
