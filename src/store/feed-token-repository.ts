import { statementCache, type Db, type Statement } from './database.ts';

export interface FeedToken {
  id: number;
  userId: number;
  createdAt: string;
  revokedAt: string | null;
}

const COLUMNS = 'id, user_id AS userId, created_at AS createdAt, revoked_at AS revokedAt';

/** Per-user Atom feed tokens; only the token's sha256 is stored. */
export class FeedTokenRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(userId: number, tokenHash: string, now: string): number {
    return Number(this.sql('INSERT INTO feed_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)').run(userId, tokenHash, now).lastInsertRowid);
  }

  findByTokenHash(tokenHash: string): FeedToken | undefined {
    return this.sql(`SELECT ${COLUMNS} FROM feed_tokens WHERE token_hash = ?`).get(tokenHash) as FeedToken | undefined;
  }

  active(userId: number): FeedToken | undefined {
    return this.sql(`SELECT ${COLUMNS} FROM feed_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`).get(userId) as FeedToken | undefined;
  }

  /** Ends every live token of the user; returns how many. */
  revokeAll(userId: number, now: string): number {
    return this.sql('UPDATE feed_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId).changes;
  }
}
