import { WebSocket } from 'ws';
import type { SocketConstructor } from '../api';

export interface HeartbeatOptions {
  /** ms between pings; a board that misses one full interval is taken as gone */
  pingIntervalMs?: number;
  /** ms an agent may take to complete the WebSocket handshake */
  handshakeTimeoutMs?: number;
  /**
   * bytes: the largest message an agent may send. Its biggest honest one is a run document (loadRun),
   * a few MB for a large sweep; anything past this closes the connection (1009) before it is buffered.
   */
  maxPayloadBytes?: number;
}

const DEFAULTS: Required<HeartbeatOptions> = {
  pingIntervalMs: 15_000,
  handshakeTimeoutMs: 10_000,
  maxPayloadBytes: 64 * 1024 * 1024,
};

/**
 * The `ws` WebSocket with a heartbeat, as the agent hub dials boards. A board that loses power or Wi-Fi
 * sends no close frame, and TCP can take many minutes to notice; pinging every interval and dropping a
 * socket whose pong never came makes the hub see the loss within two intervals and start reconnecting.
 * The same catches an agent that stalls mid-message: its pong cannot come before the message's missing
 * bytes, so the socket is dropped rather than left waiting for ever. Options are for tests.
 */
export function heartbeatWebSocket(options: HeartbeatOptions = {}): SocketConstructor {
  const { pingIntervalMs, handshakeTimeoutMs, maxPayloadBytes } = { ...DEFAULTS, ...options };
  return class HeartbeatWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { handshakeTimeout: handshakeTimeoutMs, maxPayload: maxPayloadBytes });
      let alive = true;
      let timer: ReturnType<typeof setInterval> | undefined;
      this.on('pong', () => (alive = true));
      this.on('open', () => {
        timer = setInterval(() => {
          if (!alive) {
            this.terminate();
            return;
          }
          alive = false;
          this.ping();
        }, pingIntervalMs);
        timer.unref?.(); // a heartbeat alone never keeps a CLI process alive
      });
      // A peer that broke the protocol (garbage, an oversized or malformed frame) has been sent a close
      // frame by ws, which would then wait 30 s for its answer: such a peer will not give one, so the
      // connection is dropped now and the hub's back-off decides when to dial again.
      this.on('error', () => {
        if (this.readyState !== WebSocket.CONNECTING) this.terminate();
      });
      this.on('close', () => clearInterval(timer));
    }
  } as unknown as SocketConstructor;
}

/** The hub's default: 15 s pings, 10 s handshake, 64 MiB messages. */
export const HeartbeatWebSocket = heartbeatWebSocket();
