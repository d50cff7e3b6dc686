import { statementCache, type Db, type Statement } from './database.ts';

export interface NewMail {
  kind: string;
  userId: number | null;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export interface OutboxMail extends NewMail {
  id: number;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
}

const COLUMNS = `id, kind, user_id AS userId, to_address AS "to", subject, text_body AS text, html_body AS html, state, attempts,
  last_error AS lastError, next_attempt_at AS nextAttemptAt, created_at AS createdAt, sent_at AS sentAt`;

/** Users' e-mail addresses and the outgoing mail queue (mail-delivery.ts sends from it). */
export class MailRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  setEmail(userId: number, email: string | null, now: string): void {
    if (email === null) this.sql('DELETE FROM user_emails WHERE user_id = ?').run(userId);
    else this.sql('INSERT INTO user_emails (user_id, email, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at').run(userId, email, now);
  }

  /** Every stored address by user id (the admin's user list shows them all at once). */
  allEmails(): Map<number, string> {
    const rows = this.sql('SELECT user_id AS userId, email FROM user_emails').all() as { userId: number; email: string }[];
    return new Map(rows.map((r) => [r.userId, r.email]));
  }

  email(userId: number): string | null {
    return (this.sql('SELECT email FROM user_emails WHERE user_id = ?').get(userId) as { email: string } | undefined)?.email ?? null;
  }

  enqueue(m: NewMail, now: string): number {
    return Number(
      this.sql('INSERT INTO mail_outbox (kind, user_id, to_address, subject, text_body, html_body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(m.kind, m.userId, m.to, m.subject, m.text, m.html, now, now).lastInsertRowid,
    );
  }

  /** Pending mails whose next attempt is due, oldest first. */
  due(now: string, limit: number): OutboxMail[] {
    return this.sql(`SELECT ${COLUMNS} FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`).all(now, limit) as OutboxMail[];
  }

  /** When the next pending mail is due (null: nothing pending). */
  nextDueAt(): string | null {
    return (this.sql(`SELECT MIN(next_attempt_at) AS at FROM mail_outbox WHERE state = 'pending'`).get() as { at: string | null }).at;
  }

  get(id: number): OutboxMail | undefined {
    return this.sql(`SELECT ${COLUMNS} FROM mail_outbox WHERE id = ?`).get(id) as OutboxMail | undefined;
  }

  list(filter: { kind?: string; limit?: number } = {}): OutboxMail[] {
    return this.sql(`SELECT ${COLUMNS} FROM mail_outbox ${filter.kind ? 'WHERE kind = ?' : ''} ORDER BY id DESC LIMIT ?`).all(...(filter.kind ? [filter.kind] : []), filter.limit ?? 100) as OutboxMail[];
  }

  markSent(id: number, attempts: number, now: string): void {
    this.sql(`UPDATE mail_outbox SET state = 'sent', attempts = ?, last_error = NULL, sent_at = ? WHERE id = ?`).run(attempts, now, id);
  }

  /** A failed try: retried at `retryAt`, or given up for good when `retryAt` is null. */
  markAttemptFailed(id: number, attempts: number, error: string, retryAt: string | null): void {
    if (retryAt === null) this.sql(`UPDATE mail_outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?`).run(attempts, error, id);
    else this.sql('UPDATE mail_outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?').run(attempts, error, retryAt, id);
  }
}
