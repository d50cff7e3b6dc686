import { statementCache, type Db, type Statement } from './database.ts';

export interface Publication {
  issueId: number;
  visibility: 'all' | 'units';
  unitIds: number[];
  publishedAt: string;
  publishedBy: number | null;
}

export interface PrintDelivery {
  issueId: number;
  userId: number;
  sentAt: string;
  sentBy: number | null;
  receivedAt: string | null;
}

/** One row of the archive: a published issue with what readers need to list it (no per-issue queries). */
export interface PublishedSummary {
  issueId: number;
  number: number;
  year: number;
  date: string;
  version: number;
  publishedAt: string;
  renditionId: number | null;
  pages: number | null;
  files: { name: string; bytes: number; sha256: string }[];
}

/** Who may read a published issue, and which print shops an issue was sent to. */
export class PublicationRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  publish(issueId: number, unitIds: number[] | undefined, userId: number, now: string): void {
    this.sql('DELETE FROM publications WHERE issue_id = ?').run(issueId);
    this.sql('INSERT INTO publications (issue_id, visibility, published_at, published_by) VALUES (?, ?, ?, ?)').run(issueId, unitIds ? 'units' : 'all', now, userId);
    const ins = this.sql('INSERT OR IGNORE INTO publication_units (issue_id, unit_id) VALUES (?, ?)');
    for (const u of unitIds ?? []) ins.run(issueId, u);
  }

  get(issueId: number): Publication | undefined {
    const r = this.sql('SELECT issue_id, visibility, published_at, published_by FROM publications WHERE issue_id = ?').get(issueId) as
      | { issue_id: number; visibility: 'all' | 'units'; published_at: string; published_by: number | null }
      | undefined;
    if (!r) return undefined;
    const units = this.sql('SELECT unit_id FROM publication_units WHERE issue_id = ? ORDER BY unit_id').all(issueId) as { unit_id: number }[];
    return { issueId: r.issue_id, visibility: r.visibility, unitIds: units.map((u) => u.unit_id), publishedAt: r.published_at, publishedBy: r.published_by };
  }

  /** Ids of published issues visible to any of `unitIds` (all issues when `unitIds` is undefined). */
  visibleIssueIds(unitIds: number[] | undefined): number[] {
    if (unitIds === undefined) {
      return (this.sql('SELECT issue_id FROM publications').all() as { issue_id: number }[]).map((r) => r.issue_id);
    }
    return (
      this.sql(
        `SELECT issue_id FROM publications WHERE visibility = 'all'
         UNION SELECT issue_id FROM publication_units WHERE unit_id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(unitIds)) as { issue_id: number }[]
    ).map((r) => r.issue_id);
  }

  /** Whether readers of any of `unitIds` may see the published issue (one lookup, for every download). */
  visibleTo(issueId: number, unitIds: number[]): boolean {
    return (
      this.sql(
        `SELECT 1 FROM publications p WHERE p.issue_id = ? AND (p.visibility = 'all'
           OR EXISTS (SELECT 1 FROM publication_units u WHERE u.issue_id = p.issue_id AND u.unit_id IN (SELECT value FROM json_each(?))))`,
      ).get(issueId, JSON.stringify(unitIds)) !== undefined
    );
  }

  /**
   * Published issues with their signed rendition's pages and files, newest first, in two queries whatever
   * their number (the archive lists ten years of issues on every visit). `unitIds` undefined = all issues.
   */
  publishedSummaries(unitIds: number[] | undefined): PublishedSummary[] {
    const rows = this.sql(
      `SELECT i.id AS issueId, i.number, i.year, i.date, i.version, p.published_at AS publishedAt, r.id AS renditionId, r.pages
       FROM publications p JOIN issues i ON i.id = p.issue_id LEFT JOIN renditions r ON r.id = i.signed_rendition_id
       WHERE i.state = 'published' AND (? IS NULL OR p.visibility = 'all'
         OR EXISTS (SELECT 1 FROM publication_units u WHERE u.issue_id = p.issue_id AND u.unit_id IN (SELECT value FROM json_each(?))))
       ORDER BY i.date DESC, i.id DESC`,
    ).all(unitIds ? 1 : null, JSON.stringify(unitIds ?? [])) as Omit<PublishedSummary, 'files'>[];
    const files = new Map<number, PublishedSummary['files']>();
    const ids = rows.flatMap((r) => (r.renditionId === null ? [] : [r.renditionId]));
    for (const f of this.sql('SELECT rendition_id AS renditionId, name, bytes, sha256 FROM rendition_files WHERE rendition_id IN (SELECT value FROM json_each(?)) ORDER BY name').all(
      JSON.stringify(ids),
    ) as { renditionId: number; name: string; bytes: number; sha256: string }[]) {
      const list = files.get(f.renditionId) ?? [];
      list.push({ name: f.name, bytes: f.bytes, sha256: f.sha256 });
      files.set(f.renditionId, list);
    }
    return rows.map((r) => ({ ...r, files: r.renditionId === null ? [] : (files.get(r.renditionId) ?? []) }));
  }

  // --- print shops ------------------------------------------------------------------------------------

  addDelivery(issueId: number, userId: number, sentBy: number, now: string): void {
    this.db.prepare('INSERT OR IGNORE INTO print_deliveries (issue_id, user_id, sent_at, sent_by) VALUES (?, ?, ?, ?)').run(issueId, userId, now, sentBy);
  }

  deliveries(issueId: number): PrintDelivery[] {
    return this.db
      .prepare('SELECT issue_id AS issueId, user_id AS userId, sent_at AS sentAt, sent_by AS sentBy, received_at AS receivedAt FROM print_deliveries WHERE issue_id = ? ORDER BY user_id')
      .all(issueId) as PrintDelivery[];
  }

  delivery(issueId: number, userId: number): PrintDelivery | undefined {
    return this.db
      .prepare('SELECT issue_id AS issueId, user_id AS userId, sent_at AS sentAt, sent_by AS sentBy, received_at AS receivedAt FROM print_deliveries WHERE issue_id = ? AND user_id = ?')
      .get(issueId, userId) as PrintDelivery | undefined;
  }

  issuesSentTo(userId: number): number[] {
    return (this.db.prepare('SELECT issue_id FROM print_deliveries WHERE user_id = ?').all(userId) as { issue_id: number }[]).map((r) => r.issue_id);
  }

  markReceived(issueId: number, userId: number, now: string): void {
    this.db.prepare('UPDATE print_deliveries SET received_at = COALESCE(received_at, ?) WHERE issue_id = ? AND user_id = ?').run(now, issueId, userId);
  }
}
