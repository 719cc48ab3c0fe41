import { SOCKET_PATH, TOKEN_PARAM, type WorkbenchMethodName } from './channels';
import type { SocketEvent, SocketReply } from './socket-protocol';

/** The part of a WebSocket the client uses: the browser's, or the `ws` package's in Node. */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: never) => void): void;
}
export type SocketConstructor = new (url: string) => SocketLike;

/** How the connection stands: for a status light in the UI and for the agent hub. */
export type SocketConnection =
  | { state: 'connecting' }
  | { state: 'open' }
  /** dropped or refused; `retryInMs` when a reconnect is scheduled */
  | {
      state: 'closed';
      reason: string;
      retryInMs: number | null;
      /** the HTTP status of a refused upgrade (401/403 token, 429 rate limit), where known */
      httpStatus: number | null;
    };

export interface SocketClientOptions {
  /** the serve/agent origin, e.g. "http://127.0.0.1:7420" */
  origin: string;
  /** sent as ?token= when given (a page served by serve authenticates with its cookie instead) */
  token?: string;
  WebSocketImpl: SocketConstructor;
  /** keep a connection up, reconnecting after a drop with backoff (ms); off: connect on demand */
  reconnect?: { minMs: number; maxMs: number };
  /** every change of the connection's state */
  onConnection?: (connection: SocketConnection) => void;
  /** pushed engine events (the payload of `{event: 'workbench', payload}`) */
  onEvent?: (payload: unknown) => void;
}

export interface SocketClient {
  /** one WorkbenchApi call; rejects with the engine's message, or when the connection fails */
  call(method: WorkbenchMethodName, args: readonly unknown[]): Promise<unknown>;
  /** open now (and keep open when `reconnect` is set); resolves once open, rejects if it cannot */
  open(): Promise<void>;
  /** close for good: no more reconnects; pending calls fail */
  close(): void;
  connection(): SocketConnection;
}

/** A failed call: the engine's code when it answered (`invalid-arguments`, `failed`…), else `connection`. */
export class SocketCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SocketCallError';
  }
}

const OPEN = 1;

/**
 * The client side of the serve/agent door: WorkbenchApi calls as JSON over one WebSocket, replies
 * matched by id, pushed events handed on. Shared by the browser UI (the page's own serve) and the
 * engine's agent hub (remote boards), so both speak the protocol the same way.
 */
export function createSocketClient(options: SocketClientOptions): SocketClient {
  const host = new URL(options.origin).host;
  const socketUrl = new URL(SOCKET_PATH, options.origin);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  if (options.token) socketUrl.searchParams.set(TOKEN_PARAM, options.token);

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let socket: SocketLike | undefined;
  let opening: Promise<SocketLike> | undefined;
  let connection: SocketConnection = {
    state: 'closed',
    reason: 'not connected yet',
    retryInMs: null,
    httpStatus: null,
  };
  let closedForGood = false;
  let keepOpen = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** connections in a row that failed or did not stay up: the back-off's exponent */
  let failures = 0;

  function setConnection(next: SocketConnection): void {
    connection = next;
    try {
      options.onConnection?.(next);
    } catch (error) {
      console.error(`[socket] a connection change of ${host} could not be handled:`, error);
    }
  }

  function failAll(reason: string): void {
    for (const { reject } of pending.values()) reject(new SocketCallError('connection', reason));
    pending.clear();
  }

  /**
   * A message from the other end, which may be anything (an agent is another machine): what is not our
   * protocol is dropped, and a listener's failure is logged, never thrown back into the socket (in
   * Node that would end the process holding the connection: the desktop app's main, or serve).
   */
  function onMessage(event: { data: unknown }): void {
    let message: unknown;
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return; // not our protocol: nothing to match it to
    }
    if (isSocketEvent(message)) {
      try {
        options.onEvent?.(message.payload);
      } catch (error) {
        console.error(`[socket] an event from ${host} could not be handled:`, error);
      }
      return;
    }
    if (!isSocketReply(message) || message.id === null) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new SocketCallError(message.error.code, message.error.message));
  }

  function scheduleReconnect(): number | null {
    if (!keepOpen || closedForGood || !options.reconnect) return null;
    const { minMs, maxMs } = options.reconnect;
    const delay = Math.min(maxMs, minMs * 2 ** Math.min(failures, 16));
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect().catch(() => undefined), delay);
    return delay;
  }

  function connect(): Promise<SocketLike> {
    if (closedForGood)
      return Promise.reject(new SocketCallError('connection', `Closed the connection to ${host}.`));
    opening ??= new Promise<SocketLike>((resolve, reject) => {
      setConnection({ state: 'connecting' });
      const next = new options.WebSocketImpl(socketUrl.toString());
      let opened = false;
      let openedAtMs = 0;
      let errorText = '';
      next.addEventListener('open', () => {
        opened = true;
        openedAtMs = Date.now();
        socket = next;
        setConnection({ state: 'open' });
        resolve(next);
      });
      next.addEventListener('message', onMessage);
      next.addEventListener('error', (event: { message?: unknown }) => {
        // Node's `ws` says why ("Unexpected server response: 403"); browsers say nothing
        if (typeof event.message === 'string') errorText = event.message;
      });
      next.addEventListener('close', () => {
        opening = undefined;
        if (socket === next) socket = undefined;
        // The back-off starts over only after a connection that stayed up as long as the longest wait:
        // one that opens and is dropped at once (an agent sending garbage, a proxy cutting it) keeps
        // backing off instead of being redialled every minMs for ever.
        if (opened && Date.now() - openedAtMs >= (options.reconnect?.maxMs ?? 0)) failures = 0;
        const httpStatus = opened ? null : refusedStatus(errorText);
        const reason = opened
          ? `Lost the connection to the workbench engine at ${host}.`
          : refusalText(host, httpStatus, errorText);
        failAll(reason);
        // a refused token stays refused: retrying would only feed the agent's rate limit
        const retryInMs = httpStatus === 401 || httpStatus === 403 ? null : scheduleReconnect();
        setConnection({ state: 'closed', reason, retryInMs, httpStatus });
        if (!opened) reject(new SocketCallError('connection', reason));
      });
    });
    return opening;
  }

  return {
    async call(method, args) {
      const open = socket?.readyState === OPEN ? socket : await connect();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // JSON has no undefined: an omitted optional argument would arrive as null and fail validation
        const sent = [...args];
        while (sent.length > 0 && sent.at(-1) === undefined) sent.pop();
        open.send(JSON.stringify({ id, method, args: sent }));
      });
    },
    async open() {
      keepOpen = true;
      if (socket?.readyState !== OPEN) await connect();
    },
    close() {
      closedForGood = true;
      clearTimeout(retryTimer);
      socket?.close();
      failAll(`Closed the connection to ${host}.`);
    },
    connection: () => connection,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `{event, payload}`, checked by hand: this file stays free of zod for the browser bundle. */
function isSocketEvent(message: unknown): message is SocketEvent {
  return isObject(message) && typeof message.event === 'string';
}

function isSocketReply(message: unknown): message is SocketReply {
  if (!isObject(message) || !(typeof message.id === 'number' || message.id === null)) return false;
  if (message.ok === true) return true;
  const { error } = message;
  return (
    message.ok === false &&
    isObject(error) &&
    typeof error.code === 'string' &&
    typeof error.message === 'string'
  );
}

/** Why a connection never opened, for people: a refused token reads differently from no answer. */
function refusedStatus(errorText: string): number | null {
  const status = /Unexpected server response: (\d+)/.exec(errorText)?.[1];
  return status === undefined ? null : Number(status);
}

function refusalText(host: string, status: number | null, errorText: string): string {
  if (status === 401 || status === 403)
    return `The workbench engine at ${host} refused the access token (HTTP ${status}): copy the token that \`edge-workbench serve\` printed there.`;
  if (status === 429)
    return `The workbench engine at ${host} is refusing this address for a while after too many wrong tokens (HTTP 429): wait a minute, then check the token.`;
  if (status !== null) return `The workbench engine at ${host} refused the connection (HTTP ${status}).`;
  return `Could not reach the workbench engine at ${host}: is \`edge-workbench serve\` running there${errorText ? ` (${errorText})` : ''}?`;
}
