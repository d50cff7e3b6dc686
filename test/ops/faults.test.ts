/**
 * Faults really injected: `bantin serve` killed with SIGKILL in the middle of a loop of article saves
 * (every acknowledged save is there after restart, nothing half-written); the database write-locked by
 * another process (requests wait for the busy timeout instead of failing); a migration that fails half-way
 * (the database stays exactly as it was).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase } from '../../src/store/database.ts';
import { login, setupAdmin, startTestServer, tempDataDir } from '../web/helpers.ts';
import { cleanUpProcesses, processTmpDir, startServe } from './serve-process.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  cleanUpProcesses();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** `bantin serve` as a separate process (no typeset worker) on a random port. */
const serve = (dataDir: string) => startServe(dataDir, { tmpDir: processTmpDir(), env: { BANTIN_WORKER: 'off' } });

function spawnFixture(script: string, args: string[]): { child: ChildProcess; until: (line: string) => Promise<void> } {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    for (const w of waiters) if (out.includes(w.line)) w.resolve();
  });
  return { child, until: (line) => new Promise<void>((resolve) => (out.includes(line) ? resolve() : waiters.push({ line, resolve }))) };
}

describe('kill -9 of the server during article saves', () => {
  it('keeps every acknowledged save, whole, after a restart', { timeout: 600_000 }, async () => {
    const dataDir = tempDataDir('bantin-kill-');
    dirs.push(dataDir);
    const first = await serve(dataDir);
    const token = await setupAdmin(first.api);
    const acked = new Map<number, { title: string; bodyHtml: string }>();
    let n = 0;
    let killed = false;
    // Four clients save in parallel; the server is killed while requests are in flight.
    const client = async (): Promise<void> => {
      while (!killed) {
        n += 1;
        const article = { title: `Tin số ${n} – lưu trước khi mất điện`, bodyHtml: `<p>Nội dung đầy đủ của tin số ${n}: ${'Đảng bộ xã thi đua. '.repeat(20)}</p>` };
        try {
          const r = await first.api<{ id: number }>('POST', '/articles', { token, json: article });
          if (r.status === 201) acked.set(r.body.id, article);
        } catch (err) {
          // A refused or reset connection is the kill itself; anything before it is a real failure.
          if (!killed) throw err;
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 20));
    const kill = first.kill();
    killed = true;
    await Promise.all([kill, ...clients]);
    expect(first.child.signalCode).toBe('SIGKILL');

    const db = new Database(path.join(dataDir, 'bantin.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Nothing half-written: every stored article has its first revision.
    expect(db.prepare('SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)').get()).toEqual({ n: 0 });
    db.close();

    const second = await serve(dataDir);
    const token2 = await login(second.api, 'admin');
    for (const [id, article] of acked) {
      const r = await second.api<{ title: string; bodyHtml: string }>('GET', `/articles/${id}`, { token: token2 });
      expect(r.status).toBe(200);
      expect(r.body.title).toBe(article.title);
      expect(r.body.bodyHtml).toContain(`tin số ${article.title.match(/\d+/)![0]}:`);
    }
    expect(await second.stop()).toBe(0);
  });
});

describe('database locked by another process', () => {
  it('makes a save wait for the lock (busy timeout) and succeed, instead of failing', async () => {
    const t = await startTestServer({ config: { inProcessWorker: false } });
    dirs.push(t.dataDir);
    try {
      const token = await setupAdmin(t.api);
      const holder = spawnFixture('test/ops/fixtures/lock-holder.ts', [t.running.runtime.store.file, '1500']);
      await holder.until('locked');
      const r = await t.api<{ id: number }>('POST', '/articles', { token, json: { title: 'Lưu trong lúc sao lưu', bodyHtml: '<p>Chờ khóa rồi lưu.</p>' } });
      expect(r.status).toBe(201);
      await holder.until('released');
      const saved = await t.api<{ title: string }>('GET', `/articles/${r.body.id}`, { token });
      expect(saved.body.title).toBe('Lưu trong lúc sao lưu');
      // The other process's write is there too: both waited their turn, neither was lost.
      const db = new Database(t.running.runtime.store.file, { readonly: true });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ops.lock-test'`).get()).toEqual({ n: 1 });
      db.close();
    } finally {
      await t.close();
    }
  });
});

describe('a migration that fails', () => {
  it('leaves the database as it was, and the next run applies the fixed migration', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-migrate-'));
    dirs.push(dir);
    const migrations = path.join(dir, 'migrations');
    fs.mkdirSync(migrations);
    fs.writeFileSync(path.join(migrations, '001-start.sql'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);');
    const db = openDatabase(path.join(dir, 'bantin.sqlite'));
    try {
      expect(migrate(db, migrations).current).toBe(1);
      db.prepare('INSERT INTO notes (text) VALUES (?)').run('ghi chú đã lưu');
      const schemaBefore = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
      // Half-way: a new table, a changed row, a new column, then an error.
      fs.writeFileSync(
        path.join(migrations, '002-broken.sql'),
        `CREATE TABLE tags (id INTEGER PRIMARY KEY);
         UPDATE notes SET text = 'overwritten';
         ALTER TABLE notes ADD COLUMN colour TEXT;
         INSERT INTO no_such_table VALUES (1);`,
      );
      expect(() => migrate(db, migrations)).toThrow(/no_such_table/);
      expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
      expect(db.prepare('SELECT text FROM notes').all()).toEqual([{ text: 'ghi chú đã lưu' }]);
      expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);

      fs.writeFileSync(path.join(migrations, '002-broken.sql'), 'CREATE TABLE tags (id INTEGER PRIMARY KEY);');
      expect(migrate(db, migrations)).toMatchObject({ applied: ['002-broken'], current: 2 });
    } finally {
      db.close();
    }
  });
});
