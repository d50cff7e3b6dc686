/**
 * Portal channels: settings (admin; secrets are accepted but never returned — `hasSecret`), delivery
 * status per issue and retry (editors). Deliveries run in the background: retry answers 202.
 */
import type { Services } from '../../workflow/index.ts';
import { route, type ApiRoute } from './route.ts';
import { pathId } from './params.ts';

export function channelRoutes(s: Services): ApiRoute[] {
  return [
    route('get', '/channels', (c) => ({ body: { items: s.channels.listSettings(c.actor) } })),
    route('put', '/channels/:kind', (c) => ({ body: s.channels.saveSettings(c.actor, c.params.kind ?? '', c.body) })),
    route('get', '/issues/:id/channels', (c) => ({ body: s.channels.status(c.actor, pathId(c.params)) })),
    route('post', '/issues/:id/channels/:kind/retry', (c) => ({ status: 202, body: s.channels.retry(c.actor, pathId(c.params), c.params.kind ?? '') })),
  ];
}
