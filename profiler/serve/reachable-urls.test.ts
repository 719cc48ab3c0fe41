import { describe, expect, it } from 'vitest';
import { reachableUrls } from './reachable-urls';

const interfaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  eth0: [
    { address: '192.168.1.40', family: 'IPv4', internal: false },
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '2001:db8::40', family: 'IPv6', internal: false },
  ],
} as unknown as Parameters<typeof reachableUrls>[3];

describe('reachable URLs of serve', () => {
  it("lists this machine's network addresses when serve binds every IPv4 address", () => {
    expect(reachableUrls('0.0.0.0', 7420, '?token=t', interfaces)).toEqual([
      'http://192.168.1.40:7420/?token=t',
    ]);
  });

  it('adds global IPv6 addresses (not link-local) for ::', () => {
    expect(reachableUrls('::', 7420, '?token=t', interfaces)).toEqual([
      'http://192.168.1.40:7420/?token=t',
      'http://[2001:db8::40]:7420/?token=t',
    ]);
  });

  it('says nothing more for a bind to one address', () => {
    expect(reachableUrls('192.168.1.40', 7420, '?token=t', interfaces)).toEqual([]);
    expect(reachableUrls('127.0.0.1', 7420, '?token=t', interfaces)).toEqual([]);
  });
});
