import type { Db } from './database.ts';

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

/** Who may read a published issue, and which print shops an issue was sent to. */
export class PublicationRepository {
  constructor(private readonly db: Db) {}

  publish(issueId: number, unitIds: number[] | undefined, userId: number, now: string): void {
    this.db.prepare('DELETE FROM publications WHERE issue_id = ?').run(issueId);
    this.db
      .prepare('INSERT INTO publications (issue_id, visibility, published_at, published_by) VALUES (?, ?, ?, ?)')
      .run(issueId, unitIds ? 'units' : 'all', now, userId);
    const ins = this.db.prepare('INSERT OR IGNORE INTO publication_units (issue_id, unit_id) VALUES (?, ?)');
    for (const u of unitIds ?? []) ins.run(issueId, u);
  }

  get(issueId: number): Publication | undefined {
    const r = this.db.prepare('SELECT issue_id, visibility, published_at, published_by FROM publications WHERE issue_id = ?').get(issueId) as
      | { issue_id: number; visibility: 'all' | 'units'; published_at: string; published_by: number | null }
      | undefined;
    if (!r) return undefined;
    const units = this.db.prepare('SELECT unit_id FROM publication_units WHERE issue_id = ? ORDER BY unit_id').all(issueId) as { unit_id: number }[];
    return { issueId: r.issue_id, visibility: r.visibility, unitIds: units.map((u) => u.unit_id), publishedAt: r.published_at, publishedBy: r.published_by };
  }

  /** Ids of published issues visible to any of `unitIds` (all issues when `unitIds` is undefined). */
  visibleIssueIds(unitIds: number[] | undefined): number[] {
    if (unitIds === undefined) {
      return (this.db.prepare('SELECT issue_id FROM publications').all() as { issue_id: number }[]).map((r) => r.issue_id);
    }
    const marks = unitIds.map(() => '?').join(', ') || 'NULL';
    return (
      this.db
        .prepare(
          `SELECT issue_id FROM publications WHERE visibility = 'all'
           UNION SELECT issue_id FROM publication_units WHERE unit_id IN (${marks})`,
        )
        .all(...unitIds) as { issue_id: number }[]
    ).map((r) => r.issue_id);
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
