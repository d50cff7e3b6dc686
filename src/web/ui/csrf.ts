/**
 * CSRF protection for every form (synchronizer token). A signed-in browser session carries its own
 * random token (stored with the session); forms shown before sign-in (set-up, login) use a random
 * token kept in an httpOnly "pre-session" cookie, so login CSRF is refused too. Every unsafe request
 * must echo the token in `_csrf` (or the `X-CSRF-Token` header for the small fetch calls of app.js).
 * A cross-site Origin is refused before the token is even looked at (defence in depth).
 */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { ForbiddenError } from '../../domain/errors.ts';
import { cookieOptions, readCookie } from './cookies.ts';

export const PRE_SESSION_COOKIE = 'bantin_pre';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The token forms must carry for a visitor who is not signed in; sets the cookie on first use. */
export function preSessionToken(req: Request, res: Response): string {
  const existing = readCookie(req, PRE_SESSION_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  res.cookie(PRE_SESSION_COOKIE, token, cookieOptions(req, 2 * 60 * 60 * 1000));
  return token;
}

function sameToken(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && crypto.timingSafeEqual(ba, bb);
}

function sentToken(req: Request): string {
  const body: unknown = req.body;
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
  if (typeof fromBody === 'string') return fromBody;
  const header = req.get('x-csrf-token');
  return header ?? '';
}

const refused = () =>
  new ForbiddenError('CSRF token missing or wrong', {
  userMessage: 'Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.',
});

/** Throws ForbiddenError (403) unless the request is same-origin and carries `expected`. */
export function assertCsrf(req: Request, expected: string | undefined): void {
  const origin = req.get('origin');
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw refused();
    }
    if (host !== req.get('host')) throw refused();
  }
  const sent = sentToken(req);
  if (!expected || !sent || !sameToken(sent, expected)) throw refused();
}
