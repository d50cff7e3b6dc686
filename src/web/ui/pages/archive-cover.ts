/**
 * GET /archive/:id/cover.jpg — the cover picture of an issue in the archive (page 1 as typeset, or a drawn
 * cover for older renditions; see publish/cover-thumbnail.ts). Cached by the browser until it changes.
 */
import type { SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { viewerOf } from '../../../workflow/issue-access.ts';
import { sendCover } from '../../api/cover-response.ts';
import { issueIdParam } from './issue-view.ts';

async function cover(p: SignedInPage): Promise<void> {
  await sendCover(p.req, p.res, await p.deps.services.covers.forIssue(viewerOf(p.actor), issueIdParam(p)));
}

export const archiveCoverRoutes: UiRoute[] = [{ method: 'get', path: '/archive/:id/cover.jpg', access: 'signed-in', handler: cover }];
