import { statementCache, type Db, type Statement } from './database.ts';

export interface LockDraft {
  title?: string;
  lead?: string;
  bodyHtml?: string;
}

export interface ArticleLock {
  articleId: number;
  userId: number;
  holderName: string;
  takenAt: string;
  expiresAt: string;
  draft: LockDraft | null;
}

interface LockRow {
  article_id: number;
  user_id: number;
  display_name: string;
  taken_at: string;
  expires_at: string;
  draft: string | null;
}

export class LockRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** The lock on an article, expired or not (callers decide what expiry means). */
  get(articleId: number): ArticleLock | undefined {
    const r = this.sql('SELECT l.*, u.display_name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = ?')
      .get(articleId) as LockRow | undefined;
    return r && { articleId: r.article_id, userId: r.user_id, holderName: r.display_name, takenAt: r.taken_at, expiresAt: r.expires_at, draft: r.draft ? (JSON.parse(r.draft) as LockDraft) : null };
  }

  put(articleId: number, userId: number, takenAt: string, expiresAt: string, draft: LockDraft | null): void {
    this.sql(
        `INSERT INTO article_locks (article_id, user_id, taken_at, expires_at, draft) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(article_id) DO UPDATE SET user_id = excluded.user_id, taken_at = excluded.taken_at, expires_at = excluded.expires_at, draft = excluded.draft`,
      )
      .run(articleId, userId, takenAt, expiresAt, draft ? JSON.stringify(draft) : null);
  }

  delete(articleId: number): void {
    this.sql('DELETE FROM article_locks WHERE article_id = ?').run(articleId);
  }
}
