/**
 * Typeset jobs: GET /jobs/:id, POST /jobs/:id/cancel, and GET /jobs/:id/events — Server-Sent Events that
 * push the job's progress until it ends (the editor's screen follows a render live).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../../workflow/index.ts';
import type { JobView } from '../../workflow/typeset-job.ts';
import { requireAuth } from '../auth-middleware.ts';
import { route, type ApiRoute } from './route.ts';
import { pathId } from './params.ts';

export function jobRoutes(s: Services): ApiRoute[] {
  return [
    route('get', '/jobs/:id', (c) => ({ body: s.typeset.get(c.actor, pathId(c.params)) })),
    route('post', '/jobs/:id/cancel', (c) => ({ body: s.typeset.cancel(c.actor, pathId(c.params)) })),
  ];
}

const TERMINAL = new Set<JobView['state']>(['done', 'failed', 'cancelled']);

export function jobEventsRouter(s: Services, opts: { pollMs?: number } = {}): Router {
  const router = express.Router();
  router.get('/jobs/:id/events', (req: Request, res: Response) => {
    const actor = requireAuth(req).actor;
    const id = pathId(req.params as Record<string, string>);
    // Permission and existence are checked before the stream opens, so refusals are ordinary 403/404 JSON.
    let last = s.typeset.get(actor, id);
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    const send = (event: string, job: JobView) => res.write(`event: ${event}\ndata: ${JSON.stringify(job)}\n\n`);
    send('progress', last);
    if (TERMINAL.has(last.state)) {
      send('end', last);
      res.end();
      return;
    }
    const timer = setInterval(() => {
      let job: JobView;
      try {
        job = s.typeset.get(actor, id);
      } catch (err) {
        // Shutting down (store closed) or the job vanished: end the stream rather than crash the process.
        req.log.warn({ err, jobId: id }, 'job event stream ended early');
        clearInterval(timer);
        res.end();
        return;
      }
      if (job.state !== last.state || job.progress !== last.progress || job.stage !== last.stage) send('progress', job);
      else res.write(': keep-alive\n\n');
      last = job;
      if (TERMINAL.has(job.state)) {
        send('end', job);
        clearInterval(timer);
        res.end();
      }
    }, opts.pollMs ?? 500);
    req.on('close', () => clearInterval(timer));
  });
  return router;
}
