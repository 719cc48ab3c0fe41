import WebSocket from 'ws';
import { WorkbenchEventSchema, type SocketReply, type WorkbenchEvent } from '../../api';

/** A well-behaved client of serve's API socket (the `ws` library), as tests drive it. */
export interface ApiClient {
  socket: WebSocket;
  /** every engine event pushed to it so far, in order */
  events: WorkbenchEvent[];
  /** one call; resolves with the reply to its id */
  call(method: string, args?: unknown[]): Promise<SocketReply>;
  /** close, and resolve once closed */
  close(): Promise<void>;
}

export async function connectApiClient(port: number, token: string): Promise<ApiClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const events: WorkbenchEvent[] = [];
  const waiting = new Map<number, (reply: SocketReply) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { event?: string; payload?: unknown; id?: number };
    if (message.event === 'workbench') {
      events.push(WorkbenchEventSchema.parse(message.payload));
      return;
    }
    const answer = waiting.get(message.id!);
    waiting.delete(message.id!);
    answer?.(message as SocketReply);
  });
  let nextId = 1;
  return {
    socket,
    events,
    call: (method, args = []) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, method, args }));
      }),
    close: () =>
      new Promise((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}
