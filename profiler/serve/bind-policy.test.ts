import { describe, expect, it } from 'vitest';
import { assertBindAllowed, hostHeaderAllowed, isLoopbackHost } from './bind-policy';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '128.0.0.1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('assertBindAllowed', () => {
  it('allows loopback without a flag', () => {
    expect(() => assertBindAllowed('127.0.0.1', false)).not.toThrow();
  });
  it('refuses a network-facing bind without --allow-remote, naming the flag', () => {
    expect(() => assertBindAllowed('0.0.0.0', false)).toThrow(
      /Refusing to serve on 0\.0\.0\.0.*--allow-remote/,
    );
  });
  it('allows it with the flag', () => {
    expect(() => assertBindAllowed('0.0.0.0', true)).not.toThrow();
  });
});

describe('hostHeaderAllowed (DNS rebinding guard)', () => {
  it('accepts loopback names with a port', () => {
    expect(hostHeaderAllowed('127.0.0.1:7420', '127.0.0.1')).toBe(true);
    expect(hostHeaderAllowed('localhost:7420', '127.0.0.1')).toBe(true);
    expect(hostHeaderAllowed('[::1]:7420', '::1')).toBe(true);
  });
  it('refuses a foreign name on a loopback bind, and a missing header', () => {
    expect(hostHeaderAllowed('evil.example:7420', '127.0.0.1')).toBe(false);
    expect(hostHeaderAllowed(undefined, '127.0.0.1')).toBe(false);
  });
  it('does not second-guess a deliberate remote bind', () => {
    expect(hostHeaderAllowed('board.local:7420', '0.0.0.0')).toBe(true);
  });
});
