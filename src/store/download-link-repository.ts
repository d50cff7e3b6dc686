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

/** Per-unit download links (only the token's sha256 is stored) and the downloads log. */
export class DownloadLinkRepository {
  private readonly sql: (sql: string) => Statement;

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

  /** Runs for every answered download (each Range request of a resumed download too): a cached statement. */
  logDownload(d: DownloadRecord, now: string): void {
    this.sql('INSERT INTO downloads (at, issue_id, rendition_id, file, user_id, link_id, unit_id, status, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(now, d.issueId, d.renditionId, d.file, d.userId, d.linkId, d.unitId, d.status, d.bytes);
  }

  downloads(issueId: number): (DownloadRecord & { at: string })[] {
    return this.db
      .prepare(
        `SELECT at, issue_id AS issueId, rendition_id AS renditionId, file, user_id AS userId, link_id AS linkId, unit_id AS unitId, status, bytes
         FROM downloads WHERE issue_id = ? ORDER BY id`,
      )
      .all(issueId) as (DownloadRecord & { at: string })[];
  }
}
