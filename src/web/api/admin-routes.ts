/** Units, users, sections and the bulletin profile. */
import { z } from 'zod';
import type { Services } from '../../workflow/index.ts';
import { ROLES } from '../../domain/roles.ts';
import { idSchema, parseBody } from '../../domain/api-schemas.ts';
import { route, type ApiRoute } from './route.ts';
import { pathId } from './params.ts';

const UserListQuery = z.object({ role: z.enum(ROLES).optional(), unitId: idSchema.optional() });

export function adminRoutes(s: Services): ApiRoute[] {
  return [
    route('post', '/units', (c) => {
      const unit = s.units.create(c.actor, c.body);
      return { status: 201, body: { ...unit } };
    }),
    route('get', '/units', (c) => ({ body: { items: s.units.list(c.actor) } })),
    route('get', '/units/:id', (c) => ({ body: s.units.get(c.actor, pathId(c.params)) })),
    route('patch', '/units/:id', (c) => ({ body: s.units.update(c.actor, pathId(c.params), c.body) })),
    route('post', '/units/:id/merge', (c) => ({ body: s.units.merge(c.actor, pathId(c.params), c.body) })),

    route('post', '/users', async (c) => {
      const user = await s.users.create(c.actor, c.body);
      return { status: 201, body: { ...user } };
    }),
    route('get', '/users', (c) => ({ body: { items: s.users.list(c.actor, parseBody(UserListQuery, c.query, 'query')) } })),
    route('get', '/users/:id', (c) => ({ body: s.users.get(c.actor, pathId(c.params)) })),
    route('patch', '/users/:id', async (c) => ({ body: await s.users.update(c.actor, pathId(c.params), c.body) })),
    route('get', '/editors', (c) => ({ body: { items: s.users.listEditors(c.actor) } })),

    route('post', '/sections', (c) => ({ status: 201, body: { ...s.sections.create(c.actor, c.body) } })),
    route('get', '/sections', (c) => ({ body: { items: s.sections.list(c.actor) } })),
    route('patch', '/sections/:id', (c) => ({ body: s.sections.update(c.actor, pathId(c.params), c.body) })),

    route('put', '/bulletin', (c) => ({ body: s.bulletin.put(c.actor, c.body) })),
    route('get', '/bulletin', (c) => ({ body: s.bulletin.get(c.actor) })),

    route('get', '/audit', (c) => ({ body: { items: s.inbox.auditLog(c.actor, c.query) } })),
  ];
}
