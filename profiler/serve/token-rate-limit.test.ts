import { describe, expect, it } from 'vitest';
import { createTokenRateLimiter, rateLimitKey, TOKEN_RATE_LIMIT } from './token-rate-limit';

function fakeClock(startMs = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms) => (nowMs += ms) };
}

describe('wrong-token rate limit', () => {
  it('shuts an address out for 60 s once it has presented 10 wrong tokens within 60 s', () => {
    expect(TOKEN_RATE_LIMIT).toEqual({ maxWrong: 10, windowMs: 60_000, blockMs: 60_000 });
    const clock = fakeClock();
    const limiter = createTokenRateLimiter({ now: clock.now });
    for (let i = 0; i < 9; i += 1) {
      limiter.recordWrong('203.0.113.7');
      clock.advance(1_000);
    }
    expect(limiter.retryAfterSeconds('203.0.113.7')).toBe(0);
    limiter.recordWrong('203.0.113.7');
    expect(limiter.retryAfterSeconds('203.0.113.7')).toBe(60);
    expect(limiter.retryAfterSeconds('203.0.113.8')).toBe(0); // other addresses are not affected
    clock.advance(59_500);
    expect(limiter.retryAfterSeconds('203.0.113.7')).toBe(1); // rounded up
    clock.advance(500);
    expect(limiter.retryAfterSeconds('203.0.113.7')).toBe(0);
  });

  it('forgets wrong tokens older than the window: slow mistakes never block', () => {
    const clock = fakeClock();
    const limiter = createTokenRateLimiter({ now: clock.now });
    for (let i = 0; i < 50; i += 1) {
      limiter.recordWrong('198.51.100.1');
      clock.advance(7_000); // about 8 per minute
    }
    expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(0);
  });

  it('starts counting afresh after a block', () => {
    const clock = fakeClock();
    const limiter = createTokenRateLimiter({ maxWrong: 3, now: clock.now });
    for (let i = 0; i < 3; i += 1) limiter.recordWrong('192.0.2.1');
    clock.advance(60_000);
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
    limiter.recordWrong('192.0.2.1');
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
  });

  it('keeps memory bounded: stale addresses are forgotten, and at most maxAddresses are kept', () => {
    const clock = fakeClock();
    const limiter = createTokenRateLimiter({ maxAddresses: 100, now: clock.now });
    for (let i = 0; i < 50; i += 1) limiter.recordWrong(`10.0.0.${i}`);
    expect(limiter.size()).toBe(50);
    clock.advance(61_000);
    limiter.recordWrong('10.0.1.1');
    expect(limiter.size()).toBe(1);
    for (let i = 0; i < 1000; i += 1) limiter.recordWrong(`10.1.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBe(100);
  });

  it('keeps an address that is still blocked when its wrong tokens are old', () => {
    const clock = fakeClock();
    const limiter = createTokenRateLimiter({
      maxWrong: 2,
      windowMs: 10_000,
      blockMs: 60_000,
      now: clock.now,
    });
    limiter.recordWrong('192.0.2.9');
    limiter.recordWrong('192.0.2.9');
    clock.advance(30_000);
    limiter.recordWrong('192.0.2.10'); // triggers forgetting of stale entries
    expect(limiter.retryAfterSeconds('192.0.2.9')).toBe(30);
  });
});

describe('whom a wrong token counts against', () => {
  it('is the IPv4 address, also when it arrives IPv4-mapped', () => {
    expect(rateLimitKey('127.0.0.1')).toBe('127.0.0.1');
    expect(rateLimitKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(rateLimitKey(undefined)).toBe('unknown');
  });

  it("is an IPv6 address's /64, so rotating addresses within it does not dodge the limit", () => {
    expect(rateLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    const clock = fakeClock();
    const limiter = createTokenRateLimiter({ maxWrong: 2, now: clock.now });
    limiter.recordWrong('2001:db8:1:2::a');
    limiter.recordWrong('2001:db8:1:2::b');
    expect(limiter.retryAfterSeconds('2001:db8:1:2::c')).toBe(60);
    expect(limiter.retryAfterSeconds('2001:db8:1:3::a')).toBe(0);
  });
});
