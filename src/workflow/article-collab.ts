/**
 * Working together on an article: comments, revision history with a compare of any two revisions,
 * and the soft edit lock ("đang được sửa bởi …") that expires and that the editor-in-chief may take over.
 */
import { diffWords, type Change } from 'diff';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { CommentBody, LockBody, parseBody } from '../domain/api-schemas.ts';
import { htmlToText } from '../domain/html-text.ts';
import type { Actor } from '../domain/user.ts';
import type { Comment } from '../store/comment-repository.ts';
import type { ArticleLock } from '../store/lock-repository.ts';
import type { Revision } from '../store/article-repository.ts';
import { audit, nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import type { ArticleService } from './articles.ts';
import { sanitizeArticleHtml } from './article-html.ts';
import { mediaRefsIn } from '../domain/picture.ts';
import { photoChanges, type PhotoChange } from '../domain/photo-diff.ts';

export interface FieldDiff {
  field: 'title' | 'subtitle' | 'lead' | 'body' | 'author' | 'sectionId';
  changed: boolean;
  parts: { value: string; added: boolean; removed: boolean }[];
}

export interface RevisionDiff {
  from: Omit<Revision, 'bodyHtml'>;
  to: Omit<Revision, 'bodyHtml'>;
  fields: FieldDiff[];
  /** Every photo of either revision side by side: kept, caption edited, moved, added, removed, replaced */
  photos: PhotoChange[];
}

export type LockView = Omit<ArticleLock, 'draft'> & { hasDraft: boolean; mine: boolean };

function withoutBody(r: Revision): Omit<Revision, 'bodyHtml'> {
  const { bodyHtml: _body, ...rest } = r;
  return rest;
}

function fieldDiff(field: FieldDiff['field'], a: string, b: string): FieldDiff {
  const parts = diffWords(a, b).map((c: Change) => ({ value: c.value, added: c.added, removed: c.removed }));
  return { field, changed: a !== b, parts };
}

export class ArticleCollabService {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly articles: ArticleService,
  ) {}

  comments(actor: Actor, articleId: number): Comment[] {
    requirePermission(actor, 'article.read');
    this.articles.visible(actor, articleId);
    return this.deps.store.comments.list(articleId);
  }

  addComment(actor: Actor, articleId: number, body: unknown): Comment {
    requirePermission(actor, 'article.comment');
    const input = parseBody(CommentBody, body);
    const { store } = this.deps;
    const id = store.transaction(() => {
      const article = this.articles.visible(actor, articleId);
      const newId = store.comments.insert(articleId, actor.id, input.body, nowIso(this.deps));
      if (article.createdBy !== actor.id) {
        store.notifications.insert({ userId: article.createdBy, articleId, kind: 'article.comment', message: `${actor.displayName} góp ý bài “${article.title}”.` }, nowIso(this.deps));
      }
      return newId;
    });
    const created = store.comments.list(articleId).find((c) => c.id === id);
    if (!created) throw new Error(`comment ${id} vanished right after insert`);
    return created;
  }

  revisions(actor: Actor, articleId: number): Omit<Revision, 'bodyHtml'>[] {
    requirePermission(actor, 'article.read');
    this.articles.visible(actor, articleId);
    return this.deps.store.articles.revisions(articleId).map(withoutBody);
  }

  revision(actor: Actor, articleId: number, revisionId: number): Revision {
    requirePermission(actor, 'article.read');
    this.articles.visible(actor, articleId);
    const r = this.deps.store.articles.revision(articleId, revisionId);
    if (!r) throw new NotFoundError(`revision ${revisionId} of article ${articleId} not found`, { userMessage: 'Không tìm thấy phiên bản.' });
    return r;
  }

  /** Word diff of two revisions, field by field (body compared as text, paragraph per line). */
  compare(actor: Actor, articleId: number, fromId: number, toId: number): RevisionDiff {
    const a = this.revision(actor, articleId, fromId);
    const b = this.revision(actor, articleId, toId);
    return {
      from: withoutBody(a),
      to: withoutBody(b),
      fields: [
        fieldDiff('title', a.title, b.title),
        fieldDiff('subtitle', a.subtitle ?? '', b.subtitle ?? ''),
        fieldDiff('lead', a.lead ?? '', b.lead ?? ''),
        fieldDiff('body', htmlToText(a.bodyHtml), htmlToText(b.bodyHtml)),
        fieldDiff('author', a.author ?? '', b.author ?? ''),
        fieldDiff('sectionId', String(a.sectionId ?? ''), String(b.sectionId ?? '')),
      ],
      photos: photoChanges(a.bodyHtml, b.bodyHtml),
    };
  }

  /** The live lock on an article, or null (an expired lock counts as none). */
  lock(actor: Actor, articleId: number): LockView | null {
    requirePermission(actor, 'article.read');
    this.articles.visible(actor, articleId);
    const l = this.liveLock(articleId);
    return l ? this.view(l, actor) : null;
  }

  /**
   * Takes or refreshes the soft lock, storing the holder's unsaved draft. Someone else's live lock → 409
   * naming the holder, unless an editor-in-chief takes over: then the holder's draft becomes a revision.
   */
  acquire(actor: Actor, articleId: number, body: unknown): LockView {
    requirePermission(actor, 'article.edit');
    const input = parseBody(LockBody, body);
    if (input.takeover) requirePermission(actor, 'article.lock.takeover');
    const { store } = this.deps;
    store.transaction(() => {
      const article = this.articles.visible(actor, articleId);
      const now = this.deps.clock();
      const held = this.liveLock(articleId);
      if (held && held.userId !== actor.id) {
        if (!input.takeover) {
          throw new ConflictError(`article ${articleId} is being edited by ${held.holderName} until ${held.expiresAt}`, {
            userMessage: `Bài đang được sửa bởi ${held.holderName}.`,
          });
        }
        if (held.draft) {
          const kept = {
            title: held.draft.title ?? article.title,
            subtitle: article.subtitle,
            lead: held.draft.lead ?? article.lead,
            bodyHtml: held.draft.bodyHtml === undefined ? article.bodyHtml : sanitizeArticleHtml(held.draft.bodyHtml),
            author: article.author,
            sectionId: article.sectionId,
          };
          store.articles.insertRevision(articleId, article.version, 'kept_draft', kept, held.userId, now.toISOString());
          // Photos the holder uploaded into the draft become the article's, so the kept revision shows them.
          store.pictures.link(articleId, mediaRefsIn(kept.bodyHtml).map((r) => r.sha256).filter((sha) => store.pictures.uploadedBy(sha, held.userId)));
        }
        audit(this.deps, { actorId: actor.id, action: 'article.lock_takeover', targetType: 'article', targetId: articleId, details: { from: held.userId, keptDraft: held.draft !== null } });
      }
      const takenAt = held && held.userId === actor.id ? held.takenAt : now.toISOString();
      const expiresAt = new Date(now.getTime() + this.deps.lockTtlMinutes * 60_000).toISOString();
      const draft = input.draft ?? (held && held.userId === actor.id ? held.draft : null);
      store.locks.put(articleId, actor.id, takenAt, expiresAt, draft);
    });
    const l = this.liveLock(articleId);
    if (!l) throw new Error(`lock on article ${articleId} vanished right after taking it`);
    return this.view(l, actor);
  }

  /** Releases the actor's own lock (a no-op when someone else holds it or it expired). */
  release(actor: Actor, articleId: number): void {
    requirePermission(actor, 'article.edit');
    this.articles.visible(actor, articleId);
    const l = this.deps.store.locks.get(articleId);
    if (l && (l.userId === actor.id || l.expiresAt <= nowIso(this.deps))) this.deps.store.locks.delete(articleId);
  }

  private liveLock(articleId: number): ArticleLock | undefined {
    const l = this.deps.store.locks.get(articleId);
    return l && l.expiresAt > nowIso(this.deps) ? l : undefined;
  }

  private view(l: ArticleLock, actor: Actor): LockView {
    const { draft, ...rest } = l;
    return { ...rest, hasDraft: draft !== null, mine: l.userId === actor.id };
  }
}
