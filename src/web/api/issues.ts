/** Issues: create, read, change, plan, typeset, sign off, send to print, publish (DESIGN.md JSON API). */
import type { Services } from '../../workflow/index.ts';
import { route, type ApiRoute } from './route.ts';
import { pathId } from './params.ts';

export function issueRoutes(s: Services): ApiRoute[] {
  return [
    route('post', '/issues', (c) => ({ status: 201, body: s.issues.create(c.actor, c.body) })),
    route('get', '/issues', (c) => ({ body: { items: s.issues.list(c.actor) } })),
    route('get', '/issues/:id', (c) => ({ body: s.issues.view(c.actor, pathId(c.params)) })),
    route('patch', '/issues/:id', (c) => ({ body: s.issues.update(c.actor, pathId(c.params), c.body) })),
    route('put', '/issues/:id/distribution', (c) => ({ body: s.issues.setDistribution(c.actor, pathId(c.params), c.body) })),
    route('get', '/issues/:id/renditions', (c) => ({ body: { items: s.issues.renditions(c.actor, pathId(c.params)) } })),
    route('get', '/issues/:id/downloads', (c) => ({ body: { items: s.issues.downloads(c.actor, pathId(c.params)) } })),
    route('put', '/issues/:id/plan', (c) => ({ body: s.issuePlans.put(c.actor, pathId(c.params), c.body) })),
    route('post', '/issues/:id/typeset', (c) => {
      const job = s.typeset.request(c.actor, pathId(c.params), c.body);
      return { status: 202, body: { jobId: job.id, ...job } };
    }),
    route('post', '/issues/:id/sign-off', async (c) => ({ body: await s.signOff.signOff(c.actor, pathId(c.params), c.body) })),
    route('post', '/issues/:id/send-to-print', (c) => ({ body: s.printing.sendToPrint(c.actor, pathId(c.params), c.body) })),
    route('post', '/issues/:id/received', (c) => ({ body: s.printing.confirmReceipt(c.actor, pathId(c.params)) })),
    route('post', '/issues/:id/reissue', (c) => ({ status: 201, body: s.issues.reissue(c.actor, pathId(c.params), c.body) })),
    route('post', '/issues/:id/publish', (c) => ({ body: s.publishing.publish(c.actor, pathId(c.params), c.body) })),
  ];
}
