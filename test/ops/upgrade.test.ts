/**
 * Upgrades: a copy of the database of every released schema (test/ops/fixtures/schema-<n>.sqlite, built by
 * build-schema-fixtures.ts from the release's own migration files) is opened by today's bantin, which
 * migrates it forward. The result has exactly the schema of a fresh database, passes SQLite's integrity and
 * foreign-key checks, and today's repositories read the old data. An upgrade whose migration fails leaves
 * the database exactly as it was, even when earlier pending migrations had succeeded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { listMigrations, migrate, openDatabase } from '../../src/store/database.ts';
import { DATABASE_FILE, openStore } from '../../src/store/index.ts';
import { runCliCaptured } from '../fixtures/run-cli.ts';
import { FIXTURE_ARTICLE, FIXTURE_ISSUE } from './fixtures/schema-fixtures.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/store/migrations');
const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => /^schema-\d{3}\.sqlite$/.test(f))
  .sort()
  .map((f) => ({ file: path.join(FIXTURES, f), version: Number(f.slice(7, 10)) }));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-upgrade-'));
  dirs.push(d);
  return d;
}

/** A data dir holding a copy of the fixture as its database (the committed file is never touched). */
function dataDirFrom(fixture: string): string {
  const dir = tempDir();
  fs.copyFileSync(fixture, path.join(dir, DATABASE_FILE));
  return dir;
}

type Rows = Record<string, unknown>[];
const schemaOf = (db: Database.Database): Rows =>
  db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all() as Rows;

/** Every row of every ordinary table, to compare a database before and after a failed upgrade. */
function dump(db: Database.Database): Record<string, Rows> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%search_%' ORDER BY name`).all() as { name: string }[];
  return Object.fromEntries(tables.map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all() as Rows]));
}

const freshSchema = (() => {
  const db = openDatabase(path.join(tempDir(), DATABASE_FILE));
  migrate(db);
  const schema = schemaOf(db);
  db.close();
  return schema;
})();

describe('upgrading from every released schema', () => {
  it('has a fixture for each schema of the released versions, and every fixture is older than today', () => {
    expect(fixtures.map((f) => f.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 100, 101, 200, 300]);
    const today = Math.max(...listMigrations().map((m) => m.version));
    for (const f of fixtures) expect(f.version).toBeLessThanOrEqual(today);
  });

  it.each(fixtures)('migrates schema $version forward to today, keeping every row readable', ({ file, version }) => {
    const before = new Database(file, { readonly: true });
    const had = new Set((before.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    before.close();
    expect(Math.max(...had)).toBe(version);

    const dataDir = dataDirFrom(file);
    const store = openStore(dataDir);
    try {
      // Exactly the migrations the release lacked, including lower-numbered ones that landed later.
      expect(store.migration.applied).toEqual(listMigrations().filter((m) => !had.has(m.version)).map((m) => m.name));
      const article = store.articles.get(FIXTURE_ARTICLE.id);
      expect(article).toMatchObject({ title: FIXTURE_ARTICLE.title, bodyHtml: FIXTURE_ARTICLE.bodyHtml, state: 'approved', version: 2 });
      expect(store.articles.revisions(FIXTURE_ARTICLE.id)).toHaveLength(FIXTURE_ARTICLE.revisions);
      expect(store.articles.list({ q: 'guong dang vien', limit: 10, offset: 0 }).items.map((a) => a.id)).toEqual([FIXTURE_ARTICLE.id]);
      expect(store.audit.list({ targetType: 'article', targetId: String(FIXTURE_ARTICLE.id), limit: 10, offset: 0 })).toHaveLength(1);
      if (version >= 100) {
        expect(store.issues.get(FIXTURE_ISSUE.id)).toMatchObject({ number: FIXTURE_ISSUE.number, year: FIXTURE_ISSUE.year, state: 'published' });
        expect(store.renditions.get(1)?.files).toEqual([expect.objectContaining({ name: 'print.pdf', sha256: FIXTURE_ISSUE.fileSha256, pages: 52 })]);
      }
    } finally {
      store.close();
    }

    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(schemaOf(db)).toEqual(freshSchema);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('`bantin migrate` upgrades the oldest schema and says what it applied', async () => {
    const dataDir = dataDirFrom(fixtures[0]!.file);
    const run = await runCliCaptured({ BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, ['migrate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('applied 002-article-creator-index, 003-search-prefix-index');
    expect(run.stdout).toContain(`schema version ${Math.max(...listMigrations().map((m) => m.version))}`);
    expect((await runCliCaptured({ BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, ['migrate'])).stdout).toMatch(/^up to date/);
  });
});

describe('an upgrade whose migration fails', () => {
  it('leaves the released database exactly as it was, although earlier pending migrations had run', () => {
    const dataDir = dataDirFrom(fixtures[0]!.file);
    // Today's migrations plus a broken one at the end, which changes things before it fails.
    const migrations = path.join(tempDir(), 'migrations');
    fs.cpSync(MIGRATIONS, migrations, { recursive: true });
    fs.writeFileSync(
      path.join(migrations, '999-broken-upgrade.sql'),
      `CREATE TABLE half_done (id INTEGER PRIMARY KEY);
       UPDATE articles SET title = 'overwritten';
       ALTER TABLE users ADD COLUMN phone TEXT;
       INSERT INTO no_such_table VALUES (1);`,
    );
    const file = path.join(dataDir, DATABASE_FILE);
    const db = openDatabase(file);
    try {
      const schemaBefore = schemaOf(db);
      const rowsBefore = dump(db);
      expect(() => migrate(db, migrations)).toThrow(/migration 999-broken-upgrade failed: no such table: no_such_table; nothing was changed/);
      expect(schemaOf(db)).toEqual(schemaBefore);
      expect(dump(db)).toEqual(rowsBefore);
      expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);

      // The release's bantin still works on it; the fixed upgrade then applies everything at once.
      fs.rmSync(path.join(migrations, '999-broken-upgrade.sql'));
      expect(migrate(db, migrations).applied).toEqual(listMigrations().filter((m) => m.version !== 1).map((m) => m.name));
      expect(schemaOf(db)).toEqual(freshSchema);
    } finally {
      db.close();
    }
  });
});
