/** Submitting an article, "my articles", the article page (state, reason, comments, actions, revisions). */
import { ARTICLE_STATE_LABELS_VI, whyCannotTransition, type Article, type ArticleState } from '../../../domain/article.ts';
import { can } from '../../../domain/roles.ts';
import { BadInputError, NotFoundError } from '../../../domain/errors.ts';
import { formValues, routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { decorate, isOverdue, loadLookups, pageHref, STATE_OPTIONS, today, unitOptions } from '../lookups.ts';
import { uploadedFile, uploadedPhotos } from '../uploads.ts';

export function articleId(p: SignedInPage): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError('no such article', { userMessage: 'Không tìm thấy bài viết.' });
  return id;
}

function newArticleView(p: SignedInPage, values: Record<string, string>) {
  const l = loadLookups(p);
  // The editorial office may file an article on behalf of a unit (a letter, a phone call); contributors send for their own.
  const unitChoice = p.actor.role === 'contributor' ? null : unitOptions(l.units.filter((u) => u.validTo === null));
  return { title: 'Gửi bài', titleFromFile: true, values, sectionOptions: l.sections, unitChoice, uploadLimitMb: Math.floor(p.deps.uploadLimitBytes / 1024 / 1024), editor: true };
}

async function postNew(p: SignedInPage): Promise<void> {
  const values = formValues(p.req);
  const { articles } = p.deps.services;
  let article: Article;
  try {
    // An empty title means "take it from the file" (the workflow's title hint), not an empty title.
    const fields = { title: values.title?.trim() || undefined, subtitle: values.subtitle, lead: values.lead, author: values.author, sectionId: values.sectionId, unitId: values.unitId };
    // A file wins over the typed text; photos go after either, as figures (the picture store keeps them).
    const file = uploadedFile(p.req, 'file');
    const photos = uploadedPhotos(p.req, values.photoCaptions);
    article = await articles.submit(p.actor, file ? fields : { ...fields, bodyHtml: values.bodyHtml ?? '' }, file, photos);
  } catch (err) {
    p.refused(err, 'article-new', { ...newArticleView(p, values), fileNote: true });
    return;
  }
  p.redirect(`/articles/${article.id}`, { kind: 'ok', text: `Đã gửi bài “${article.title}”. Trạng thái: ${ARTICLE_STATE_LABELS_VI[article.state]}.` });
}

function mine(p: SignedInPage): void {
  // Contributors follow their unit's articles here (and may narrow to their own); the editorial office
  // sees the articles they filed themselves: the list's createdBy filter, so paging stays right.
  const contributor = p.actor.role === 'contributor';
  const query = { state: str(p.req.query.state), q: str(p.req.query.q), offset: str(p.req.query.offset), mine: contributor ? str(p.req.query.mine) : '1' };
  const list = p.deps.services.articles.list(p.actor, { ...query, limit: 30 });
  const l = loadLookups(p, list.items.map((a) => a.assignedTo));
  const offset = Number(query.offset ?? 0) || 0;
  const pageQuery = { ...query, mine: contributor ? query.mine : undefined };
  p.render('articles-mine', {
    title: 'Bài của tôi',
    items: decorate(list.items, l, today(p)),
    query: pageQuery,
    onlyMine: query.mine === '1',
    contributor,
    stateOptions: STATE_OPTIONS,
    unitName: contributor ? l.unitName(p.actor.unitId) : null,
    pager: {
      prev: offset > 0 ? pageHref('/articles/mine', pageQuery, Math.max(0, offset - 30)) : null,
      next: list.nextOffset !== null ? pageHref('/articles/mine', pageQuery, list.nextOffset) : null,
    },
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

interface TransitionButton {
  to: ArticleState;
  label: string;
  buttonClass: string;
  needsReason: boolean;
  reasonRequired: boolean;
  lower: string;
}

const BUTTONS: TransitionButton[] = [
  { to: 'in_review', label: 'Nhận biên tập', buttonClass: 'btn-primary', needsReason: false, reasonRequired: false, lower: '' },
  { to: 'approved', label: 'Duyệt bài', buttonClass: 'btn-ok', needsReason: false, reasonRequired: false, lower: '' },
  { to: 'returned', label: 'Trả lại', buttonClass: '', needsReason: true, reasonRequired: true, lower: 'trả lại (người gửi sẽ thấy)' },
  { to: 'rejected', label: 'Từ chối', buttonClass: 'btn-danger', needsReason: true, reasonRequired: false, lower: 'từ chối (không bắt buộc)' },
  { to: 'submitted', label: 'Gửi lại', buttonClass: 'btn-primary', needsReason: false, reasonRequired: false, lower: '' },
];

/** The moves this person may ask for now: role from the permission table, state from the domain rule. */
function transitionsFor(p: SignedInPage, article: Article): TransitionButton[] {
  return BUTTONS.filter((b) => {
    // "Gửi lại" belongs to the sender's side; the editorial office works the review moves.
    const allowedRole = b.to === 'submitted' ? can(p.actor.role, 'article.resubmit') && isSenderSide(p, article) : can(p.actor.role, 'article.review');
    return allowedRole && whyCannotTransition(article, b.to, 'reason given') === null;
  });
}

/** The person who sent the article, or a contributor of its unit (the workflow already scoped them). */
export function isSenderSide(p: SignedInPage, article: Article): boolean {
  return article.createdBy === p.actor.id || p.actor.role === 'contributor';
}

const REVISION_KINDS_VI: Record<string, string> = { submit: 'bản gửi', save: 'bản sửa', kept_draft: 'bản nháp được giữ lại khi tiếp quản' };

export function articleView(p: SignedInPage, article: Article, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { collab, users } = p.deps.services;
  const revisions = collab.revisions(p.actor, article.id);
  const lock = collab.lock(p.actor, article.id);
  const l = loadLookups(p, [article.createdBy, article.assignedTo, ...revisions.map((r) => r.createdBy)]);
  const canAssign = can(p.actor.role, 'article.assign');
  const last = revisions.length - 1;
  return {
    title: article.title,
    article,
    bodyHtml: article.bodyHtml,
    unitName: l.unitName(article.unitId),
    sectionName: l.sectionName(article.sectionId),
    creatorName: l.people.get(article.createdBy) ?? '',
    assigneeName: article.assignedTo === null ? '' : (l.people.get(article.assignedTo) ?? ''),
    overdue: isOverdue(article, today(p)),
    comments: collab.comments(p.actor, article.id),
    canComment: can(p.actor.role, 'article.comment'),
    canEdit: can(p.actor.role, 'article.edit') && p.deps.services.articles.editRefusal(p.actor, article) === null,
    senderSide: isSenderSide(p, article),
    canAssign,
    editorOptions: canAssign ? users.listEditors(p.actor) : [],
    transitions: transitionsFor(p, article),
    lock: lock && { ...lock, canTakeOver: !lock.mine && can(p.actor.role, 'article.lock.takeover') },
    revisions: revisions
      .map((r, i) => ({ ...r, authorName: l.people.get(r.createdBy) ?? '', kindLabel: REVISION_KINDS_VI[r.kind] ?? r.kind, isA: i === Math.max(0, last - 1), isB: i === last }))
      .reverse(),
    ...extra,
  };
}

function show(p: SignedInPage): void {
  const article = p.deps.services.articles.get(p.actor, articleId(p));
  // Opening the article is reading what the notifications about it said.
  const { inbox } = p.deps.services;
  const about = inbox.notifications(p.actor, true, 200).items.filter((n) => n.articleId === article.id).map((n) => n.id);
  if (about.length) inbox.markRead(p.actor, { ids: about });
  p.render('article', articleView(p, article));
}

function postTransition(p: SignedInPage): void {
  const id = articleId(p);
  const values = formValues(p.req);
  const { articles } = p.deps.services;
  let article: Article;
  try {
    // The workflow refuses a return without a reason too; this only says it in the people's words.
    if (values.to === 'returned' && !values.reason?.trim()) {
      throw new BadInputError('a reason is required', { field: 'reason', userMessage: 'Hãy ghi lý do để người gửi biết cần sửa gì.' });
    }
    article = articles.transition(p.actor, id, { to: values.to, reason: values.reason });
  } catch (err) {
    p.refused(err, 'article', articleView(p, articles.get(p.actor, id), { values }));
    return;
  }
  const text = article.state === 'returned' ? 'Đã trả lại bài cho người gửi kèm lý do.' : `Bài đã chuyển sang “${ARTICLE_STATE_LABELS_VI[article.state]}”.`;
  p.redirect(`/articles/${id}`, { kind: 'ok', text });
}

function postComment(p: SignedInPage): void {
  const id = articleId(p);
  const values = formValues(p.req);
  try {
    p.deps.services.collab.addComment(p.actor, id, { body: values.body });
  } catch (err) {
    p.refused(err, 'article', articleView(p, p.deps.services.articles.get(p.actor, id), { values }));
    return;
  }
  p.redirect(`/articles/${id}`, { kind: 'ok', text: 'Đã gửi ý kiến.' });
}

function postAssign(p: SignedInPage): void {
  const id = articleId(p);
  const values = formValues(p.req);
  try {
    p.deps.services.articles.assign(p.actor, id, { userId: values.userId ?? '', dueDate: values.dueDate ? values.dueDate : null });
  } catch (err) {
    p.refused(err, 'article', articleView(p, p.deps.services.articles.get(p.actor, id), { values }));
    return;
  }
  p.redirect(`/articles/${id}`, { kind: 'ok', text: 'Đã lưu người xử lý và hạn.' });
}

export const articleRoutes: UiRoute[] = [
  { method: 'get', path: '/articles/new', access: 'article.submit', handler: (p) => p.render('article-new', newArticleView(p, {})) },
  { method: 'post', path: '/articles/new', access: 'article.submit', upload: true, handler: postNew },
  { method: 'get', path: '/articles/mine', access: 'article.submit', handler: mine },
  { method: 'get', path: '/articles/:id', access: 'article.read', handler: show },
  { method: 'post', path: '/articles/:id/transition', access: 'article.read', handler: postTransition },
  { method: 'post', path: '/articles/:id/comments', access: 'article.comment', handler: postComment },
  { method: 'post', path: '/articles/:id/assign', access: 'article.assign', handler: postAssign },
];
