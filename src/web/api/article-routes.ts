/** Articles and the work around them (comments, revisions, locks, assignment), plus notifications. */
import { z } from 'zod';
import type { Services } from '../../workflow/index.ts';
import { idSchema, parseBody } from '../../domain/api-schemas.ts';
import { route, type ApiRoute } from './route.ts';
import { pathId } from './params.ts';

const CompareQuery = z.object({ from: idSchema, to: idSchema });
const NotificationQuery = z.object({ unread: z.enum(['1', 'true', '0', 'false']).optional() });

export function articleRoutes(s: Services): ApiRoute[] {
  return [
    route('post', '/articles', async (c) => ({ status: 201, body: await s.articles.submit(c.actor, c.body, c.file) }), { upload: true }),
    route('get', '/articles', (c) => ({ body: s.articles.list(c.actor, c.query) })),
    route('get', '/articles/:id', (c) => ({ body: s.articles.get(c.actor, pathId(c.params)) })),
    route('patch', '/articles/:id', async (c) => ({ body: await s.articles.update(c.actor, pathId(c.params), c.body) })),
    route('post', '/articles/:id/transition', (c) => ({ body: s.articles.transition(c.actor, pathId(c.params), c.body) })),
    route('post', '/articles/:id/assign', (c) => ({ body: s.articles.assign(c.actor, pathId(c.params), c.body) })),

    route('get', '/articles/:id/comments', (c) => ({ body: { items: s.collab.comments(c.actor, pathId(c.params)) } })),
    route('post', '/articles/:id/comments', (c) => ({ status: 201, body: s.collab.addComment(c.actor, pathId(c.params), c.body) })),
    route('get', '/articles/:id/revisions', (c) => ({ body: { items: s.collab.revisions(c.actor, pathId(c.params)) } })),
    route('get', '/articles/:id/revisions/:rev', (c) => ({ body: s.collab.revision(c.actor, pathId(c.params), pathId(c.params, 'rev')) })),
    route('get', '/articles/:id/compare', (c) => {
      const q = parseBody(CompareQuery, c.query, 'query');
      return { body: s.collab.compare(c.actor, pathId(c.params), q.from, q.to) };
    }),
    route('get', '/articles/:id/lock', (c) => ({ body: { lock: s.collab.lock(c.actor, pathId(c.params)) } })),
    route('post', '/articles/:id/lock', (c) => ({ body: { lock: s.collab.acquire(c.actor, pathId(c.params), c.body) } })),
    route('delete', '/articles/:id/lock', (c) => {
      s.collab.release(c.actor, pathId(c.params));
      return { body: { ok: true } };
    }),

    route('get', '/dashboard/units-this-month', (c) => ({ body: { items: s.articles.unitsThisMonth(c.actor) } })),
    route('get', '/notifications', (c) => {
      const q = parseBody(NotificationQuery, c.query, 'query');
      return { body: s.inbox.notifications(c.actor, q.unread === '1' || q.unread === 'true') };
    }),
    route('post', '/notifications/read', (c) => ({ body: { marked: s.inbox.markRead(c.actor, c.body) } })),
  ];
}
