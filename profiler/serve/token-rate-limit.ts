import net from 'node:net';

/**
 * Slows down token guessing: an address that presents too many wrong tokens in a short time is shut
 * out for a while, and during that time its wrong tokens get 429 without being counted. The right token
 * is let in even then (serve checks it first): on 127.0.0.1 every local process and any web page in the
 * user's browser share one address, and a lockout of the right token would let them lock the user out.
 * A missing token does not count: that is a browser opening the bare URL, not a guess.
 */
export interface TokenRateLimitOptions {
  /** wrong tokens allowed within `windowMs`; the next request is refused */
  maxWrong?: number;
  /** ms */
  windowMs?: number;
  /** ms an address stays shut out */
  blockMs?: number;
  /** addresses remembered at most (memory stays bounded under a flood of addresses) */
  maxAddresses?: number;
  /** ms since the epoch; injectable for tests */
  now?: () => number;
}

export interface TokenRateLimiter {
  /** seconds the address must still wait (rounded up), or 0 when it may present a token */
  retryAfterSeconds(address: string | undefined): number;
  /** count one wrong token from the address; the one that reaches the limit starts the block */
  recordWrong(address: string | undefined): void;
  /** addresses remembered now (for tests of the memory bound) */
  size(): number;
}

export const TOKEN_RATE_LIMIT = { maxWrong: 10, windowMs: 60_000, blockMs: 60_000 } as const;

interface Entry {
  /** ms timestamps of recent wrong tokens, oldest first; at most maxWrong kept */
  wrongAtMs: number[];
  /** ms; 0 when not blocked */
  blockedUntilMs: number;
}

/** The 8 16-bit groups of an IPv6 address, or undefined when `address` is not one. */
function ipv6Groups(address: string): number[] | undefined {
  if (!net.isIPv6(address)) return undefined;
  let text = address.split('%')[0]!; // zone id: fe80::1%eth0
  const ipv4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (ipv4Tail?.[1]) {
    const [a, b, c, d] = ipv4Tail[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -ipv4Tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * Whom a wrong token is counted against. IPv4: the address. IPv6: its /64, since one host usually owns
 * a whole /64 and could otherwise rotate addresses to dodge the limit. IPv4-mapped IPv6 counts as IPv4.
 */
export function rateLimitKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const groups = ipv6Groups(address);
  if (!groups) return address;
  const isV4Mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isV4Mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

export function createTokenRateLimiter(options: TokenRateLimitOptions = {}): TokenRateLimiter {
  const maxWrong = options.maxWrong ?? TOKEN_RATE_LIMIT.maxWrong;
  const windowMs = options.windowMs ?? TOKEN_RATE_LIMIT.windowMs;
  const blockMs = options.blockMs ?? TOKEN_RATE_LIMIT.blockMs;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order = order of last change (entries are re-inserted when touched), so the stalest
  // entries are always at the front: forgetting them is a walk from the start.
  const entries = new Map<string, Entry>();

  const expired = (entry: Entry, nowMs: number): boolean =>
    entry.blockedUntilMs <= nowMs && (entry.wrongAtMs.at(-1) ?? 0) <= nowMs - windowMs;

  function forgetStale(nowMs: number): void {
    for (const [key, entry] of entries) {
      if (entries.size > maxAddresses || expired(entry, nowMs)) entries.delete(key);
      else break;
    }
  }

  return {
    retryAfterSeconds(address) {
      const entry = entries.get(rateLimitKey(address));
      const waitMs = (entry?.blockedUntilMs ?? 0) - now();
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    },

    recordWrong(address) {
      const nowMs = now();
      const key = rateLimitKey(address);
      const entry = entries.get(key) ?? { wrongAtMs: [], blockedUntilMs: 0 };
      entries.delete(key);
      entry.wrongAtMs = [...entry.wrongAtMs.filter((at) => at > nowMs - windowMs), nowMs].slice(-maxWrong);
      if (entry.wrongAtMs.length >= maxWrong) {
        entry.blockedUntilMs = nowMs + blockMs;
        entry.wrongAtMs = [];
      }
      entries.set(key, entry);
      forgetStale(nowMs);
    },

    size: () => entries.size,
  };
}
