import { statementCache, type Db, type Statement } from './database.ts';
import type { Article, ArticleState, ArticleSummary } from '../domain/article.ts';
import { foldForSearch, searchWords } from '../domain/vi-text.ts';
import { htmlToText } from '../domain/html-text.ts';
import { Clauses, placeholders, type SqlValue } from './sql-where.ts';

interface ArticleRow {
  id: number;
  title: string;
  subtitle: string | null;
  lead: string | null;
  body_html?: string;
  author: string | null;
  unit_id: number | null;
  origin_unit_id: number | null;
  section_id: number | null;
  state: ArticleState;
  version: number;
  created_by: number;
  assigned_to: number | null;
  due_date: string | null;
  state_reason: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string;
}

const SUMMARY_COLUMNS =
  'id, title, subtitle, lead, author, unit_id, origin_unit_id, section_id, state, version, created_by, assigned_to, due_date, state_reason, created_at, updated_at, submitted_at';

const COLUMNS = SUMMARY_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ');

/**
 * The search index's scope column holds `p<created_by> u<unit_id> s<state>` (migrations 007-008 and their trigger
 * write the same); it is matched only through scopeTokens and stateToken, never by the words a person types.
 */
const SCOPE_SQL = "'p' || created_by || coalesce(' u' || unit_id, '') || ' s' || replace(state, '_', '')";

/** The FTS5 token of an article state in the scope column (migration 008): `in_review` → `sinreview`. */
function stateToken(state: ArticleState): string {
  return `"s${state.replace(/_/g, '')}"`;
}

/** FTS5 alternatives for "one of these units, or created by this user"; null when nothing can match. */
function scopeTokens(unitIds: readonly number[], userId: number | undefined): string | null {
  const tokens = [...unitIds.map((id) => `"u${id}"`), ...(userId === undefined ? [] : [`"p${userId}"`])];
  return tokens.length ? tokens.join(' OR ') : null;
}

function toSummary(r: ArticleRow): ArticleSummary {
  return {
    id: r.id,
    title: r.title,
    subtitle: r.subtitle,
    lead: r.lead,
    author: r.author,
    unitId: r.unit_id,
    originUnitId: r.origin_unit_id,
    sectionId: r.section_id,
    state: r.state,
    version: r.version,
    createdBy: r.created_by,
    assignedTo: r.assigned_to,
    dueDate: r.due_date,
    stateReason: r.state_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
  };
}

export interface ArticleContent {
  title: string;
  subtitle: string | null;
  lead: string | null;
  bodyHtml: string;
  author: string | null;
  sectionId: number | null;
}

export interface NewArticle extends ArticleContent {
  unitId: number | null;
  createdBy: number;
}

export interface ArticleFilter {
  state?: ArticleState;
  /** Only these units (already expanded to merged-in units). */
  unitIds?: number[];
  /** Contributor scope: articles of these units OR created by this user. */
  scope?: { unitIds: number[]; userId: number };
  sectionId?: number;
  assignedTo?: number;
  /** Only articles this user created ("my articles" of an editor or contributor). */
  createdBy?: number;
  from?: string;
  to?: string;
  overdueOn?: string;
  q?: string;
  limit: number;
  offset: number;
}

export interface Revision extends ArticleContent {
  id: number;
  articleId: number;
  version: number;
  kind: string;
  createdBy: number;
  createdAt: string;
}

interface RevisionRow {
  id: number;
  article_id: number;
  version: number;
  kind: string;
  title: string;
  subtitle: string | null;
  lead: string | null;
  body_html: string;
  author: string | null;
  section_id: number | null;
  created_by: number;
  created_at: string;
}

function toRevision(r: RevisionRow): Revision {
  return {
    id: r.id, articleId: r.article_id, version: r.version, kind: r.kind, title: r.title, subtitle: r.subtitle, lead: r.lead,
    bodyHtml: r.body_html, author: r.author, sectionId: r.section_id, createdBy: r.created_by, createdAt: r.created_at,
  };
}

/**
 * FTS5 query: every folded word must match, the last one as a prefix (search-as-you-type) once it has two
 * letters; a one-letter prefix would match half the vocabulary and is not in the prefix index (2 to 7 letters, migration 007).
 */
export function ftsQuery(q: string): string | null {
  const words = searchWords(q);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 && w.length >= 2 ? '*' : ''}`).join(' ');
}

export class ArticleRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(a: NewArticle, now: string): number {
    const r = this.sql(
        `INSERT INTO articles (title, subtitle, lead, body_html, author, unit_id, origin_unit_id, section_id, state, version, created_by, created_at, updated_at, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', 1, ?, ?, ?, ?)`,
      )
      .run(a.title, a.subtitle, a.lead, a.bodyHtml, a.author, a.unitId, a.unitId, a.sectionId, a.createdBy, now, now, now);
    const id = Number(r.lastInsertRowid);
    this.index(id, a.title, a.lead, a.bodyHtml);
    return id;
  }

  get(id: number): Article | undefined {
    const r = this.sql('SELECT * FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
    return r && { ...toSummary(r), bodyHtml: r.body_html ?? '' };
  }

  /** Writes new content only if the stored version is still `expectedVersion`; returns false when stale. */
  updateContent(id: number, expectedVersion: number, c: ArticleContent, now: string): boolean {
    const r = this.sql(
        `UPDATE articles SET title = ?, subtitle = ?, lead = ?, body_html = ?, author = ?, section_id = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?`,
      )
      .run(c.title, c.subtitle, c.lead, c.bodyHtml, c.author, c.sectionId, now, id, expectedVersion);
    if (r.changes === 0) return false;
    this.index(id, c.title, c.lead, c.bodyHtml);
    return true;
  }

  setState(id: number, state: ArticleState, reason: string | null, now: string): void {
    const resubmitted = state === 'submitted';
    this.sql(`UPDATE articles SET state = ?, state_reason = ?, updated_at = ?${resubmitted ? ', submitted_at = ?' : ''} WHERE id = ?`)
      .run(...(resubmitted ? [state, reason, now, now, id] : [state, reason, now, id]));
  }

  assign(id: number, userId: number | null, dueDate: string | null | undefined, now: string): void {
    if (dueDate === undefined) this.sql('UPDATE articles SET assigned_to = ?, updated_at = ? WHERE id = ?').run(userId, now, id);
    else this.sql('UPDATE articles SET assigned_to = ?, due_date = ?, updated_at = ? WHERE id = ?').run(userId, dueDate, now, id);
  }

  moveUnit(fromUnitId: number, toUnitId: number): number {
    return this.sql('UPDATE articles SET unit_id = ? WHERE unit_id = ?').run(toUnitId, fromUnitId).changes;
  }

  /**
   * A page of summaries. Without `q`: newest activity first. With `q`: newest submission first, and the
   * FTS index drives the query in rowid order so SQLite stops after one page even when a common word like
   * "đảng" matches every article; ordering hits by another column would read them all (bench/web-queue.ts).
   * A unit or creator restriction is part of the FTS5 query too (scope tokens), so it costs no per-hit lookups.
   */
  list(f: ArticleFilter): { items: ArticleSummary[]; hasMore: boolean } {
    const w = new Clauses();
    if (f.state) w.add('a.state = ?', f.state);
    if (f.unitIds) w.add(`a.unit_id IN (${placeholders(f.unitIds)})`, ...f.unitIds);
    if (f.scope) w.add(`(a.unit_id IN (${placeholders(f.scope.unitIds)}) OR a.created_by = ?)`, ...f.scope.unitIds, f.scope.userId);
    if (f.sectionId !== undefined) w.add('a.section_id = ?', f.sectionId);
    if (f.assignedTo !== undefined) w.add('a.assigned_to = ?', f.assignedTo);
    if (f.createdBy !== undefined) w.add('a.created_by = ?', f.createdBy);
    if (f.from) w.add('a.submitted_at >= ?', f.from);
    if (f.to) w.add("a.submitted_at < date(?, '+1 day')", f.to);
    if (f.overdueOn) w.add("a.due_date < ? AND a.state IN ('submitted','in_review')", f.overdueOn);
    const words = f.q === undefined ? null : ftsQuery(f.q);
    const page = (sql: string, ...args: SqlValue[]) => {
      const rows = this.sql(sql).all(...args, ...w.args, f.limit + 1, f.offset) as ArticleRow[];
      return { items: rows.slice(0, f.limit).map(toSummary), hasMore: rows.length > f.limit };
    };
    if (!words) return page(`SELECT ${COLUMNS} FROM articles a ${w.where()} ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?`);
    // The unit, creator and state conditions stay in SQL as the rule; the same conditions as scope tokens
    // (migrations 007-008) let FTS5 find the page's hits without reading a row per hit.
    const scopes = [f.unitIds && scopeTokens(f.unitIds, undefined), f.scope && scopeTokens(f.scope.unitIds, f.scope.userId),
      f.createdBy !== undefined ? scopeTokens([], f.createdBy) : undefined];
    if (scopes.some((s) => s === null)) return { items: [], hasMore: false };
    // The state filter too: without its token FTS5 hands over every hit and most are dropped after a row read.
    if (f.state) scopes.push(stateToken(f.state));
    const match = [`{title body} : (${words})`, ...scopes.filter((s) => s !== undefined).map((s) => `scope : (${s})`)].join(' AND ');
    const and = w.parts.length ? 'AND ' + w.parts.join(' AND ') : '';
    return page(`SELECT ${COLUMNS} FROM article_search s JOIN articles a ON a.id = s.rowid WHERE article_search MATCH ? ${and} ORDER BY s.rowid DESC LIMIT ? OFFSET ?`, match);
  }

  /** Per unit and state, articles submitted since `since` (dashboard "what each unit sent this month"). */
  countByUnitSince(since: string): { unitId: number | null; state: ArticleState; count: number }[] {
    return (
      this.sql('SELECT unit_id, state, COUNT(*) AS n FROM articles WHERE submitted_at >= ? GROUP BY unit_id, state')
        .all(since) as { unit_id: number | null; state: ArticleState; n: number }[]
    ).map((r) => ({ unitId: r.unit_id, state: r.state, count: r.n }));
  }

  insertRevision(articleId: number, version: number, kind: string, c: ArticleContent, userId: number, now: string): number {
    return Number(
      this.sql(
          `INSERT INTO article_revisions (article_id, version, kind, title, subtitle, lead, body_html, author, section_id, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(articleId, version, kind, c.title, c.subtitle, c.lead, c.bodyHtml, c.author, c.sectionId, userId, now).lastInsertRowid,
    );
  }

  revisions(articleId: number): Revision[] {
    return (this.sql('SELECT * FROM article_revisions WHERE article_id = ? ORDER BY id').all(articleId) as RevisionRow[]).map(toRevision);
  }

  revision(articleId: number, revisionId: number): Revision | undefined {
    const r = this.sql('SELECT * FROM article_revisions WHERE article_id = ? AND id = ?').get(articleId, revisionId) as RevisionRow | undefined;
    return r && toRevision(r);
  }

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n;
  }

  /** Articles and revisions whose body still embeds a photo as a data: URI (written before the picture store). */
  withEmbeddedImages(): { articleIds: number[]; revisionIds: number[] } {
    const ids = (sql: string) => (this.sql(sql).all() as { id: number }[]).map((r) => r.id);
    return {
      articleIds: ids("SELECT id FROM articles WHERE instr(body_html, 'data:image/') > 0 ORDER BY id"),
      revisionIds: ids("SELECT id FROM article_revisions WHERE instr(body_html, 'data:image/') > 0 ORDER BY id"),
    };
  }

  revisionById(revisionId: number): Revision | undefined {
    const r = this.sql('SELECT * FROM article_revisions WHERE id = ?').get(revisionId) as RevisionRow | undefined;
    return r && toRevision(r);
  }

  /**
   * Replaces a body's markup without making it an edit (no new version, no revision, same search text):
   * used only to move embedded photos into the picture store, which changes where a photo lives, not the article.
   */
  replaceBodyMarkup(id: number, bodyHtml: string): void {
    this.sql('UPDATE articles SET body_html = ? WHERE id = ?').run(bodyHtml, id);
  }

  replaceRevisionBodyMarkup(revisionId: number, bodyHtml: string): void {
    this.sql('UPDATE article_revisions SET body_html = ? WHERE id = ?').run(bodyHtml, revisionId);
  }

  private index(id: number, title: string, lead: string | null, bodyHtml: string): void {
    this.sql('DELETE FROM article_search WHERE rowid = ?').run(id);
    this.sql(`INSERT INTO article_search (rowid, title, body, scope) SELECT id, ?, ?, ${SCOPE_SQL} FROM articles WHERE id = ?`)
      .run(foldForSearch(title), foldForSearch(`${lead ?? ''}\n${htmlToText(bodyHtml)}`), id);
  }
}
