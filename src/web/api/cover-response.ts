/**
 * Answers a request for an issue's cover picture (publish/cover-thumbnail.ts): the engine's page-1 JPEG
 * streamed from disk, or the drawn one from memory; ETag and 304 either way, private caching for a day.
 * Used by the archive (signed in) and by download links (token).
 */
import type { Request, Response } from 'express';
import type { CoverThumbnail } from '../../publish/cover-thumbnail.ts';
import { notModified } from './files.ts';

export async function sendCover(req: Request, res: Response, cover: CoverThumbnail): Promise<void> {
  const etag = cover.kind === 'page' ? `"${cover.file.file.sha256}"` : cover.etag;
  // Private: the picture is only for people who may see the issue; revalidated after a day.
  res.set({ 'Content-Type': 'image/jpeg', ETag: etag, 'Cache-Control': 'private, max-age=86400' });
  if (cover.kind === 'page') {
    const modified = new Date(cover.file.rendition.createdAt);
    res.set('Last-Modified', modified.toUTCString());
    if (notModified(req, etag, modified)) {
      res.status(304).end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      res.sendFile(cover.file.absPath, { lastModified: false, etag: false, cacheControl: false, dotfiles: 'allow' }, (err?: Error) => (err && !res.headersSent ? reject(err) : resolve()));
    });
    return;
  }
  // A drawn cover has no date of its own: only the ETag decides.
  if (req.get('if-none-match') !== undefined && notModified(req, etag, new Date(0))) {
    res.status(304).end();
    return;
  }
  res.send(cover.jpg);
}
