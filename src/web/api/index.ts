/**
 * The `/api/v1` router built from one routes table. Per route, in this order: who is asking (401),
 * body type (415) and size (413, by the JSON / multipart parsers), then the handler, whose workflow call
 * checks role (403) → existence (404) → state (422) → version (409). Issues, jobs and publishing
 * (#6/#7) add their tables to `apiRoutes`.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import multer from 'multer';
import type { Services } from '../../workflow/index.ts';
import { UnsupportedTypeError } from '../../domain/errors.ts';
import { requireAuth } from '../auth-middleware.ts';
import type { ApiContext, ApiRoute, PublicContext } from './route.ts';
import { authRoutes } from './auth-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { articleRoutes } from './article-routes.ts';
import { channelRoutes } from './channels.ts';
import { pictureRoutes } from './media-routes.ts';

export interface ApiDeps {
  services: Services;
  jsonLimitBytes: number;
  uploadLimitBytes: number;
  /** Extra route tables from later features. */
  extraRoutes?: ApiRoute[];
}

export function apiRoutes(s: Services): ApiRoute[] {
  return [...authRoutes(s), ...adminRoutes(s), ...articleRoutes(s), ...pictureRoutes(s), ...channelRoutes(s)];
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** Unsafe methods with a body must send JSON (or multipart where a file is accepted): 415 otherwise. */
function requireBodyType(upload: boolean) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    if (req.is('application/json') || req.is('application/*+json')) return next();
    if (upload && req.is('multipart/form-data')) return next();
    next(new UnsupportedTypeError(`Content-Type ${req.get('content-type') ?? '(none)'} is not accepted here; send application/json${upload ? ' or multipart/form-data' : ''}`));
  };
}

/** Refuses anonymous callers before any body is read (no 50 MB upload from someone not logged in). */
function signedIn(req: Request, _res: Response, next: NextFunction): void {
  requireAuth(req);
  next();
}

export function createApiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  const json = express.json({ limit: deps.jsonLimitBytes, type: ['application/json', 'application/*+json'] });
  const multipart = multer({ storage: multer.memoryStorage(), limits: { fileSize: deps.uploadLimitBytes, files: 1, fields: 50, fieldSize: deps.jsonLimitBytes } }).single('file');

  for (const r of [...apiRoutes(deps.services), ...(deps.extraRoutes ?? [])]) {
    const parse = r.method === 'get' || r.method === 'delete' ? [] : [requireBodyType(r.upload === true), json, ...(r.upload ? [multipart] : [])];
    router[r.method](r.path, ...(r.public ? [] : [signedIn]), ...parse, async (req: Request, res: Response) => {
      const base = {
        body: req.body as unknown,
        query: req.query as Record<string, unknown>,
        params: req.params as Record<string, string>,
        meta: { ip: req.ip ?? null },
        file: req.file ? { originalName: req.file.originalname, buffer: req.file.buffer } : undefined,
      };
      let reply;
      if (r.public) {
        const ctx: PublicContext = { ...base, actor: req.auth?.actor ?? null };
        reply = await r.handler(ctx);
      } else {
        const auth = requireAuth(req);
        const ctx: ApiContext = { ...base, actor: auth.actor, token: auth.token };
        reply = await r.handler(ctx);
      }
      res.status(reply.status ?? 200);
      if (reply.body === undefined) res.end();
      else res.json(reply.body);
    });
  }
  return router;
}
