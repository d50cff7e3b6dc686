/**
 * The single-article preview screen: "Xem thử dàn trang" on an article posts here, the article is typeset
 * alone (a few seconds) and the editor lands on the preview — the PDF opened at the article's first page,
 * the page thumbnails and what preflight found. A refusal (someone's preview still running, 429) goes
 * back to the article with the reason.
 */
import { isAppError, NotFoundError } from '../../../domain/errors.ts';
import { routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { previewFileHref } from '../../api/issue-article-preview.ts';
import { findingVi } from '../preflight-vi.ts';

function articleIdParam(p: SignedInPage): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError('no such article', { userMessage: 'Không tìm thấy bài viết.' });
  return id;
}

async function makePreview(p: SignedInPage): Promise<void> {
  const id = articleIdParam(p);
  let previewId: string;
  try {
    previewId = (await p.deps.services.articlePreview.preview(p.actor, id)).id;
  } catch (err) {
    if (!isAppError(err) || err.httpStatus >= 500 || err.httpStatus === 404) throw err;
    p.redirect(`/articles/${id}`, { kind: 'error', text: err.userMessage });
    return;
  }
  p.redirect(`/previews/${previewId}`);
}

function showPreview(p: SignedInPage): void {
  const preview = p.deps.services.articlePreview.get(p.actor, String(p.req.params.id));
  const pdf = previewFileHref(preview.id, 'screen.pdf');
  p.render('issue-article-preview', {
    title: `Xem thử: ${preview.title}`,
    issuesAssets: true,
    preview,
    pdf,
    pdfAtArticle: `${pdf}#page=${preview.articlePage ?? 1}`,
    seconds: (preview.buildMs / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 }),
    thumbnails: preview.thumbnails.map((t) => ({ ...t, src: previewFileHref(preview.id, t.name), isStart: t.page === preview.articlePage })),
    findings: preview.findings.map((f) => ({ ...f, ...findingVi(f), isError: f.severity === 'error' })),
  });
}

export const articlePreviewUiRoutes: UiRoute[] = [
  { method: 'post', path: '/articles/:id/preview', access: 'issue.manage', handler: makePreview },
  { method: 'get', path: '/previews/:id', access: 'issue.manage', handler: showPreview },
];
