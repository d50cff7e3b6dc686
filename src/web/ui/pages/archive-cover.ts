/**
 * GET /archive/:id/cover.jpg — the cover picture of an issue in the archive (page 1 as typeset, or a drawn
 * cover for older renditions; see publish/cover-thumbnail.ts). Cached by the browser until it changes.
 */
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { viewerOf } from '../../../workflow/issue-access.ts';
import { notModified } from '../../api/files.ts';
import { issueIdParam } from './issue-view.ts';

async function cover(p: SignedInPage): Promise<void> {
  const cover = await p.deps.services.covers.forIssue(viewerOf(p.actor), issueIdParam(p));
  const { req, res } = p;
  const etag = cover.kind === 'page' ? `"${cover.file.file.sha256}"` : cover.etag;
  const modified = cover.kind === 'page' ? new Date(cover.file.rendition.createdAt) : new Date(0);
  // Private: the picture is only for people who may see the issue; revalidated after a day.
  res.set({ 'Content-Type': 'image/jpeg', ETag: etag, 'Cache-Control': 'private, max-age=86400' });
  if (cover.kind === 'page') res.set('Last-Modified', modified.toUTCString());
  if (notModified(req, etag, modified) && (req.get('if-none-match') !== undefined || cover.kind === 'page')) {
    res.status(304).end();
    return;
  }
  if (cover.kind === 'drawn') {
    res.send(cover.jpg);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    res.sendFile(cover.file.absPath, { lastModified: false, etag: false, cacheControl: false, dotfiles: 'allow' }, (err?: Error) => (err && !res.headersSent ? reject(err) : resolve()));
  });
}

export const archiveCoverRoutes: UiRoute[] = [{ method: 'get', path: '/archive/:id/cover.jpg', access: 'signed-in', handler: cover }];
