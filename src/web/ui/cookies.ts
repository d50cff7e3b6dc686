/**
 * The UI's cookies: reading the Cookie header (Express 5 does not parse it without cookie-parser) and the
 * attributes every cookie we set shares: httpOnly, SameSite=Lax, path /, Secure when served over TLS
 * (directly, or behind a proxy the config trusts).
 */
import type { CookieOptions, Request } from 'express';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      // A malformed %-sequence is not our cookie's value (we only write base64url): treat it as absent.
      return undefined;
    }
  }
  return undefined;
}

export function cookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure, ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }) };
}

/** The signed-in browser session (token from AuthService.login, kind 'browser'). */
export const SESSION_COOKIE = 'bantin_session';
