/**
 * Issue files straight from disk: GET /issues/:id/files/:name (Range, ETag = sha256, Last-Modified, 304,
 * 416; streamed by `send`, never read whole into memory), and GET /issues/:id/export (the issue in the
 * file format, as a zip). Every answered download is logged.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { IssueFileService, type FileToSend } from '../../workflow/issue-files.ts';
import { viewerOf, type Viewer } from '../../workflow/issue-access.ts';
import { isThumbnailName } from '../../workflow/issue-thumbnails.ts';
import { isOnlineName, ONLINE_CSP, ONLINE_INDEX } from '../../workflow/issue-online.ts';
import type { Services } from '../../workflow/index.ts';
import { requireAuth } from '../auth-middleware.ts';
import { pathId } from './params.ts';

/** RFC 6266 / RFC 5987: an ASCII fallback plus the exact Vietnamese name in UTF-8. */
export function contentDisposition(name: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${kind}; filename="${IssueFileService.asciiName(name)}"; filename*=UTF-8''${encoded}`;
}

interface HttpError {
  status?: number;
  headers?: Record<string, string>;
}

/** Streams one rendition file with conditional and range handling, then logs the download. */
export function sendIssueFile(req: Request, res: Response, next: NextFunction, s: Services, viewer: Viewer, sent: FileToSend, linkId: number | null): void {
  res.setHeader('Content-Type', sent.contentType);
  // The sha256 is the identity of a signed file: a strong validator that never changes for that rendition.
  res.setHeader('ETag', `"${sent.file.sha256}"`);
  res.setHeader('Last-Modified', new Date(sent.rendition.createdAt).toUTCString());
  const online = isOnlineName(sent.file.name);
  res.setHeader('Content-Disposition', contentDisposition(sent.downloadName, req.query.inline === '1' || online ? 'inline' : 'attachment'));
  res.setHeader('Cache-Control', 'private, no-cache');
  // The online edition is a page the browser renders from signed content: nothing in it may run or load from elsewhere.
  if (online) res.setHeader('Content-Security-Policy', ONLINE_CSP);
  if (notModified(req, `"${sent.file.sha256}"`, new Date(sent.rendition.createdAt))) {
    res.status(304).end();
    return;
  }
  res.on('finish', () => {
    // HEAD (a download manager probing the size) and 304s deliver no file: not a download.
    if (req.method !== 'GET' || (res.statusCode !== 200 && res.statusCode !== 206)) return;
    // A page grid fetches dozens of thumbnails per view: they are not downloads of the issue. Reading the
    // online edition is not a download either (the reports count downloads of the files).
    if (isThumbnailName(sent.file.name) || online) return;
    // The issue screen shows editors the PDF inline while they compose: looking at their own work is not
    // a download (the reports count readers); an office download as a file (attachment) still is.
    if (viewer.kind === 'office' && req.query.inline === '1') return;
    try {
      s.issueFiles.logDownload(viewer, sent, res.statusCode, Number(res.getHeader('Content-Length') ?? 0), linkId);
    } catch (err) {
      // The file has already been delivered; a failed log line must not take the server down.
      req.log.error({ err, issueId: sent.issue.id, file: sent.file.name }, 'could not log a download');
    }
  });
  res.sendFile(sent.absPath, { lastModified: false, etag: false, acceptRanges: true, cacheControl: false, dotfiles: 'allow' }, (err?: Error & HttpError) => {
    if (!err || res.headersSent) return;
    if (err.status === 416) {
      res.status(416).set(err.headers ?? {}).json({ error: { code: 'range_not_satisfiable', message: `requested range is outside the file (${sent.file.bytes} bytes)` } });
      return;
    }
    next(err);
  });
}

/**
 * A rendition file's route: the file at the top of the rendition (`print.pdf`) or in one of its folders, by
 * the name the rendition lists (`thumbnails/page-001.jpg`, `online/images/img-001.jpg`), so the online
 * page's relative links to its stylesheet, pictures and `../screen.pdf` resolve. IssueFileService.open
 * accepts only the names the engine writes.
 */
export const FILE_ROUTE = '/files/*file';

/** The rendition file a request on FILE_ROUTE names (Express gives the wildcard as decoded segments). */
export function requestedFile(req: Request): string {
  const file: unknown = (req.params as Record<string, unknown>).file;
  return Array.isArray(file) ? file.join('/') : String(file);
}

/** Where the online edition of an issue opens for a signed-in viewer. */
export function onlineHref(issueId: number): string {
  return `/api/v1/issues/${issueId}/files/${ONLINE_INDEX}`;
}

/**
 * Conditional GET decided here rather than by `send`: `send` (via `fresh`) never answers 304 when the
 * request says `Cache-Control: no-cache`, which fetch() adds to every request with If-None-Match — yet
 * the client asked to revalidate, and 304 is the correct answer to that.
 */
export function notModified(req: Request, etag: string, lastModified: Date): boolean {
  const inm = req.get('if-none-match');
  if (inm !== undefined) return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  const ims = Date.parse(req.get('if-modified-since') ?? '');
  return Number.isFinite(ims) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(ims / 1000);
}

export function fileRouter(s: Services): Router {
  const router = express.Router();
  router.get(`/issues/:id${FILE_ROUTE}`, (req: Request, res: Response, next: NextFunction) => {
    const viewer = viewerOf(requireAuth(req).actor);
    const renditionId = typeof req.query.rendition === 'string' && /^\d{1,15}$/.test(req.query.rendition) ? Number(req.query.rendition) : undefined;
    const sent = s.issueFiles.open(viewer, pathId(req.params as Record<string, string>), requestedFile(req), renditionId);
    sendIssueFile(req, res, next, s, viewer, sent, null);
  });

  router.get('/issues/:id/export', async (req: Request, res: Response) => {
    const { name, zip } = await s.issues.exportZip(requireAuth(req).actor, pathId(req.params as Record<string, string>));
    res.set({ 'Content-Type': 'application/zip', 'Content-Disposition': contentDisposition(name) }).send(zip);
  });
  router.get('/issues/:id/distribution.csv', (req: Request, res: Response) => {
    const { name, csv } = s.issues.distributionCsv(requireAuth(req).actor, pathId(req.params as Record<string, string>));
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': contentDisposition(name) }).send(csv);
  });
  return router;
}
