import { statementCache, type Db, type Statement } from './database.ts';

export interface DownloadLink {
  id: number;
  unitId: number;
  expiresAt: string;
  revokedAt: string | null;
  createdBy: number | null;
  createdAt: string;
}

export interface DownloadRecord {
  issueId: number;
  renditionId: number;
  file: string;
  userId: number | null;
  linkId: number | null;
  unitId: number | null;
  status: number;
  bytes: number;
}

const COLUMNS = 'id, unit_id AS unitId, expires_at AS expiresAt, revoked_at AS revokedAt, created_by AS createdBy, created_at AS createdAt';

/** How long an answered download may wait in memory before it is written with the others of that moment. */
export const DOWNLOAD_LOG_FLUSH_MS = 100;
/** Beyond this many waiting rows (the database refused them for a while) a download is written at once. */
const MAX_PENDING_DOWNLOADS = 10_000;

/**
 * Per-unit download links (only the token's sha256 is stored) and the downloads log.
 *
 * The log is written in batches: 200 readers resuming a download in Range requests answer ~700 requests a
 * second, and one commit per request (write lock, WAL append, foreign-key lookups) was a large part of
 * each one's CPU. Rows wait at most DOWNLOAD_LOG_FLUSH_MS and are written in one transaction; reading the log
 * (`downloads`) and closing the store write what waits first, so nothing is lost on a clean stop and this
 * process always reads its own downloads.
 */
export class DownloadLinkRepository {
  private readonly sql: (sql: string) => Statement;
  private pending: { at: string; d: DownloadRecord }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  insert(tokenHash: string, unitId: number, expiresAt: string, createdBy: number, now: string): number {
    return Number(
      this.db
        .prepare('INSERT INTO download_links (token_hash, unit_id, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(tokenHash, unitId, expiresAt, createdBy, now).lastInsertRowid,
    );
  }

  get(id: number): DownloadLink | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM download_links WHERE id = ?`).get(id) as DownloadLink | undefined;
  }

  findByTokenHash(tokenHash: string): DownloadLink | undefined {
    return this.sql(`SELECT ${COLUMNS} FROM download_links WHERE token_hash = ?`).get(tokenHash) as DownloadLink | undefined;
  }

  list(): DownloadLink[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM download_links ORDER BY id DESC`).all() as DownloadLink[];
  }

  revoke(id: number, now: string): void {
    this.db.prepare('UPDATE download_links SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(now, id);
  }

  /** Runs for every answered download (each Range request of a resumed download too): queued, see the class. */
  logDownload(d: DownloadRecord, now: string): void {
    this.pending.push({ at: now, d });
    if (this.pending.length >= MAX_PENDING_DOWNLOADS) {
      this.flushDownloads();
      return;
    }
    this.flushTimer ??= setTimeout(() => this.flushLater(), DOWNLOAD_LOG_FLUSH_MS).unref();
  }

  /** Writes the downloads waiting in memory, in one transaction. Throws what the database says. */
  flushDownloads(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const insert = this.sql('INSERT INTO downloads (at, issue_id, rendition_id, file, user_id, link_id, unit_id, status, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const write = (r: { at: string; d: DownloadRecord }) => insert.run(r.at, r.d.issueId, r.d.renditionId, r.d.file, r.d.userId, r.d.linkId, r.d.unitId, r.d.status, r.d.bytes);
    try {
      this.db.transaction(() => rows.forEach(write))();
    } catch (err) {
      if (!isConstraintError(err)) {
        // Nothing was written (one transaction): keep the rows for the next try, in their order.
        this.pending = rows.concat(this.pending);
        throw err;
      }
      // A row the schema refuses (its issue gone meanwhile) must not hold back the others: write them one by one.
      const refused = this.db.transaction(() => rows.filter((r) => !tryWrite(write, r)))();
      throw new Error(`${refused.length} of ${rows.length} downloads refused by the database and not logged (issue ${refused[0]?.d.issueId})`, { cause: err });
    }
  }

  /**
   * The timer's flush. A refusal (database busy past its timeout, disk full) keeps the rows and tries again
   * later; it shows as a process warning now, and reaches a request's log through logDownload once the queue is full.
   */
  private flushLater(): void {
    this.flushTimer = undefined;
    try {
      this.flushDownloads();
    } catch (err) {
      process.emitWarning(`${this.pending.length} downloads not written to the log yet, trying again: ${err instanceof Error ? err.message : String(err)}`);
      this.flushTimer = setTimeout(() => this.flushLater(), DOWNLOAD_LOG_FLUSH_MS * 10).unref();
    }
  }

  downloads(issueId: number): (DownloadRecord & { at: string })[] {
    this.flushDownloads();
    return this.db
      .prepare(
        `SELECT at, issue_id AS issueId, rendition_id AS renditionId, file, user_id AS userId, link_id AS linkId, unit_id AS unitId, status, bytes
         FROM downloads WHERE issue_id = ? ORDER BY id`,
      )
      .all(issueId) as (DownloadRecord & { at: string })[];
  }
}

function isConstraintError(err: unknown): boolean {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

/** One row on its own; false when the schema refuses it (any other failure is thrown). */
function tryWrite<R>(write: (r: R) => unknown, r: R): boolean {
  try {
    write(r);
    return true;
  } catch (err) {
    if (isConstraintError(err)) return false;
    throw err;
  }
}
