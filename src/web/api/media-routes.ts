/**
 * Pictures over HTTP. `POST /api/v1/pictures` (multipart `file`) stores one photo and answers its URL;
 * `GET /media/<sha256>.jpg|png` serves it to whoever may read an article using it (or who uploaded it),
 * signed in by the browser session cookie or a Bearer token. A picture's bytes never change under its
 * name, so the browser may keep it (ETag = the sha256, immutable); `private` keeps shared proxies from
 * handing one person's picture to another.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Services } from '../../workflow/index.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { MEDIA_PATH } from '../../domain/picture.ts';
import { authenticateRequest, requireAuth } from '../auth-middleware.ts';
import { route, type ApiRoute } from './route.ts';

export function pictureRoutes(s: Services): ApiRoute[] {
  return [route('post', '/pictures', async (c) => ({ status: 201, body: await s.pictures.upload(c.actor, c.file) }), { upload: true })];
}

export function createMediaRouter(services: Pick<Services, 'auth' | 'pictures'>): Router {
  const router = express.Router();
  router.use(MEDIA_PATH, authenticateRequest(services.auth));
  const serve = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const { picture, file } = services.pictures.open(requireAuth(req).actor, String(req.params.name));
      const etag = `"${picture.sha256}"`;
      res.set({ 'Content-Type': picture.mime, ETag: etag, 'Cache-Control': 'private, max-age=31536000, immutable' });
      if (matchesEtag(req.get('if-none-match'), etag)) {
        res.status(304).end();
        return;
      }
      let stream: fs.ReadStream;
      try {
        stream = await openStream(file);
      } catch (err) {
        // Recorded but its file is gone (a restore without the media dir?): say so in the log, answer 404.
        req.log.error({ err, picture: picture.sha256 }, 'picture file missing from the data dir');
        throw new NotFoundError(`picture ${picture.sha256} has no file`, { cause: err });
      }
      res.set('Content-Length', String(picture.bytes));
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
        return;
      }
      await pipeline(stream, res);
    } catch (err) {
      if (res.headersSent) res.destroy(err instanceof Error ? err : undefined);
      else next(err);
    }
  };
  router.get(`${MEDIA_PATH}/:name`, serve); // Express answers HEAD with the GET route
  return router;
}

/** If-None-Match holds `*` or a list of (possibly weak) tags; the picture's tag never changes. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

function openStream(file: string): Promise<fs.ReadStream> {
  return new Promise((resolve, reject) => {
    const stream = fs.createReadStream(file);
    stream.once('open', () => resolve(stream));
    stream.once('error', reject);
  });
}
