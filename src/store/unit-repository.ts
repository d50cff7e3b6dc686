import { statementCache, type Db, type Statement } from './database.ts';
import type { Unit } from '../domain/unit.ts';

interface UnitRow {
  id: number;
  name: string;
  kind: string;
  parent_id: number | null;
  valid_from: string;
  valid_to: string | null;
  replaced_by: number | null;
  merged_from: string | null;
}

const SELECT = `SELECT u.*, (SELECT group_concat(merged_from) FROM unit_merges m WHERE m.unit_id = u.id) AS merged_from FROM units u`;

function toUnit(r: UnitRow): Unit {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    parentId: r.parent_id,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    replacedBy: r.replaced_by,
    mergedFrom: r.merged_from ? r.merged_from.split(',').map(Number) : [],
  };
}

export class UnitRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insert(u: { name: string; kind: string; parentId: number | null; validFrom: string }, now: string): number {
    const r = this.sql('INSERT INTO units (name, kind, parent_id, valid_from, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(u.name, u.kind, u.parentId, u.validFrom, now);
    return Number(r.lastInsertRowid);
  }

  get(id: number): Unit | undefined {
    const r = this.sql(`${SELECT} WHERE u.id = ?`).get(id) as UnitRow | undefined;
    return r && toUnit(r);
  }

  list(): Unit[] {
    return (this.sql(`${SELECT} ORDER BY u.parent_id IS NOT NULL, u.parent_id, u.name`).all() as UnitRow[]).map(toUnit);
  }

  update(id: number, fields: { name?: string; kind?: string; parentId?: number | null; validTo?: string | null }): void {
    const cur = this.get(id);
    if (!cur) return;
    this.sql('UPDATE units SET name = ?, kind = ?, parent_id = ?, valid_to = ? WHERE id = ?')
      .run(fields.name ?? cur.name, fields.kind ?? cur.kind, fields.parentId === undefined ? cur.parentId : fields.parentId,
        fields.validTo === undefined ? cur.validTo : fields.validTo, id);
  }

  /** Ids of `id` and every unit ever merged into it (transitively): what "this unit's articles" means. */
  lineage(id: number): number[] {
    const rows = this.sql(
        `WITH RECURSIVE l(id) AS (SELECT ? UNION SELECT m.merged_from FROM unit_merges m JOIN l ON m.unit_id = l.id) SELECT id FROM l`,
      )
      .all(id) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** Ids of `id` and all its ancestors (to refuse cycles in the tree). */
  lineageUp(id: number): number[] {
    const rows = this.sql(`WITH RECURSIVE a(id) AS (SELECT ? UNION SELECT u.parent_id FROM units u JOIN a ON u.id = a.id WHERE u.parent_id IS NOT NULL) SELECT id FROM a`)
      .all(id) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** Marks `fromId` as merged into `intoId` and re-parents its children. Callers wrap this in a transaction. */
  recordMerge(fromId: number, intoId: number, date: string, now: string): void {
    this.sql('UPDATE units SET valid_to = ?, replaced_by = ? WHERE id = ?').run(date, intoId, fromId);
    this.sql('INSERT INTO unit_merges (unit_id, merged_from, merged_at) VALUES (?, ?, ?)').run(intoId, fromId, now);
    this.sql('UPDATE units SET parent_id = ? WHERE parent_id = ? AND valid_to IS NULL').run(intoId, fromId);
  }

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM units').get() as { n: number }).n;
  }
}
