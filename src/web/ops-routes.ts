/**
 * Operations endpoints and request metrics, mounted early in createApp:
 * - every request is counted and timed (Prometheus labels: method, matched route, status — never the raw
 *   URL, which would make one series per article id);
 * - `GET /readyz`: 200 when the database takes a write lock, Chromium can start (found and answers
 *   `--version`, cached: ops/browser-check.ts; Puppeteer is not loaded) and the data dir's disk has room;
 *   503 with the failing check otherwise (for a load balancer or systemd watchdog);
 * - `GET /metrics`: Prometheus text, only from this machine (not through a proxy) or for an admin.
 */
import fs from 'node:fs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ForbiddenError } from '../domain/errors.ts';
import { databaseWritable, readJobStats } from '../store/health.ts';
import { createBrowserCheck, type BrowserCheck } from '../ops/browser-check.ts';
import type { AuthService } from '../workflow/auth.ts';
import { bantinVersion } from '../ops/version.ts';
import { authenticateRequest } from './auth-middleware.ts';

/** Below this much free space on the data dir's disk the app is not ready: renditions would fail. */
export const MIN_FREE_BYTES = 256 * 1024 * 1024;

export interface OpsDeps {
  databaseFile: string;
  dataDir: string;
  chromiumPath?: string;
  /** Shared with the system page (one cached version probe); made from chromiumPath when absent. */
  browser?: BrowserCheck;
  auth: AuthService;
  metrics: OpsMetrics;
  /** Replaceable in tests (a full disk is hard to fake otherwise). */
  freeBytes?: (dir: string) => number;
}

export interface OpsMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  browserLaunches: Counter;
}

/** One registry per app (no global default registry: tests start several apps in one process). */
export function createOpsMetrics(): OpsMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bantin_' });
  new Gauge({ name: 'bantin_info', help: 'bantin version', labelNames: ['version'], registers: [registry] }).set({ version: bantinVersion() }, 1);
  return {
    registry,
    httpRequests: new Counter({ name: 'bantin_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'bantin_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    browserLaunches: new Counter({ name: 'bantin_browser_launches_total', help: 'Chromium launches by the in-process typeset worker (first start, after a timeout, cancel or crash)', registers: [registry] }),
  };
}

export function createOpsRouter(deps: OpsDeps): Router {
  const router = express.Router();
  registerJobGauges(deps);
  router.use(recordRequest(deps.metrics));
  const browser = deps.browser ?? createBrowserCheck({ chromiumPath: deps.chromiumPath });
  // The first probe starts now, so the first /readyz usually finds its answer ready.
  void browser.report();
  router.get('/readyz', (_req: Request, res: Response, next: NextFunction) => {
    readiness(deps, browser)
      .then((report) => res.status(report.ok ? 200 : 503).json(report))
      .catch(next);
  });
  router.get('/metrics', authenticateRequest(deps.auth), (req: Request, res: Response, next: NextFunction) => {
    if (!fromThisMachine(req) && req.auth?.actor.role !== 'admin') return next(new ForbiddenError('metrics are served to this machine or to an admin only'));
    deps.metrics.registry
      .metrics()
      .then((text) => res.type(deps.metrics.registry.contentType).send(text))
      .catch(next);
  });
  return router;
}

interface Check {
  ok: boolean;
  [detail: string]: unknown;
}

async function readiness(deps: OpsDeps, browserCheck: BrowserCheck): Promise<{ ok: boolean; checks: Record<string, Check> }> {
  const database: Check = databaseWritable(deps.databaseFile);
  const browser: Check = await browserCheck.report();
  const free = (deps.freeBytes ?? freeBytesOf)(deps.dataDir);
  const disk: Check = { ok: free >= MIN_FREE_BYTES, freeBytes: free, minFreeBytes: MIN_FREE_BYTES };
  const checks = { database, browser, disk };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

function freeBytesOf(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

function recordRequest(m: OpsMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = m.httpDuration.startTimer();
    // Express sets req.route when a route matches and forgets it again when the handler fails (a 404 for
    // an unknown article would count as "unmatched"); remember the pattern, with its mount path, as it is set.
    let matched: string | undefined;
    let current: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (value: unknown) => {
        current = value;
        const p = (value as { path?: unknown } | undefined)?.path;
        if (typeof p === 'string') matched = `${req.baseUrl}${p}`;
      },
    });
    res.once('finish', () => {
      // The matched route pattern (e.g. /api/v1/articles/:id); requests no route matched share one label.
      const route = matched ?? 'unmatched';
      end({ method: req.method, route });
      m.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** A request from this machine that did not come through a proxy (a proxy adds X-Forwarded-For). */
function fromThisMachine(req: Request): boolean {
  const ip = req.socket.remoteAddress ?? '';
  return (ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1') && !req.headers['x-forwarded-for'] && !req.headers.forwarded;
}

/** Job figures come from the jobs table at scrape time, so they count jobs of separate `bantin worker`s too. */
function registerJobGauges(deps: OpsDeps): void {
  const { registry } = deps.metrics;
  let cached: { at: number; stats: ReturnType<typeof readJobStats> } | undefined;
  const stats = () => {
    // One scrape reads the table once, not once per gauge.
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), stats: readJobStats(deps.databaseFile) };
    return cached.stats;
  };
  new Gauge({
    name: 'bantin_typeset_jobs',
    help: 'Typeset jobs by state (queued = queue length)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = stats();
      for (const state of ['queued', 'running', 'done', 'failed', 'cancelled']) this.set({ state }, s.byState[state] ?? 0);
    },
  });
  new Gauge({ name: 'bantin_typeset_queue_length', help: 'Typeset jobs waiting for a worker', registers: [registry], collect() { this.set(stats().byState.queued ?? 0); } });
  new Gauge({ name: 'bantin_typeset_job_seconds_sum', help: 'Total run time of finished typeset jobs', registers: [registry], collect() { this.set(stats().done.seconds); } });
  new Gauge({ name: 'bantin_typeset_job_seconds_count', help: 'Finished typeset jobs', registers: [registry], collect() { this.set(stats().done.count); } });
  new Gauge({ name: 'bantin_typeset_pages_sum', help: 'Pages typeset by finished jobs', registers: [registry], collect() { this.set(stats().done.pages); } });
  new Gauge({ name: 'bantin_typeset_last_job_seconds', help: 'Run time of the latest finished typeset job', registers: [registry], collect() { this.set(stats().last?.seconds ?? 0); } });
  new Gauge({
    name: 'bantin_typeset_last_job_pages_per_second',
    help: 'Pages per second of the latest finished typeset job',
    registers: [registry],
    collect() {
      const last = stats().last;
      this.set(last && last.seconds > 0 ? last.pages / last.seconds : 0);
    },
  });
}
