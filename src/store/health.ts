/**
 * Cheap checks of the database for /readyz and /metrics, on a short-lived connection of their own so a
 * probe never waits behind (or disturbs) the app's prepared statements.
 */
import Database from 'better-sqlite3';

/** True when a write lock can be taken within `timeoutMs` (disk not read-only, no stuck writer). */
export function databaseWritable(file: string, timeoutMs = 2000): { ok: boolean; error?: string } {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    db?.close();
  }
}

export interface JobStats {
  byState: Record<string, number>;
  done: { count: number; seconds: number; pages: number };
  last: { seconds: number; pages: number } | undefined;
}

/** Typeset job counts and durations from the jobs table (whichever process ran them). */
export function readJobStats(file: string): JobStats {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const byState: Record<string, number> = {};
    for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[]) byState[r.state] = r.n;
    const seconds = `(julianday(j.finished_at) - julianday(j.started_at)) * 86400`;
    const done = db
      .prepare(`SELECT COUNT(*) AS count, COALESCE(SUM(${seconds}), 0) AS seconds, COALESCE(SUM(r.pages), 0) AS pages FROM jobs j JOIN renditions r ON r.id = j.rendition_id WHERE j.state = 'done' AND j.started_at IS NOT NULL`)
      .get() as JobStats['done'];
    const last = db
      .prepare(`SELECT ${seconds} AS seconds, r.pages AS pages FROM jobs j JOIN renditions r ON r.id = j.rendition_id WHERE j.state = 'done' AND j.started_at IS NOT NULL ORDER BY j.finished_at DESC LIMIT 1`)
      .get() as JobStats['last'];
    return { byState, done, last };
  } finally {
    db.close();
  }
}

/** The SQLite library's version (the one better-sqlite3 was built with), for the admin's system page. */
export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}
