/**
 * Download links: POST → 201 `{id, url}` where `url` is absolute when a public base URL is configured,
 * otherwise a path; DELETE revokes. The link itself is served by public-links.ts.
 */
import type { Services } from '../../workflow/index.ts';
import { route, type ApiRoute } from './route.ts';
import { pathId } from './params.ts';

export function linkPath(token: string): string {
  return `/d/${token}`;
}

export function downloadLinkRoutes(s: Services, opts: { publicBaseUrl?: string }): ApiRoute[] {
  const base = opts.publicBaseUrl?.replace(/\/+$/, '') ?? '';
  return [
    route('post', '/download-links', (c) => {
      const link = s.downloadLinks.create(c.actor, c.body);
      return { status: 201, body: { id: link.id, url: base + linkPath(link.token), unitId: link.unitId, expiresAt: link.expiresAt } };
    }),
    route('get', '/download-links', (c) => ({ body: { items: s.downloadLinks.list(c.actor) } })),
    route('delete', '/download-links/:id', (c) => ({ body: s.downloadLinks.revoke(c.actor, pathId(c.params)) })),
  ];
}
