import { statementCache, type Db, type Statement } from './database.ts';

export interface SessionRecord {
  userId: number;
  kind: 'api' | 'browser';
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

interface SessionRow {
  user_id: number;
  kind: 'api' | 'browser';
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** Sessions keyed by sha256(token); the token itself is never stored. */
export class SessionRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(tokenHash: string, s: SessionRecord, ip: string | null): void {
    this.sql('INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(tokenHash, s.userId, s.kind, s.csrfToken, s.createdAt, s.expiresAt, ip);
  }

  find(tokenHash: string): SessionRecord | undefined {
    const r = this.sql('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
    return r && { userId: r.user_id, kind: r.kind, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  delete(tokenHash: string): void {
    this.sql('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteForUser(userId: number): number {
    return this.sql('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  deleteExpired(now: string): number {
    return this.sql('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }
}
