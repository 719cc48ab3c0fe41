import net from 'node:net';

const loopbackNames = new Set(['localhost', 'localhost.']);

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (loopbackNames.has(bare)) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

export class BindRefusedError extends Error {
  override name = 'BindRefusedError';
}

/** Serving beyond this machine exposes the engine to the network: it takes an explicit flag. */
export function assertBindAllowed(host: string, allowRemote: boolean): void {
  if (!isLoopbackHost(host) && !allowRemote) {
    throw new BindRefusedError(
      `Refusing to serve on ${host}: it is reachable from other machines. ` +
        `Pass --allow-remote to do it on purpose (the access token still guards every request), ` +
        `or keep the default --host 127.0.0.1.`,
    );
  }
}

/**
 * DNS-rebinding guard: on a loopback bind, a request must name a loopback host. A page on evil.example
 * whose DNS answer flips to 127.0.0.1 would send `Host: evil.example`.
 */
export function hostHeaderAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!isLoopbackHost(boundHost)) return true;
  if (!hostHeader) return false;
  const hostname = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.split(':')[0]!;
  return isLoopbackHost(hostname);
}
