import type { WebSocket } from 'ws';
import {
  dispatchWorkbenchCall,
  SocketRequestSchema,
  WorkbenchCallError,
  type SocketReply,
  type WorkbenchApi,
  type WorkbenchEvents,
} from '../api';

/**
 * bytes a client may leave unread (queued in ws and the kernel's send buffer) before it is dropped. A
 * client that asks and asks but never reads would otherwise grow serve's memory until the board runs
 * out, taking the sweep with it. A single large answer (a big run document) still goes out whole: the
 * check is made before each message is queued.
 */
export const MAX_UNREAD_BYTES = 32 * 1024 * 1024;

/** Queue `text` for the client, unless the client has stopped reading: then it is dropped. */
function deliver(socket: WebSocket, text: string, peer: string): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_UNREAD_BYTES) {
    console.warn(
      `[serve] dropped the connection of ${peer}: it stopped reading (over ${MAX_UNREAD_BYTES / 2 ** 20} MiB unread)`,
    );
    socket.terminate();
    return;
  }
  socket.send(text);
}

function send(socket: WebSocket, reply: SocketReply, peer: string): void {
  if (socket.readyState !== socket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(reply);
  } catch (error) {
    // a result JSON cannot carry: the client still gets an answer to its id, and serve goes on
    text = JSON.stringify(errorReply(reply.id, error));
  }
  deliver(socket, text, peer);
}

function errorReply(id: number | null, error: unknown): SocketReply {
  if (error instanceof WorkbenchCallError) {
    return { id, ok: false, error: { code: error.code, message: error.message } };
  }
  // An engine failure: its message is meant for people; the stack stays on the server's stderr.
  const message = error instanceof Error ? error.message : String(error);
  return { id, ok: false, error: { code: 'failed', message } };
}

/**
 * Serve WorkbenchApi calls arriving on one authenticated WebSocket, and push the engine's events.
 * `peer` (the client's address) only names the client in the log.
 */
export function attachSocketSession(
  socket: WebSocket,
  api: WorkbenchApi & WorkbenchEvents,
  peer: string,
): void {
  // ws reports what a client did wrong on the wire (a message over maxPayload, invalid UTF-8 in a text
  // frame, an unknown opcode, reserved bits set) as an 'error' on this socket, after it has already sent
  // the close frame (1009, 1007, 1002). With no listener that error would end the whole process and the
  // sweep it runs: here it ends this client only, with one line in the log.
  socket.on('error', (error: Error & { code?: string }) => {
    console.warn(
      `[serve] closed the connection of ${peer}: ${error.message}${error.code ? ` (${error.code})` : ''}`,
    );
    if (socket.readyState === socket.OPEN) socket.close(1011);
  });
  const unsubscribe = api.onEvent((payload) => {
    if (socket.readyState === socket.OPEN)
      deliver(socket, JSON.stringify({ event: 'workbench', payload }), peer);
  });
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    let request;
    try {
      if (isBinary) throw new Error('binary frames are not part of the protocol');
      request = SocketRequestSchema.parse(JSON.parse(data.toString()));
    } catch {
      send(
        socket,
        {
          id: null,
          ok: false,
          error: { code: 'bad-request', message: 'Expected a JSON request {id, method, args}.' },
        },
        peer,
      );
      return;
    }
    const { id, method, args } = request;
    dispatchWorkbenchCall(api, method, args).then(
      (result) => send(socket, { id, ok: true, result }, peer),
      (error: unknown) => {
        if (!(error instanceof WorkbenchCallError)) console.error(`[serve] ${method} failed:`, error);
        send(socket, errorReply(id, error), peer);
      },
    );
  });
}
