/**
 * Resolves `Authorization: Bearer <token>` or the browser session cookie to `req.auth`. Requests
 * authenticated by cookie must also carry the session's CSRF token in `X-CSRF-Token` for unsafe methods,
 * so another site cannot drive the API with a visitor's cookie.
 */
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, NotAuthenticatedError } from '../domain/errors.ts';
import type { AuthService } from '../workflow/auth.ts';
import type { RequestAuth } from './request-context.ts';
import { readCookie, SESSION_COOKIE } from './ui/cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticateRequest(auth: AuthService) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const bearer = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (header && !bearer) return next(new NotAuthenticatedError('Authorization header must be "Bearer <token>"'));
    if (bearer) {
      const found = auth.authenticate(bearer);
      if (!found) return next(new NotAuthenticatedError('token is invalid or expired'));
      req.auth = { actor: found.actor, token: bearer, via: 'bearer', csrfToken: found.csrfToken };
      return next();
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    const found = cookie ? auth.authenticate(cookie) : null;
    if (cookie && found) {
      if (!SAFE_METHODS.has(req.method) && req.get('x-csrf-token') !== found.csrfToken) {
        return next(new ForbiddenError('missing or wrong X-CSRF-Token for a cookie-authenticated request'));
      }
      req.auth = { actor: found.actor, token: cookie, via: 'cookie', csrfToken: found.csrfToken };
    }
    next();
  };
}

export function requireAuth(req: Request): RequestAuth {
  if (!req.auth) throw new NotAuthenticatedError('not logged in: send Authorization: Bearer <token> from POST /api/v1/auth/login');
  return req.auth;
}
