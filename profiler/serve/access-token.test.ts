import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { checkToken, newAccessToken, sameToken } from './access-token';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

describe('access token comparison', () => {
  const token = newAccessToken();

  it('accepts the token and refuses near misses: a prefix, one more character, one changed character', () => {
    expect(checkToken(token, token)).toBe('ok');
    expect(checkToken(token.slice(0, -1), token)).toBe('wrong');
    expect(checkToken(`${token}x`, token)).toBe('wrong');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(checkToken(`${token.slice(0, -1)}${last}`, token)).toBe('wrong');
    expect(checkToken('ü'.repeat(32), token)).toBe('wrong');
    expect(checkToken(undefined, token)).toBe('missing');
    expect(checkToken('', token)).toBe('missing');
  });

  it('compares in constant time even when the lengths differ (no early length check leaks the length)', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    expect(sameToken('short', token)).toBe(false);
    expect(sameToken('x'.repeat(5000), token)).toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [a, b] of compare.mock.calls) {
      // both sides are SHA-256 digests: always 32 bytes, whatever was presented
      expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
    }
  });
});
