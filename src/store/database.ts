/**
 * Opens the SQLite file with the settings every connection needs and applies numbered migrations
 * (`migrations/NNN-name.sql`, applied in order, each once, each in a transaction).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export type Db = Database.Database;
export type Statement = Database.Statement;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Several processes (server, CLI, backup) may touch the file; wait instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** Prepares each distinct SQL string once per connection (repositories run the same few queries all day). */
export function statementCache(db: Db): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
}

export interface MigrationResult {
  applied: string[];
  current: number;
}

export function listMigrations(dir = MIGRATIONS_DIR): { version: number; name: string; file: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), file: path.join(dir, f) }));
}

export function migrate(db: Db, dir = MIGRATIONS_DIR): MigrationResult {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const applied: string[] = [];
  // All pending migrations in ONE transaction: an upgrade that fails at any step leaves the database exactly
  // at the version it had before the upgrade (not half-way), so the previous release still runs on it.
  db.transaction(() => {
    for (const m of listMigrations(dir)) {
      if (done.has(m.version)) continue;
      try {
        db.exec(fs.readFileSync(m.file, 'utf8'));
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`migration ${m.name} failed: ${why}; nothing was changed (the database stays as it was before this upgrade)`, { cause: err });
      }
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      applied.push(m.name);
    }
  })();
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return { applied, current: row.v ?? 0 };
}
