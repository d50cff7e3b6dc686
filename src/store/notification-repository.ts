import { statementCache, type Db, type Statement } from './database.ts';

export interface Notification {
  id: number;
  userId: number;
  articleId: number | null;
  kind: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

const COLUMNS = 'id, user_id AS userId, article_id AS articleId, kind, message, created_at AS createdAt, read_at AS readAt';

export class NotificationRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(n: { userId: number; articleId: number | null; kind: string; message: string }, now: string): void {
    this.sql('INSERT INTO notifications (user_id, article_id, kind, message, created_at) VALUES (?, ?, ?, ?, ?)').run(n.userId, n.articleId, n.kind, n.message, now);
  }

  list(userId: number, unreadOnly: boolean, limit: number): Notification[] {
    return this.sql(`SELECT ${COLUMNS} FROM notifications WHERE user_id = ? ${unreadOnly ? 'AND read_at IS NULL' : ''} ORDER BY id DESC LIMIT ?`)
      .all(userId, limit) as Notification[];
  }

  unreadCount(userId: number): number {
    return (this.sql('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
  }

  markRead(userId: number, ids: number[] | 'all', now: string): number {
    if (ids === 'all') return this.sql('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, userId).changes;
    let n = 0;
    const stmt = this.sql('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL');
    for (const id of ids) n += stmt.run(now, userId, id).changes;
    return n;
  }

  /**
   * Readers already told about this issue, and readers told about another version of the same number
   * (year + number) but not this one (issue #7: publishing again never repeats a notice).
   */
  issueNoticed(issueId: number): { thisIssue: Set<number>; otherVersion: Set<number> } {
    const thisIssue = new Set((this.sql('SELECT user_id AS id FROM issue_reader_notices WHERE issue_id = ?').all(issueId) as { id: number }[]).map((r) => r.id));
    const rows = this.sql(
      `SELECT DISTINCT n.user_id AS id FROM issues i
       JOIN issues v ON v.year = i.year AND v.number = i.number AND v.id <> i.id
       JOIN issue_reader_notices n ON n.issue_id = v.id
       WHERE i.id = ?`,
    ).all(issueId) as { id: number }[];
    return { thisIssue, otherVersion: new Set(rows.map((r) => r.id).filter((id) => !thisIssue.has(id))) };
  }

  recordIssueNotice(issueId: number, userId: number, now: string): void {
    this.sql('INSERT OR IGNORE INTO issue_reader_notices (issue_id, user_id, notified_at) VALUES (?, ?, ?)').run(issueId, userId, now);
  }
}
