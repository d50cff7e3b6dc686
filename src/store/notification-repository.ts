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
}
