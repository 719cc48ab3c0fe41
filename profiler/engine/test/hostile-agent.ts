import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { frame, handshakeResponse, OPCODE, textFrame } from './raw-websocket';

/** What the fake agent does with each connection once the WebSocket handshake is done. */
export type AgentBehaviour = (socket: Duplex) => void;

export interface HostileAgent {
  /** its origin, as an agents list records it */
  url: string;
  /** ms timestamps (Date.now) of each connection the hub made, and of when each ended */
  connections: { openedAtMs: number; closedAtMs: number | null }[];
  close(): Promise<void>;
}

/**
 * A stand-in for a misbehaving agent: it accepts any token, completes the WebSocket handshake by hand
 * and then behaves as told (garbage, an oversized frame, half a frame and silence), never answering a
 * ping. Its log of connections shows how the hub retried.
 */
export async function startHostileAgent(behaviour: AgentBehaviour): Promise<HostileAgent> {
  const connections: HostileAgent['connections'] = [];
  const open = new Set<Duplex>();
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket) => {
    const entry = { openedAtMs: Date.now(), closedAtMs: null as number | null };
    connections.push(entry);
    open.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      entry.closedAtMs = Date.now();
      open.delete(socket);
    });
    socket.on('data', () => undefined); // pings and calls go unanswered
    socket.on('end', () => socket.destroy()); // the hub hung up
    socket.write(handshakeResponse(String(req.headers['sec-websocket-key'])));
    behaviour(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const unmasked = { mask: false };

/**
 * Text that is not the protocol, then messages shaped almost like it (null, a number, a reply to call 1
 * without its error, an event without a payload, binary noise), then a frame with an unknown opcode.
 */
export const sendsGarbage: AgentBehaviour = (socket) => {
  for (const text of ['not json', 'null', '5', '"text"', '{"id":1,"ok":false}', '{"event":7}'])
    socket.write(textFrame(text, unmasked));
  socket.write(frame(0x80 | OPCODE.binary, Buffer.from([0xde, 0xad, 0xbe, 0xef]), unmasked));
  socket.write(frame(0x83, Buffer.from('?'), unmasked)); // opcode 3 is reserved
};

/** bytes an oversized frame announces: past the hub's 64 MiB limit */
export const OVERSIZED_BYTES = 65 * 1024 * 1024;

/** The header of a 65 MiB message and its first bytes: the hub must not wait to buffer the rest. */
export const sendsOversized: AgentBehaviour = (socket) => {
  socket.write(
    frame(0x80 | OPCODE.text, Buffer.from('{"id":1,"ok":true,"result":"'), {
      mask: false,
      announcedLength: OVERSIZED_BYTES,
    }),
  );
};

/** Half a message, then silence (a frozen process whose TCP connection stays up). */
export const stallsMidMessage: AgentBehaviour = (socket) => {
  socket.write(
    frame(0x80 | OPCODE.text, Buffer.from('{"event":"work'), { mask: false, announcedLength: 100 }),
  );
};
