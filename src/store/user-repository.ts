import { statementCache, type Db, type Statement } from './database.ts';
import { Clauses } from './sql-where.ts';
import type { User } from '../domain/user.ts';
import type { Role } from '../domain/roles.ts';

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  unit_id: number | null;
  display_name: string;
  disabled: number;
  created_at: string;
}

function toUser(r: UserRow): User {
  return { id: r.id, username: r.username, displayName: r.display_name, role: r.role, unitId: r.unit_id, disabled: r.disabled === 1, createdAt: r.created_at };
}

export class UserRepository {
  private readonly sql: (sql: string) => Statement;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  insert(u: { username: string; passwordHash: string; role: Role; unitId: number | null; displayName: string }, now: string): number {
    const r = this.sql('INSERT INTO users (username, password_hash, role, unit_id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(u.username, u.passwordHash, u.role, u.unitId, u.displayName, now, now);
    return Number(r.lastInsertRowid);
  }

  get(id: number): User | undefined {
    const r = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r && toUser(r);
  }

  /** The user plus the password hash, for login only. */
  findForLogin(username: string): { user: User; passwordHash: string } | undefined {
    const r = this.sql('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return r && { user: toUser(r), passwordHash: r.password_hash };
  }

  passwordHash(id: number): string | undefined {
    return (this.sql('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string } | undefined)?.password_hash;
  }

  existsUsername(username: string): boolean {
    return this.sql('SELECT 1 FROM users WHERE username = ?').get(username) !== undefined;
  }

  list(filter: { role?: Role; unitId?: number } = {}): User[] {
    const w = new Clauses();
    if (filter.role) w.add('role = ?', filter.role);
    if (filter.unitId !== undefined) w.add('unit_id = ?', filter.unitId);
    return (this.sql(`SELECT * FROM users ${w.where()} ORDER BY username`).all(...w.args) as UserRow[]).map(toUser);
  }

  update(id: number, f: { displayName?: string; role?: Role; unitId?: number | null; disabled?: boolean; passwordHash?: string }, now: string): void {
    const s = new Clauses().add('updated_at = ?', now);
    if (f.displayName !== undefined) s.add('display_name = ?', f.displayName);
    if (f.role !== undefined) s.add('role = ?', f.role);
    if (f.unitId !== undefined) s.add('unit_id = ?', f.unitId);
    if (f.disabled !== undefined) s.add('disabled = ?', f.disabled ? 1 : 0);
    if (f.passwordHash !== undefined) s.add('password_hash = ?', f.passwordHash);
    this.sql(`UPDATE users SET ${s.set()} WHERE id = ?`).run(...s.args, id);
  }

  moveUnit(fromUnitId: number, toUnitId: number, now: string): number {
    return this.sql('UPDATE users SET unit_id = ?, updated_at = ? WHERE unit_id = ?').run(toUnitId, now, fromUnitId).changes;
  }
}
