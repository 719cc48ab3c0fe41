import type { WebSocket } from 'ws';
import {
  dispatchWorkbenchCall,
  SocketRequestSchema,
  WorkbenchCallError,
  type SocketReply,
  type WorkbenchApi,
  type WorkbenchEvents,
} from '../api';

function send(socket: WebSocket, reply: SocketReply): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
}

function errorReply(id: number | null, error: unknown): SocketReply {
  if (error instanceof WorkbenchCallError) {
    return { id, ok: false, error: { code: error.code, message: error.message } };
  }
  // An engine failure: its message is meant for people; the stack stays on the server's stderr.
  const message = error instanceof Error ? error.message : String(error);
  return { id, ok: false, error: { code: 'failed', message } };
}

/** Serve WorkbenchApi calls arriving on one authenticated WebSocket, and push the engine's events. */
export function attachSocketSession(socket: WebSocket, api: WorkbenchApi & WorkbenchEvents): void {
  const unsubscribe = api.onEvent((payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event: 'workbench', payload }));
  });
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    let request;
    try {
      if (isBinary) throw new Error('binary frames are not part of the protocol');
      request = SocketRequestSchema.parse(JSON.parse(data.toString()));
    } catch {
      send(socket, {
        id: null,
        ok: false,
        error: { code: 'bad-request', message: 'Expected a JSON request {id, method, args}.' },
      });
      return;
    }
    const { id, method, args } = request;
    dispatchWorkbenchCall(api, method, args).then(
      (result) => send(socket, { id, ok: true, result }),
      (error: unknown) => {
        if (!(error instanceof WorkbenchCallError)) console.error(`[serve] ${method} failed:`, error);
        send(socket, errorReply(id, error));
      },
    );
  });
}
