import { statementCache, type Db, type Statement } from './database.ts';

export interface Comment {
  id: number;
  articleId: number;
  userId: number;
  authorName: string;
  body: string;
  createdAt: string;
}

export class CommentRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(articleId: number, userId: number, body: string, now: string): number {
    return Number(this.sql('INSERT INTO comments (article_id, user_id, body, created_at) VALUES (?, ?, ?, ?)').run(articleId, userId, body, now).lastInsertRowid);
  }

  list(articleId: number): Comment[] {
    return this.sql(
        `SELECT c.id, c.article_id AS articleId, c.user_id AS userId, u.display_name AS authorName, c.body, c.created_at AS createdAt
         FROM comments c JOIN users u ON u.id = c.user_id WHERE c.article_id = ? ORDER BY c.id`,
      )
      .all(articleId) as Comment[];
  }
}
