import { WebSocket } from 'ws';

/** ms between pings; a board that misses one full interval is taken as gone */
const PING_INTERVAL_MS = 15_000;
/** ms an agent may take to complete the WebSocket handshake */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The `ws` WebSocket with a heartbeat. A board that loses power or Wi-Fi sends no close frame, and TCP can
 * take many minutes to notice; pinging every 15 s and dropping a socket whose pong never came makes the
 * hub see the loss within 30 s and start reconnecting.
 */
export class HeartbeatWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
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
      }, PING_INTERVAL_MS);
      timer.unref?.(); // a heartbeat alone never keeps a CLI process alive
    });
    this.on('close', () => clearInterval(timer));
  }
}
