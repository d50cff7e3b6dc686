/** GET /published: the published issues the caller's unit (or print shop, or office) may read. */
import type { Services } from '../../workflow/index.ts';
import { route, type ApiRoute } from './route.ts';

export function publishedRoutes(s: Services): ApiRoute[] {
  return [route('get', '/published', (c) => ({ body: { items: s.publishing.listPublished(c.actor) } }))];
}
