/**
 * Atom feeds and e-mail addresses over HTTP.
 *  - JSON under /api/v1: GET/POST/DELETE /feed (the caller's feed address: status, make a new one, revoke),
 *    GET/PUT /account/email (own address), GET/PUT /users/:id/email (admin).
 *  - Outside /api, opened by feed readers with the token in the URL and no login:
 *    GET /feeds/:token/issues.atom and GET /feeds/:token/issues/:id/screen.pdf (Range, ETag like every download).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Services } from '../../workflow/index.ts';
import { feedPath } from '../../publish/feed.ts';
import { sendIssueFile } from './files.ts';
import { pathId } from './params.ts';
import { route, type ApiRoute } from './route.ts';

export function feedApiRoutes(s: Services, opts: { publicBaseUrl?: string }): ApiRoute[] {
  const base = opts.publicBaseUrl?.replace(/\/+$/, '') ?? '';
  return [
    route('get', '/feed', (c) => ({ body: s.feeds.status(c.actor) })),
    route('post', '/feed', (c) => {
      const { token, createdAt } = s.feeds.createToken(c.actor);
      return { status: 201, body: { url: base + feedPath(token), createdAt } };
    }),
    route('delete', '/feed', (c) => ({ body: s.feeds.revoke(c.actor) })),
    route('get', '/account/email', (c) => ({ body: s.emailAddresses.own(c.actor) })),
    route('put', '/account/email', (c) => ({ body: s.emailAddresses.setOwn(c.actor, c.body) })),
    route('get', '/users/:id/email', (c) => ({ body: s.emailAddresses.get(c.actor, pathId(c.params)) })),
    route('put', '/users/:id/email', (c) => ({ body: s.emailAddresses.set(c.actor, pathId(c.params), c.body) })),
  ];
}

const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** Where links in a feed point: the configured public URL, else the host this request came to (if sane). */
export function originOf(req: Request, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  const host = req.get('host');
  return `${req.protocol}://${host && HOST.test(host) ? host : 'localhost'}`;
}

export function feedPublicRouter(s: Services, opts: { publicBaseUrl?: string }): Router {
  const router = express.Router();
  router.get('/feeds/:token/issues.atom', (req: Request, res: Response) => {
    const xml = s.feeds.atom(String(req.params.token), originOf(req, opts.publicBaseUrl));
    // The token is a credential: keep the feed out of shared caches and of referrers.
    res.set({ 'Cache-Control': 'private, no-cache', 'Referrer-Policy': 'no-referrer' }).type('application/atom+xml; charset=utf-8').send(xml);
  });
  router.get('/feeds/:token/issues/:id/screen.pdf', (req: Request, res: Response, next: NextFunction) => {
    // Logged as a download by the feed's owner (the viewer carries the user).
    const { viewer } = s.feeds.resolve(String(req.params.token));
    const sent = s.issueFiles.open(viewer, pathId(req.params as Record<string, string>), 'screen.pdf');
    res.set('Referrer-Policy', 'no-referrer');
    sendIssueFile(req, res, next, s, viewer, sent, null);
  });
  return router;
}
