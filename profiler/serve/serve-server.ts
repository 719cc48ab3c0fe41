import { existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { SOCKET_PATH, TOKEN_PARAM, type WorkbenchApi, type WorkbenchEvents } from '../api';
import { checkToken, newAccessToken, presentedToken, tokenCookieName } from './access-token';
import { assertBindAllowed, hostHeaderAllowed } from './bind-policy';
import { setSecurityHeaders } from './security-headers';
import { attachSocketSession } from './socket-session';
import { createTokenRateLimiter, type TokenRateLimitOptions } from './token-rate-limit';

export interface ServeOptions {
  api: WorkbenchApi & WorkbenchEvents;
  /** folder holding the built renderer (index.html + assets) */
  rendererDir: string;
  host: string;
  /** 0 picks a free port */
  port: number;
  allowRemote: boolean;
  /** defaults to a fresh random token */
  token?: string;
  /** how wrong tokens are throttled; defaults to TOKEN_RATE_LIMIT (tests shorten it) */
  rateLimit?: TokenRateLimitOptions;
}

export interface RunningServer {
  /** the URL to open, token included */
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export class ServeError extends Error {
  override name = 'ServeError';
}

/**
 * bytes: the largest WebSocket message a client may send. A larger one closes that client's socket with
 * 1009 (message too big); the server, its sweep and the other clients go on.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const unauthorizedText =
  'This Edge LLM Workbench server needs its access token. Open the URL that `edge-workbench serve` ' +
  'printed (it ends in ?token=…).\n';

function tooManyText(retryAfterSeconds: number): string {
  return `Too many wrong access tokens from this address; wait ${retryAfterSeconds} s.\n`;
}

function refuse(
  res: ServerResponse,
  status: number,
  text: string,
  headers: http.OutgoingHttpHeaders = {},
): void {
  setSecurityHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

const UPGRADE_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

function refuseUpgrade(socket: Duplex, status: number, extraHeaders = ''): void {
  socket.end(
    `HTTP/1.1 ${status} ${UPGRADE_REASONS[status] ?? 'Refused'}\r\nConnection: close\r\n${extraHeaders}` +
      'Content-Length: 0\r\n\r\n',
  );
}

/**
 * No Origin (a script, not a browser), or a web page on this very host and port (https too, for serve
 * behind a TLS proxy). "null" (sandboxed frames, file: pages) and other origins are refused.
 */
function sameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const parsed = new URL(origin);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      parsed.host === hostHeader?.toLowerCase()
    );
  } catch {
    return false;
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Start the HTTP + WebSocket door over an engine. Resolves once listening. */
export async function startServeServer(options: ServeOptions): Promise<RunningServer> {
  const { api, rendererDir, host, allowRemote } = options;
  assertBindAllowed(host, allowRemote);
  if (!existsSync(`${rendererDir}/index.html`)) {
    throw new ServeError(`The renderer is not built (no ${rendererDir}/index.html). Run \`npm run build\`.`);
  }
  const token = options.token ?? newAccessToken();
  const wrongTokens = createTokenRateLimiter(options.rateLimit);
  let port = options.port;

  const assets = sirv(rendererDir, {
    etag: true,
    setHeaders: (res, pathname) => {
      setSecurityHeaders(res);
      if (pathname.endsWith('.html')) res.setHeader('Cache-Control', 'no-store');
    },
  });

  /**
   * Every request passes here: right Host (DNS rebinding), then the token. The right token is always
   * let in: on a loopback bind every local process (and any web page in the user's browser, firing
   * blind cross-site GETs) shares 127.0.0.1, so a lockout that refused it would let anyone lock the
   * user out of their own workbench. The comparison is constant-time and 192 random bits cannot be
   * guessed, so the limiter only has to refuse the wrong ones: an address that guessed too often gets
   * 429 for its wrong tokens, and those are not counted again while it waits.
   */
  function admit(req: IncomingMessage): {
    url: URL;
    status: 200 | 400 | 401 | 403 | 429;
    retryAfterSeconds: number;
  } {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hostHeaderAllowed(req.headers.host, host)) return { url, status: 400, retryAfterSeconds: 0 };
    const check = checkToken(presentedToken(req, url, port), token);
    if (check === 'ok') return { url, status: 200, retryAfterSeconds: 0 };
    if (check === 'missing') return { url, status: 401, retryAfterSeconds: 0 };
    const address = req.socket.remoteAddress;
    const retryAfterSeconds = wrongTokens.retryAfterSeconds(address);
    if (retryAfterSeconds > 0) return { url, status: 429, retryAfterSeconds };
    wrongTokens.recordWrong(address);
    return { url, status: 403, retryAfterSeconds: 0 };
  }

  const server = http.createServer((req, res) => {
    const { url, status, retryAfterSeconds } = admit(req);
    if (status === 400) return refuse(res, 400, 'Unexpected Host header.\n');
    if (status === 429) {
      return refuse(res, 429, tooManyText(retryAfterSeconds), { 'Retry-After': String(retryAfterSeconds) });
    }
    if (status === 401) return refuse(res, 401, unauthorizedText);
    if (status === 403) return refuse(res, 403, 'Wrong access token.\n' + unauthorizedText);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.\n');
    if (url.searchParams.has(TOKEN_PARAM)) {
      // Trade the token in the address bar for a strict cookie, so it is not kept in history or
      // shown on a booth screen; assets and the WebSocket then authenticate by cookie.
      url.searchParams.delete(TOKEN_PARAM);
      res.setHeader(
        'Set-Cookie',
        `${tokenCookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
      );
      setSecurityHeaders(res);
      res.writeHead(303, { Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    assets(req, res, () => refuse(res, 404, `Not found: ${url.pathname}\n`));
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  sockets.on('connection', (socket, req: IncomingMessage) =>
    attachSocketSession(socket, api, req.socket.remoteAddress ?? 'unknown address'),
  );
  server.on('upgrade', (req, socket, head) => {
    // Node hands an upgrading connection over without an error listener: a client that resets it
    // while we refuse or hand it to ws would raise an 'error' nobody hears, which ends the process.
    // ws adds its own once the socket is a WebSocket; until then, a reset just destroys this one.
    socket.on('error', () => socket.destroy());
    const { url, status, retryAfterSeconds } = admit(req);
    if (url.pathname !== SOCKET_PATH) return refuseUpgrade(socket, 404);
    if (status === 429) return refuseUpgrade(socket, 429, `Retry-After: ${retryAfterSeconds}\r\n`);
    if (status !== 200) return refuseUpgrade(socket, status);
    // Cross-site WebSocket hijacking guard: a browser always sends Origin; it must be this server.
    if (!sameOrigin(req.headers.origin, req.headers.host)) return refuseUpgrade(socket, 403);
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new ServeError(`Port ${port} on ${host} is in use: pass --port N, or --port 0 for any free one.`),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new ServeError(`Cannot bind to ${host}: no such address on this machine.`));
      } else if (error.code === 'EACCES') {
        reject(new ServeError(`Not allowed to bind ${host}:${port}: pick a port above 1023.`));
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${hostForUrl(host)}:${port}/?${TOKEN_PARAM}=${token}`,
    host,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
