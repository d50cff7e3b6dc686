/**
 * The article editor: opening it takes the soft lock (others see "đang được sửa bởi …"), saving is an
 * optimistic update on the version the form was opened with; a stale version shows the conflict screen
 * with both versions (HTTP 409), never a silent overwrite. The editor-in-chief may take the lock over.
 */
import { ConflictError } from '../../../domain/errors.ts';
import { can } from '../../../domain/roles.ts';
import { whyCannotTransition, type Article } from '../../../domain/article.ts';
import { StaleVersionError } from '../../../workflow/stale-version-error.ts';
import type { LockView } from '../../../workflow/article-collab.ts';
import { formValues, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { loadLookups } from '../lookups.ts';
import { uploadedPhotos } from '../uploads.ts';
import { bodyDiff } from '../diff-view.ts';
import { articleId, isSenderSide } from './articles.ts';

function contentValues(a: Article): Record<string, string> {
  return {
    title: a.title, subtitle: a.subtitle ?? '', lead: a.lead ?? '', author: a.author ?? '',
    sectionId: a.sectionId === null ? '' : String(a.sectionId), bodyHtml: a.bodyHtml,
  };
}

/** Takes (or refreshes) the lock; when someone else holds it, shows theirs instead (a soft lock never blocks). */
function takeLock(p: SignedInPage, id: number): LockView | null {
  const { collab } = p.deps.services;
  try {
    return collab.acquire(p.actor, id, {});
  } catch (err) {
    if (err instanceof ConflictError) return collab.lock(p.actor, id);
    throw err;
  }
}

function editView(p: SignedInPage, article: Article, lock: LockView | null, values: Record<string, string>, version: number) {
  const l = loadLookups(p);
  return {
    title: `Sửa: ${article.title}`,
    article,
    values,
    version,
    sectionOptions: l.sections,
    editor: true,
    lock: lock && { ...lock, canTakeOver: !lock.mine && can(p.actor.role, 'article.lock.takeover') },
    canResubmit: can(p.actor.role, 'article.resubmit') && isSenderSide(p, article) && whyCannotTransition(article, 'submitted', undefined) === null,
    canApprove: can(p.actor.role, 'article.review') && whyCannotTransition(article, 'approved', undefined) === null,
  };
}

function getEdit(p: SignedInPage): void {
  const id = articleId(p);
  const { articles } = p.deps.services;
  const article = articles.get(p.actor, id);
  // Refused early (the same domain rule the save applies) so nobody types into a form that cannot be saved.
  if (articles.editRefusal(p.actor, article) !== null) {
    p.redirect(`/articles/${id}`, { kind: 'warn', text: 'Bài viết ở trạng thái này không sửa được.' });
    return;
  }
  const lock = takeLock(p, id);
  p.render('article-edit', editView(p, article, lock, contentValues(article), article.version));
}

async function postEdit(p: SignedInPage): Promise<void> {
  const id = articleId(p);
  const values = formValues(p.req);
  const { articles, collab } = p.deps.services;
  let saved: Article;
  const bodyHtml = values.bodyHtml;
  try {
    saved = await articles.update(p.actor, id, {
      version: values.version, title: values.title, subtitle: values.subtitle, lead: values.lead,
      author: values.author, sectionId: values.sectionId, bodyHtml,
    }, uploadedPhotos(p.req, values.photoCaptions));
  } catch (err) {
    // The attempted body includes the new photos (already in the picture store), so none is lost on the conflict screen.
    if (err instanceof StaleVersionError) return conflict(p, err, { ...values, bodyHtml: typeof err.attempted.bodyHtml === 'string' ? err.attempted.bodyHtml : (bodyHtml ?? '') });
    const article = articles.get(p.actor, id);
    p.refused(err, 'article-edit', editView(p, article, collab.lock(p.actor, id), { ...values, bodyHtml: bodyHtml ?? '' }, Number(values.version) || article.version));
    return;
  }
  collab.release(p.actor, id);
  const after = values.after === 'resubmit' ? 'submitted' : values.after === 'approve' ? 'approved' : null;
  if (after) {
    try {
      articles.transition(p.actor, id, { to: after });
    } catch (err) {
      // The text is saved; only the state change was refused: say so on the article page.
      p.redirect(`/articles/${id}`, { kind: 'warn', text: `Đã lưu bài (phiên bản ${saved.version}) nhưng chưa chuyển trạng thái: ${err instanceof Error && 'userMessage' in err ? String(err.userMessage) : 'không được phép'}` });
      return;
    }
    p.redirect(`/articles/${id}`, { kind: 'ok', text: after === 'submitted' ? 'Đã lưu và gửi lại bài cho Ban biên tập.' : 'Đã lưu và duyệt bài.' });
    return;
  }
  p.redirect(`/articles/${id}`, { kind: 'ok', text: `Đã lưu bài (phiên bản ${saved.version}).` });
}

function conflict(p: SignedInPage, err: StaleVersionError, mine: Record<string, string>): void {
  const current = err.current;
  const names = p.deps.people.displayNames(p.actor, [current.createdBy]);
  const lastEditor = p.deps.services.collab.revisions(p.actor, current.id).at(-1);
  const editorName = lastEditor ? (p.deps.people.displayNames(p.actor, [lastEditor.createdBy]).get(lastEditor.createdBy) ?? '') : (names.get(current.createdBy) ?? '');
  p.render('conflict', {
    title: 'Xung đột khi lưu',
    article: current,
    current: { ...current, editorName },
    yourVersion: err.yourVersion,
    mine,
    diff: bodyDiff(current.bodyHtml, mine.bodyHtml ?? ''),
  }, 409);
}

/** Keep-alive from app.js: refreshes the lock and stores the unsaved draft (kept if someone takes over). */
function postLock(p: SignedInPage): void {
  const id = articleId(p);
  const values = formValues(p.req);
  const draft = values.bodyHtml === undefined && values.title === undefined ? undefined : { title: values.title, lead: values.lead, bodyHtml: values.bodyHtml };
  try {
    p.deps.services.collab.acquire(p.actor, id, draft ? { draft } : {});
  } catch (err) {
    if (err instanceof ConflictError) {
      p.res.status(409).json({ error: { code: err.code, message: err.message } });
      return;
    }
    throw err;
  }
  p.res.status(204).end();
}

function postTakeover(p: SignedInPage): void {
  const id = articleId(p);
  p.deps.services.collab.acquire(p.actor, id, { takeover: true });
  p.redirect(`/articles/${id}/edit`, { kind: 'info', text: 'Bạn đã tiếp quản bài này. Bản đang sửa dở của người trước (nếu có) đã được lưu thành một phiên bản.' });
}

/** "Đóng": leaves the editor and lets go of the lock so the next person is not told it is taken. */
function postRelease(p: SignedInPage): void {
  const id = articleId(p);
  p.deps.services.collab.release(p.actor, id);
  p.redirect(`/articles/${id}`);
}

export const editRoutes: UiRoute[] = [
  { method: 'post', path: '/articles/:id/lock/release', access: 'article.edit', handler: postRelease },
  { method: 'get', path: '/articles/:id/edit', access: 'article.edit', handler: getEdit },
  { method: 'post', path: '/articles/:id/edit', access: 'article.edit', upload: true, handler: postEdit },
  { method: 'post', path: '/articles/:id/lock', access: 'article.edit', handler: postLock },
  { method: 'post', path: '/articles/:id/lock/takeover', access: 'article.lock.takeover', handler: postTakeover },
];
