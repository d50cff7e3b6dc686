/**
 * `createApp(deps)`: the Express app. Order: request ids + logging → security headers → who is asking →
 * `/healthz` → `/api/v1` (JSON, its own 404 and error envelope) → the Vietnamese screens (web-ui) → 404.
 */
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Services } from '../workflow/index.ts';
import { authenticateRequest } from './auth-middleware.ts';
import { requestLogging } from './request-log.ts';
import { apiErrorHandler, apiNotFound } from './errors.ts';
import { createApiRouter } from './api/index.ts';
import { createMediaRouter } from './api/media-routes.ts';
import type { ApiRoute } from './api/route.ts';
import './request-context.ts';

export interface AppDeps {
  config: Config;
  services: Services;
  logger: Logger;
  /** Route tables of later features (issues, jobs, publishing) mounted under /api/v1. */
  extraApiRoutes?: ApiRoute[];
  /** Streaming API routes (files, SSE) mounted under /api/v1 before the routes table, behind the same auth. */
  extraApiRouters?: RequestHandler[];
  /** Routes outside /api that need no login (download links), mounted before the screens. */
  publicRouters?: RequestHandler[];
  /** The Vietnamese screens (web-ui's createUiRouter), built by the composition root and mounted at `/`. */
  ui?: RequestHandler;
  /** Request metrics, /readyz and /metrics (src/web/ops-routes.ts), mounted before every route. */
  ops?: RequestHandler;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.config.trustProxy) app.set('trust proxy', 1);

  // A weak ETag means hashing every JSON body and page (sha1 of ~25 KB for a page of 50 articles) for
  // private, per-user answers that are rarely asked again unchanged; files and pictures set their own
  // strong ETag from the stored sha256.
  app.set('etag', false);
  app.use(requestLogging(app, deps.logger));
  // Offices often serve the app over plain HTTP on the LAN: HSTS and upgrade-insecure-requests would make
  // browsers ask for https:// and break every page, so they are on only behind a TLS proxy.
  const tls = deps.config.trustProxy;
  app.use(
    helmet({
      strictTransportSecurity: tls,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: tls ? [] : null } },
    }),
  );
  // Only the API authenticates here: its cookie requests must carry X-CSRF-Token. The screens resolve the
  // same session themselves and check the `_csrf` form field (HTML forms cannot send headers).
  if (deps.ops) app.use(deps.ops);
  app.use('/api', authenticateRequest(deps.services.auth));

  app.get('/healthz', (_req: Request, res: Response) => {
    res.json({ ok: true });
  });

  const api = express.Router();
  for (const r of deps.extraApiRouters ?? []) api.use(r);
  api.use(createApiRouter({ services: deps.services, jsonLimitBytes: deps.config.jsonLimitBytes, uploadLimitBytes: deps.config.uploadLimitBytes, extraRoutes: deps.extraApiRoutes }));
  api.use(apiNotFound);
  api.use(apiErrorHandler(deps.logger));
  app.use('/api/v1', api);
  app.use('/api', apiNotFound);

  // Article pictures (/media/<sha256>.jpg): signed in, visible like the articles that use them.
  app.use(createMediaRouter(deps.services));
  for (const r of deps.publicRouters ?? []) app.use(r);
  if (deps.ui) app.use(deps.ui);
  app.use(apiNotFound);
  app.use(apiErrorHandler(deps.logger));
  return app;
}
