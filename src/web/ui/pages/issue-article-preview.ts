/**
 * The single-article preview screen: "Xem thử dàn trang" on an article posts here, the article is typeset
 * alone (a few seconds) and the editor lands on the preview — the PDF opened at the article's first page,
 * the page thumbnails and what preflight found. A refusal (someone's preview still running, 429) goes
 * back to the article with the reason. From the issue screen the article is set in that issue's layout and
 * trim; from the article, in the defaults a new issue gets.
 */
import { isAppError, NotFoundError } from '../../../domain/errors.ts';
import { formValues, routeId, type SignedInPage } from '../page.ts';
import { issueHeading } from './issue-view.ts';
import type { UiRoute } from '../routes.ts';
import { previewFileHref } from '../../api/issue-article-preview.ts';
import { findingVi } from '../preflight-vi.ts';

function articleIdParam(p: SignedInPage): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError('no such article', { userMessage: 'Không tìm thấy bài viết.' });
  return id;
}

/** The issue named by the form (the issue screen's "Xem thử trong số này"), or none: the default layout and trim. */
function issueField(p: SignedInPage): { issueId?: string } {
  const v = formValues(p.req).issueId;
  return v ? { issueId: v } : {};
}

async function previewAndShow(p: SignedInPage, articleId: number, body: { issueId?: string }, back: string): Promise<void> {
  let previewId: string;
  try {
    previewId = (await p.deps.services.articlePreview.preview(p.actor, articleId, body)).id;
  } catch (err) {
    if (!isAppError(err) || err.httpStatus >= 500 || err.httpStatus === 404) throw err;
    p.redirect(back, { kind: 'error', text: err.userMessage });
    return;
  }
  p.redirect(`/previews/${previewId}`);
}

function makePreview(p: SignedInPage): Promise<void> {
  const id = articleIdParam(p);
  return previewAndShow(p, id, issueField(p), `/articles/${id}`);
}

/** From the issue screen: the article picked in "Bài đã duyệt", set in that issue's layout and trim. */
function makePreviewInIssue(p: SignedInPage): Promise<void> {
  const issueId = routeId(p.req.params.id);
  const articleId = routeId(formValues(p.req).articleId);
  if (issueId === null) throw new NotFoundError('no such issue', { userMessage: 'Không tìm thấy số bản tin.' });
  if (articleId === null) {
    p.redirect(`/issues/${issueId}`, { kind: 'error', text: 'Hãy chọn một bài đã duyệt để xem thử.' });
    return Promise.resolve();
  }
  return previewAndShow(p, articleId, { issueId: String(issueId) }, `/issues/${issueId}`);
}

function showPreview(p: SignedInPage): void {
  const preview = p.deps.services.articlePreview.get(p.actor, String(p.req.params.id));
  const pdf = previewFileHref(preview.id, 'screen.pdf');
  const issue = preview.issueId === null ? null : p.deps.services.issues.view(p.actor, preview.issueId);
  p.render('issue-article-preview', {
    title: `Xem thử: ${preview.title}`,
    issuesAssets: true,
    preview,
    issue: issue ? { id: issue.id, heading: issueHeading(issue) } : null,
    layoutName: layoutVi(preview.layout),
    trimText: `${mm(preview.trim.widthMm)} × ${mm(preview.trim.heightMm)} mm`,
    pdf,
    pdfAtArticle: `${pdf}#page=${preview.articlePage ?? 1}`,
    seconds: (preview.buildMs / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 }),
    thumbnails: preview.thumbnails.map((t) => ({ ...t, src: previewFileHref(preview.id, t.name), isStart: t.page === preview.articlePage })),
    findings: preview.findings.map((f) => ({ ...f, ...findingVi(f), isError: f.severity === 'error' })),
  });
}

function mm(n: number): string {
  return n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
}

function layoutVi(name: string): string {
  return name === 'standard' ? '“Tiêu chuẩn”' : `“${name}”`;
}

export const articlePreviewUiRoutes: UiRoute[] = [
  { method: 'post', path: '/articles/:id/preview', access: 'issue.manage', handler: makePreview },
  { method: 'post', path: '/issues/:id/article-preview', access: 'issue.manage', handler: makePreviewInIssue },
  { method: 'get', path: '/previews/:id', access: 'issue.manage', handler: showPreview },
];
