/**
 * Single-article preview over the API: POST /articles/:id/preview (`{ issueId? }`: that layout and trim) → 201 the preview (pages, the page the
 * article starts on, file URLs); GET /previews/:id/screen.pdf and /previews/:id/thumbnails/page-001.jpg
 * stream its files to the editor who asked for it (anyone else: 404).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { ArticlePreview } from '../../workflow/article-preview.ts';
import type { Services } from '../../workflow/index.ts';
import { requireAuth } from '../auth-middleware.ts';
import { pathId } from './params.ts';
import { route, type ApiRoute } from './route.ts';

export function previewFileHref(previewId: string, name: string): string {
  return `/api/v1/previews/${encodeURIComponent(previewId)}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** The preview with a URL for each file and thumbnail. */
export function previewBody(p: ArticlePreview): ArticlePreview & { url: string; files: { name: string; bytes: number; url: string }[]; thumbnails: (ArticlePreview['thumbnails'][number] & { url: string })[] } {
  return {
    ...p,
    url: previewFileHref(p.id, 'screen.pdf'),
    files: p.files.map((f) => ({ ...f, url: previewFileHref(p.id, f.name) })),
    thumbnails: p.thumbnails.map((t) => ({ ...t, url: previewFileHref(p.id, t.name) })),
  };
}

export function articlePreviewRoutes(s: Services): ApiRoute[] {
  return [
    route('post', '/articles/:id/preview', async (c) => ({ status: 201, body: previewBody(await s.articlePreview.preview(c.actor, pathId(c.params), c.body)) })),
    route('get', '/previews/:id', (c) => ({ body: previewBody(s.articlePreview.get(c.actor, String(c.params.id))) })),
  ];
}

function sendPreviewFile(s: Services, name: (req: Request) => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const actor = requireAuth(req).actor;
    const file = s.articlePreview.file(actor, String(req.params.id), name(req));
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Cache-Control', 'private, no-store');
    res.sendFile(file.absPath, { dotfiles: 'allow' }, (err?: Error) => {
      if (err && !res.headersSent) next(err);
    });
  };
}

export function articlePreviewRouter(s: Services): Router {
  const router = express.Router();
  router.get('/previews/:id/screen.pdf', sendPreviewFile(s, () => 'screen.pdf'));
  router.get('/previews/:id/thumbnails/:page', sendPreviewFile(s, (req) => `thumbnails/${String(req.params.page)}`));
  return router;
}
