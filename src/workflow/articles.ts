/**
 * Articles: submit, list/search, read, edit with optimistic concurrency, state transitions, assignment.
 * Order of checks everywhere: permission of the role (403) → existence and unit scope (404, so another
 * unit's article ids reveal nothing) → state rules (422) → version (409).
 */
import { BadInputError, NotFoundError, RuleViolation } from '../domain/errors.ts';
import { ArticleCreateBody, ArticleListQuery, ArticleUpdateBody, AssignBody, TransitionBody, parseBody } from '../domain/api-schemas.ts';
import { ARTICLE_STATE_LABELS_VI, isRequestable, whyCannotEdit, whyCannotTransition, type Article, type ArticleState, type ArticleSummary } from '../domain/article.ts';
import type { Actor } from '../domain/user.ts';
import type { ArticleContent, ArticleFilter } from '../store/article-repository.ts';
import { audit, nowIso, requirePermission, todayIso, type WorkflowDeps } from './context.ts';
import { sanitizeArticleHtml } from './article-html.ts';
import { bodyFromUpload, type ArticleUpload } from './article-upload.ts';
import { StaleVersionError } from './stale-version-error.ts';
import { articleScopeOf } from './articles-scope.ts';
import { hasEmbeddedImages, type PictureService, type PictureUpload } from './pictures.ts';
import { issueOpenForArticleEdit, markRenditionStale, whyPlacedArticleIsFrozen } from './issues-placed-edits.ts';

export interface ArticleList {
  items: ArticleSummary[];
  nextOffset: number | null;
}

export class ArticleService {
  constructor(
    private readonly deps: WorkflowDeps & {
      uploadLimitBytes: number;
      /** The picture store: photos of new and edited articles are stored there, bodies reference /media URLs. */
      pictures: PictureService;
      /** E-mail to the author about an editor's decision (src/notify), queued in the same transaction. */
      notices?: { articleDecided(article: Article, decision: 'returned' | 'approved' | 'rejected', reason: string | null): void };
    },
  ) {}

  /**
   * A new article from JSON (`bodyHtml`, whose data: images go to the picture store) or from a file
   * (its photos go to the picture store); `photos` sent alongside are added at the end as figures.
   */
  async submit(actor: Actor, body: unknown, upload?: ArticleUpload, photos: readonly PictureUpload[] = []): Promise<Article> {
    requirePermission(actor, 'article.submit');
    const input = parseBody(ArticleCreateBody, body);
    const { pictures } = this.deps;
    const fromFile = upload ? await bodyFromUpload(upload, this.deps.uploadLimitBytes, async (img) => (await pictures.recordImported(actor, img)).url) : undefined;
    const typed = fromFile ? fromFile.bodyHtml : await pictures.internalize(actor, input.bodyHtml ?? '');
    const figures = await pictures.figures(actor, photos);
    const bodyHtml = sanitizeArticleHtml([typed, figures].filter(Boolean).join('\n'));
    if (!bodyHtml) {
      throw new BadInputError(upload ? `${upload.originalName}: no text found` : 'bodyHtml is empty (after removing unsafe markup)', {
        field: upload ? 'file' : 'bodyHtml',
        userMessage: 'Bài viết chưa có nội dung.',
      });
    }
    const title = input.title ?? fromFile?.titleHint;
    if (!title) throw new BadInputError('title is required', { field: 'title', userMessage: 'Bài viết cần có tiêu đề.' });
    // Contributors always send for their own unit; the editorial office may file an article for any unit.
    const unitId = actor.role === 'contributor' ? actor.unitId : (input.unitId ?? actor.unitId);
    const { store } = this.deps;
    const id = store.transaction(() => {
      if (unitId !== null && !store.units.get(unitId)) throw new BadInputError(`unknown unit ${unitId}`, { field: 'unitId' });
      const sectionId = this.checkedSection(input.sectionId ?? null);
      const content: ArticleContent = { title, subtitle: input.subtitle ?? null, lead: input.lead ?? fromFile?.lead ?? null, bodyHtml, author: input.author ?? fromFile?.author ?? null, sectionId };
      const now = nowIso(this.deps);
      const newId = store.articles.insert({ ...content, unitId, createdBy: actor.id }, now);
      pictures.attach(actor, newId, bodyHtml);
      store.articles.insertRevision(newId, 1, 'submit', content, actor.id, now);
      audit(this.deps, { actorId: actor.id, action: 'article.submit', targetType: 'article', targetId: newId, details: { unitId, source: fromFile?.kind ?? 'json' } });
      return newId;
    });
    return this.mustGet(id);
  }

  list(actor: Actor, query: unknown): ArticleList {
    requirePermission(actor, 'article.read');
    const q = parseBody(ArticleListQuery, query, 'query');
    const { units } = this.deps.store;
    if (q.mine && q.createdBy != null && q.createdBy !== actor.id) {
      throw new BadInputError('createdBy and mine=1 name different people', { field: 'createdBy', expected: 'either createdBy or mine=1' });
    }
    const filter: ArticleFilter = {
      state: q.state,
      q: q.q,
      sectionId: q.sectionId ?? undefined,
      assignedTo: q.assignedTo ?? undefined,
      createdBy: q.mine ? actor.id : (q.createdBy ?? undefined),
      from: q.from,
      to: q.to,
      overdueOn: q.overdue ? todayIso(this.deps) : undefined,
      unitIds: q.unitId != null ? units.lineage(q.unitId) : undefined,
      scope: articleScopeOf(this.deps.store, actor),
      limit: q.limit,
      offset: q.offset,
    };
    const { items, hasMore } = this.deps.store.articles.list(filter);
    return { items, nextOffset: hasMore ? q.offset + q.limit : null };
  }

  get(actor: Actor, id: number): Article {
    requirePermission(actor, 'article.read');
    return this.visible(actor, id);
  }

  /**
   * Saves new content if `version` is still current (409 otherwise). Photos go to the picture store first;
   * without embedded images or new photos the save is done before this returns its promise.
   */
  async update(actor: Actor, id: number, body: unknown, photos: readonly PictureUpload[] = []): Promise<Article> {
    requirePermission(actor, 'article.edit');
    const input = parseBody(ArticleUpdateBody, body);
    const { store, pictures } = this.deps;
    let incoming = input.bodyHtml;
    if (incoming !== undefined && hasEmbeddedImages(incoming)) incoming = await pictures.internalize(actor, incoming);
    if (photos.length) {
      // New photos go after the body being saved (or the stored one); a stale version still ends in 409.
      const figures = await pictures.figures(actor, photos);
      incoming = `${incoming ?? this.visible(actor, id).bodyHtml}\n${figures}`;
    }
    store.transaction(() => {
      const current = this.visible(actor, id);
      const why = whyCannotEdit(current, actor.role);
      if (why) throw new RuleViolation(why, { userMessage: 'Bài viết ở trạng thái này không sửa được.' });
      // A placed article stays editable until its issue is signed off; its last rendition becomes stale.
      const placedIn = issueOpenForArticleEdit(store, id);
      const next: ArticleContent = {
        title: input.title ?? current.title,
        subtitle: input.subtitle === undefined ? current.subtitle : input.subtitle,
        lead: input.lead === undefined ? current.lead : input.lead,
        bodyHtml: incoming === undefined ? current.bodyHtml : sanitizeArticleHtml(incoming),
        author: input.author === undefined ? current.author : input.author,
        sectionId: input.sectionId === undefined ? current.sectionId : this.checkedSection(input.sectionId),
      };
      if (!next.bodyHtml) throw new BadInputError('bodyHtml is empty (after removing unsafe markup)', { field: 'bodyHtml' });
      const now = nowIso(this.deps);
      if (!store.articles.updateContent(id, input.version, next, now)) {
        throw new StaleVersionError(input.version, current, { ...next });
      }
      pictures.attach(actor, id, next.bodyHtml);
      store.articles.insertRevision(id, input.version + 1, 'save', next, actor.id, now);
      if (placedIn) markRenditionStale(store, placedIn, now);
      // Saving is what the lock was for: the holder's draft is now a real revision.
      const lock = store.locks.get(id);
      if (lock && lock.userId === actor.id) store.locks.put(id, actor.id, lock.takenAt, lock.expiresAt, null);
    });
    return this.mustGet(id);
  }

  /** Why the actor cannot edit the article now (its state, the role, or its issue signed off), or null. */
  editRefusal(actor: Actor, article: Article): string | null {
    return whyCannotEdit(article, actor.role) ?? (article.state === 'scheduled' ? whyPlacedArticleIsFrozen(this.deps.store, article.id) : null);
  }

  transition(actor: Actor, id: number, body: unknown): Article {
    const input = parseBody(TransitionBody, body);
    requirePermission(actor, input.to === 'submitted' ? 'article.resubmit' : 'article.review');
    const { store } = this.deps;
    store.transaction(() => {
      const article = this.visible(actor, id);
      const why = isRequestable(input.to)
        ? whyCannotTransition(article, input.to, input.reason ?? undefined)
        : `an article becomes ${input.to} through an issue (plan, publish), not by a direct transition`;
      if (why) throw new RuleViolation(why, { userMessage: `Không thể chuyển bài sang trạng thái “${ARTICLE_STATE_LABELS_VI[input.to]}”.` });
      this.applyState(actor, article, input.to, input.reason ?? null);
    });
    return this.mustGet(id);
  }

  /**
   * State change used by this service and by issue workflows (scheduling into / publishing with an issue).
   * Callers have checked permission and the rule; runs inside their transaction.
   */
  applyState(actor: Actor, article: Article, to: ArticleState, reason: string | null): void {
    const { store } = this.deps;
    const keepReason = to === 'returned' || to === 'rejected';
    store.articles.setState(article.id, to, keepReason ? reason : null, nowIso(this.deps));
    audit(this.deps, { actorId: actor.id, action: 'article.state', targetType: 'article', targetId: article.id, details: { from: article.state, to, reason } });
    if (article.createdBy !== actor.id && (to === 'returned' || to === 'approved' || to === 'rejected' || to === 'published')) {
      const messages: Partial<Record<ArticleState, string>> = {
        returned: `Bài “${article.title}” bị trả lại: ${reason ?? ''}`.trim(),
        approved: `Bài “${article.title}” đã được duyệt.`,
        rejected: `Bài “${article.title}” không được sử dụng: ${reason ?? ''}`.trim(),
        published: `Bài “${article.title}” đã được xuất bản.`,
      };
      store.notifications.insert({ userId: article.createdBy, articleId: article.id, kind: `article.${to}`, message: messages[to] ?? '' }, nowIso(this.deps));
      if (to !== 'published') this.deps.notices?.articleDecided(article, to, reason);
    }
  }

  assign(actor: Actor, id: number, body: unknown): Article {
    requirePermission(actor, 'article.assign');
    const input = parseBody(AssignBody, body);
    const { store } = this.deps;
    store.transaction(() => {
      const article = this.visible(actor, id);
      const userId = input.userId ?? null;
      if (userId !== null) {
        const user = store.users.get(userId);
        if (!user || user.disabled || (user.role !== 'editor' && user.role !== 'editor_in_chief')) {
          throw new BadInputError(`user ${userId} is not an active editor`, { field: 'userId', expected: 'the id of an editor or editor_in_chief' });
        }
      }
      store.articles.assign(id, userId, input.dueDate, nowIso(this.deps));
      audit(this.deps, { actorId: actor.id, action: 'article.assign', targetType: 'article', targetId: id, details: { from: article.assignedTo, to: userId, dueDate: input.dueDate } });
      if (userId !== null && userId !== actor.id) {
        store.notifications.insert({ userId, articleId: id, kind: 'article.assigned', message: `Bạn được giao biên tập bài “${article.title}”.` }, nowIso(this.deps));
      }
    });
    return this.mustGet(id);
  }

  /** Counts per unit and state of what was submitted since the first day of this month. */
  unitsThisMonth(actor: Actor): { unitId: number | null; state: ArticleState; count: number }[] {
    requirePermission(actor, 'article.review');
    return this.deps.store.articles.countByUnitSince(todayIso(this.deps).slice(0, 8) + '01');
  }

  /** The article if the actor may see it; otherwise NotFound (no hint that another unit's article exists). */
  visible(actor: Actor, id: number): Article {
    const article = this.deps.store.articles.get(id);
    const scope = articleScopeOf(this.deps.store, actor);
    if (!article || (scope && article.createdBy !== actor.id && (article.unitId === null || !scope.unitIds.includes(article.unitId)))) {
      throw new NotFoundError(`article ${id} not found`, { userMessage: 'Không tìm thấy bài viết.' });
    }
    return article;
  }

  private checkedSection(sectionId: number | null): number | null {
    if (sectionId !== null && !this.deps.store.sections.get(sectionId)) {
      throw new BadInputError(`unknown section ${sectionId}`, { field: 'sectionId', expected: 'the id of an existing section' });
    }
    return sectionId;
  }

  private mustGet(id: number): Article {
    const a = this.deps.store.articles.get(id);
    if (!a) throw new NotFoundError(`article ${id} not found`);
    return a;
  }
}
