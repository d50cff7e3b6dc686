import type { Services } from '../../workflow/index.ts';
import { publicRoute, route, type ApiRoute } from './route.ts';
import { can, PERMISSIONS, type Action } from '../../domain/roles.ts';

export function authRoutes(s: Services): ApiRoute[] {
  return [
    publicRoute('get', '/setup', () => ({ body: { needsSetup: s.auth.needsSetup() } })),
    publicRoute('post', '/setup', async (c) => {
      const user = await s.auth.setup(c.body, c.meta);
      return { status: 201, body: { id: user.id, user } };
    }),
    publicRoute('post', '/auth/login', async (c) => {
      const r = await s.auth.login(c.body, c.meta, 'api');
      return { body: { token: r.token, expiresAt: r.expiresAt, user: r.user } };
    }),
    route('post', '/auth/logout', (c) => {
      s.auth.logout(c.token, c.actor, c.meta);
      return { body: { ok: true } };
    }),
    route('post', '/auth/logout-all', (c) => ({ body: { ok: true, sessions: s.auth.logoutEverywhere(c.actor, c.meta) } })),
    route('get', '/me', (c) => ({
      body: { ...c.actor, permissions: (Object.keys(PERMISSIONS) as Action[]).filter((a) => can(c.actor.role, a)) },
    })),
    route('post', '/me/password', async (c) => {
      await s.auth.changeOwnPassword(c.actor, c.body, c.meta);
      return { body: { ok: true } };
    }),
  ];
}
