import { statementCache, type Db, type Statement } from './database.ts';
import { Clauses } from './sql-where.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface NewAuditEntry {
  actorId: number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  ip?: string | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string | null;
  ip: string | null;
}

export class AuditRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(e: NewAuditEntry, now: string): void {
    this.sql('INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details, ip) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(now, e.actorId, e.action, e.targetType ?? null, e.targetId === undefined ? null : String(e.targetId), e.details ? JSON.stringify(e.details) : null, e.ip ?? null);
  }

  list(f: { action?: string; targetType?: string; targetId?: string; limit: number; offset: number }): AuditEntry[] {
    const w = new Clauses();
    if (f.action) w.add('a.action = ?', f.action);
    if (f.targetType) w.add('a.target_type = ?', f.targetType);
    if (f.targetId) w.add('a.target_id = ?', f.targetId);
    const rows = this.sql(
        `SELECT a.*, u.display_name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         ${w.where()} ORDER BY a.id DESC LIMIT ? OFFSET ?`,
      )
      .all(...w.args, f.limit, f.offset) as AuditRow[];
    return rows.map((r) => ({
      id: r.id, at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, targetType: r.target_type, targetId: r.target_id,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null, ip: r.ip,
    }));
  }
}
