/**
 * The database side of `bantin backup` / `bantin restore`: an online snapshot through SQLite's backup API
 * (consistent while the server keeps writing: in WAL mode the reader never blocks writers), and the checks
 * a restored file must pass before it may become someone's data dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BadInputError, NotFoundError } from '../domain/errors.ts';

export interface DatabaseSnapshot {
  file: string;
  schemaVersion: number;
}

/**
 * Copies the live database at `source` into `dest` (which must not exist). One backup step copies every
 * page: with the default 100-page steps SQLite restarts the copy each time another connection writes,
 * which under a busy server may never finish.
 */
export async function snapshotDatabase(source: string, dest: string): Promise<DatabaseSnapshot> {
  if (!fs.existsSync(source)) throw new NotFoundError(`no database at ${source}`, { file: source });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 30000');
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // The copy inherits WAL mode; a self-contained single file is what an archive should hold (the server
  // switches it back to WAL when it opens the restored file).
  const copy = new Database(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return { file: dest, schemaVersion: readSchemaVersion(dest) };
}

/** The highest applied migration of a database file (0 when none was ever applied). */
export function readSchemaVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
    if (!table) return 0;
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  } finally {
    db.close();
  }
}

/**
 * Refuses a database file that SQLite itself finds damaged (a hash can match a file that was already
 * broken when it was backed up). Returns the schema version it found.
 */
export function verifyDatabaseFile(file: string): number {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BadInputError('the backup database cannot be opened', { file: path.basename(file), cause: err });
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((s) => s !== 'ok');
    if (problems.length) {
      throw new BadInputError('the backup database fails SQLite integrity_check', {
        file: path.basename(file),
        problems: problems.slice(0, 10).map((message) => ({ message })),
      });
    }
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    throw new BadInputError('the backup database is not a readable SQLite file', { file: path.basename(file), cause: err });
  } finally {
    db.close();
  }
  return readSchemaVersion(file);
}
