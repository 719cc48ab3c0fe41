import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * WebSocket frames written by hand (RFC 6455 §5.2), for tests that play a hostile peer: a client or an
 * agent that sends what no WebSocket library would (an oversized message, invalid UTF-8, an unknown
 * opcode, reserved bits, half a frame).
 */

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FrameOptions {
  /** client → server frames must be masked; the zero key used here leaves the payload readable */
  mask: boolean;
  /** the length the header announces, when it is not the payload's (a peer that stalls mid-frame) */
  announcedLength?: number;
}

/** One frame: `head` is the first byte (FIN, RSV1-3, opcode), e.g. 0x81 for a final text frame. */
export function frame(head: number, payload: Buffer, options: FrameOptions): Buffer {
  const length = options.announcedLength ?? payload.length;
  const maskBit = options.mask ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([head, maskBit | length]);
  else if (length < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt8(head, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(head, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, options.mask ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

export function textFrame(text: string, options: FrameOptions): Buffer {
  return frame(0x80 | OPCODE.text, Buffer.from(text, 'utf8'), options);
}

export interface ParsedFrame {
  opcode: number;
  payload: Buffer;
}

/** Complete frames at the start of `bytes` (unmasked, as a server sends them) and what is left over. */
export function parseFrames(bytes: Buffer): { frames: ParsedFrame[]; rest: Buffer } {
  const frames: ParsedFrame[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (bytes.length - at < 4) break;
      length = bytes.readUInt16BE(at + 2);
      headerLength = 4;
    } else if (length === 127) {
      if (bytes.length - at < 10) break;
      length = Number(bytes.readBigUInt64BE(at + 2));
      headerLength = 10;
    }
    if (bytes.length - at < headerLength + length) break;
    frames.push({ opcode, payload: bytes.subarray(at + headerLength, at + headerLength + length) });
    at += headerLength + length;
  }
  return { frames, rest: bytes.subarray(at) };
}

/** Sec-WebSocket-Accept for a client's key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** The 101 a server answers an upgrade with. */
export function handshakeResponse(key: string): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`
  );
}

export interface RawClient {
  socket: net.Socket;
  /** resolves with the code of the first close frame the server sends (events before it are skipped) */
  closeCode: Promise<number>;
  /** resolves once the server has ended the TCP connection */
  ended: Promise<void>;
}

/** An authenticated WebSocket connection to serve whose frames the test writes itself. */
export function openRawClient(port: number, path: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    let buffered: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let resolveClose: (code: number) => void = () => undefined;
    const closeCode = new Promise<number>((done) => (resolveClose = done));
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    // a server that drops us mid-write (the 20 MiB message) resets the connection: expected here
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        resolve({ socket, closeCode, ended });
      }
      const { frames, rest } = parseFrames(buffered);
      buffered = rest;
      const close = frames.find((parsed) => parsed.opcode === OPCODE.close);
      if (close) resolveClose(close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005);
    });
    socket.once('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    socket.once('close', () => reject(new Error('closed before the upgrade')));
  });
}
