import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PARAM } from '../api';

/** 192 random bits, URL-safe: printed once in the serve URL, like Jupyter's. */
export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The cookie is per port: browsers share cookies across ports of one host. */
export function tokenCookieName(port: number): string {
  return `ew_${TOKEN_PARAM}_${port}`;
}

export type TokenCheck = 'missing' | 'wrong' | 'ok';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Constant time, length included: both sides are hashed to 32 bytes first, so neither an early length
 * check nor the comparison itself tells a guesser how long the token is or how much of it was right.
 */
export function sameToken(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token a request presents: `?token=`, then `Authorization: Bearer`, then the cookie. */
export function presentedToken(req: IncomingMessage, url: URL, port: number): string | undefined {
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return cookieValue(req.headers.cookie, tokenCookieName(port));
}

export function checkToken(given: string | undefined, expected: string): TokenCheck {
  if (!given) return 'missing';
  return sameToken(given, expected) ? 'ok' : 'wrong';
}
