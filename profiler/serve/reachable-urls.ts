import os from 'node:os';

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * The URLs other machines can use when serve binds every address (0.0.0.0 or ::): one per non-internal
 * address of this machine, so someone adding this board as an agent does not have to look up its IP.
 * Empty for a specific bind (its own URL is the one to use). IPv6 link-local addresses are left out:
 * they need a zone id that browsers do not accept.
 */
export function reachableUrls(
  host: string,
  port: number,
  query: string,
  interfaces: Interfaces = os.networkInterfaces(),
): string[] {
  const everyAddress = host === '0.0.0.0' || host === '::' || host === '[::]';
  if (!everyAddress) return [];
  const ipv6Too = host !== '0.0.0.0';
  const urls: string[] = [];
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      if (address.family === 'IPv4') urls.push(`http://${address.address}:${port}/${query}`);
      else if (ipv6Too && !address.address.toLowerCase().startsWith('fe80:'))
        urls.push(`http://[${address.address}]:${port}/${query}`);
    }
  }
  return urls;
}
