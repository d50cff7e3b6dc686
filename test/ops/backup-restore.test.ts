/**
 * `bantin backup` / `bantin restore` on a demo province with a typeset rendition, backed up while another
 * process keeps committing articles: the restored data dir holds every row that existed before the backup
 * (articles, revisions, issues, renditions, audit entries) byte-for-byte, only whole transactions of the
 * concurrent writer, and the rendition file with its recorded sha256. Damaged or altered archives exit 2
 * and leave nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import tar from 'tar-stream';
import { runCliCaptured, type CliRun } from '../fixtures/run-cli.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { loadDemoProvince } from '../../src/workflow/demo-province.ts';

let root: string;
let dataDir: string;
let store: Store;
let adminId: number;
let renditionSha: string;
let archive: string;

async function cli(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<CliRun> {
  return runCliCaptured(env, argv);
}

type Row = Record<string, unknown>;

/**
 * Every row of every ordinary table, as JSON strings keyed by table (read through a separate read-only
 * connection). Full-text-search shadow tables are left out: their segments merge differently as writes go on.
 */
function dumpTables(file: string): Map<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    return new Map(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as Row[]).map((r) => JSON.stringify(r))]));
  } finally {
    db.close();
  }
}

function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function startWriter(): { child: ChildProcess; acked: number[]; ready: Promise<void> } {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/ops/fixtures/article-writer.ts', dataDir, String(adminId)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: number[] = [];
  let buffered = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        if (l === 'ready') continue;
        acked.push(Number(l));
        if (acked.length >= 20) resolve();
      }
    });
  });
  return { child, acked, ready };
}

function listTree(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-backup-'));
  dataDir = path.join(root, 'data');
  store = openStore(dataDir);
  await loadDemoProvince(store, { issuesDir: path.resolve('issues'), now: new Date('2026-11-20T08:00:00Z') });
  adminId = query<{ id: number }>(store.file, `SELECT id FROM users WHERE username = 'admin'`)[0]!.id;
  // A typeset rendition as the worker leaves it: files renamed into renditions/<issue>/<job>/, then recorded.
  const issueId = store.issues.insert(
    { number: 11, year: 2026, date: '2026-11-15', printRun: 3110, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: adminId },
    '2026-11-20T08:00:00.000Z',
  );
  const pdf = await PDFDocument.create();
  pdf.addPage([538, 765]).drawText('Ban tin so 11');
  const bytes = Buffer.from(await pdf.save());
  renditionSha = crypto.createHash('sha256').update(bytes).digest('hex');
  const rel = path.join('renditions', String(issueId), '1');
  fs.mkdirSync(path.join(dataDir, rel), { recursive: true });
  fs.writeFileSync(path.join(dataDir, rel, 'print.pdf'), bytes);
  store.renditions.insert({ issueId, jobId: null, dir: rel, pages: 1, planRevision: 1, findings: [], toc: [], files: [{ name: 'print.pdf', bytes: bytes.length, sha256: renditionSha, pages: 1 }] }, '2026-11-20T08:00:00.000Z');
  store.audit.insert({ actorId: adminId, action: 'issue.typeset', targetType: 'issue', targetId: issueId }, '2026-11-20T08:00:00.000Z');
  // A job's half-written output and scratch dir: never part of a backup.
  fs.mkdirSync(path.join(dataDir, 'renditions', String(issueId), '.job-2.tmp'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'renditions', String(issueId), '.job-2.tmp', 'print.pdf'), 'partial');
  fs.mkdirSync(path.join(dataDir, 'work', 'job-2'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'work', 'job-2', 'issue.yaml'), 'number: 11\n');
  archive = path.join(root, 'backups', 'bantin.tar.gz');
});

afterAll(() => {
  store.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('bantin backup and restore', () => {
  it('backs up while another process writes, and restores every article, revision, issue, rendition and audit entry identically', async () => {
    const before = dumpTables(store.file);
    const writer = startWriter();
    await writer.ready;
    const ackedAtStart = writer.acked.length;
    const r = await cli({ BANTIN_DATA_DIR: dataDir }, 'backup', archive);
    const ackedAtEnd = writer.acked.length;
    writer.child.kill('SIGTERM');
    await new Promise((resolve) => writer.child.once('exit', resolve));
    expect(r.stderr).not.toContain('unexpected');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backup written: .*bantin\.tar\.gz/);
    // The writer kept committing while the backup ran (WAL: the snapshot reader does not block writers).
    expect(ackedAtEnd).toBeGreaterThan(ackedAtStart);

    const restored = path.join(root, 'restored');
    const rr = await cli({}, 'restore', archive, '--data', restored);
    expect(rr.stderr).toBe('');
    expect(rr.code).toBe(0);
    expect(rr.stdout).toContain('every sha256 verified');
    const restoredDb = path.join(restored, 'bantin.sqlite');
    const after = dumpTables(restoredDb);

    // Every row that existed before the backup began is there, identical.
    for (const table of ['articles', 'article_revisions', 'issues', 'renditions', 'rendition_files', 'audit_log', 'users', 'units']) {
      expect(before.has(table), `table ${table} exists`).toBe(true);
      expect(before.get(table)!.length, `table ${table} has rows`).toBeGreaterThan(0);
    }
    for (const [table, rows] of before) {
      const restoredRows = new Set(after.get(table));
      const missing = rows.filter((row) => !restoredRows.has(row));
      expect(missing, `rows of ${table} missing or changed`).toEqual([]);
    }
    // Every article the writer had committed when the backup started is in it; nothing it committed is half there.
    const restoredIds = new Set(query<{ id: number }>(restoredDb, `SELECT id FROM articles WHERE title LIKE 'Tin ghi đồng thời%'`).map((a) => a.id));
    for (const id of writer.acked.slice(0, ackedAtStart)) expect(restoredIds.has(id)).toBe(true);
    const orphans = query<{ id: number }>(
      restoredDb,
      `SELECT a.id FROM articles a WHERE a.title LIKE 'Tin ghi đồng thời%'
         AND (NOT EXISTS (SELECT 1 FROM article_revisions v WHERE v.article_id = a.id)
              OR NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.target_type = 'article' AND l.target_id = CAST(a.id AS TEXT)))`,
    );
    expect(orphans).toEqual([]);

    // The rendition file is back with the sha256 the database recorded; scratch and temp files are not.
    const files = query<{ dir: string; name: string; sha256: string }>(restoredDb, 'SELECT r.dir, f.name, f.sha256 FROM renditions r JOIN rendition_files f ON f.rendition_id = r.id');
    expect(files.length).toBe(1);
    const pdf = fs.readFileSync(path.join(restored, files[0]!.dir, files[0]!.name));
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).toBe(renditionSha);
    expect(files[0]!.sha256).toBe(renditionSha);
    const tree = listTree(restored);
    expect(tree.filter((f) => f.includes('.tmp') || f.startsWith('work'))).toEqual([]);
    // The restored data dir opens and migrates like any other.
    const reopened = openStore(restored);
    expect(reopened.migration.applied).toEqual([]);
    expect(reopened.articles.count()).toBe(after.get('articles')!.length);
    reopened.close();
  });

  it('refuses to restore into a data dir that is not empty, and leaves it untouched', async () => {
    const target = path.join(root, 'occupied');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'mine');
    const r = await cli({}, 'restore', archive, '--data', target);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not empty');
    expect(listTree(target)).toEqual(['keep.txt']);
  });

  it('refuses a tampered file (content changed, manifest not) with exit 2 and leaves nothing behind', async () => {
    const bad = path.join(root, 'tampered.tar.gz');
    await rewriteArchive(archive, bad, (name, data) => (name.endsWith('print.pdf') ? Buffer.concat([data.subarray(0, 100), Buffer.from('X'), data.subarray(101)]) : data));
    const target = path.join(root, 'from-tampered', 'data');
    const r = await cli({}, 'restore', bad, '--data', target);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/print\.pdf: sha256 [0-9a-f]{64}, manifest says/);
    expect(fs.existsSync(path.join(root, 'from-tampered'))).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);
  });

  it('refuses a truncated archive and one with an entry outside the data dir, with exit 2', async () => {
    const cut = path.join(root, 'cut.tar.gz');
    const whole = fs.readFileSync(archive);
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const target = path.join(root, 'from-cut');
    const r1 = await cli({}, 'restore', cut, '--data', target);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('damaged');
    expect(fs.existsSync(target)).toBe(false);

    const evil = path.join(root, 'evil.tar.gz');
    await rewriteArchive(archive, evil, (_name, data) => data, [{ name: 'data/../../escaped.txt', data: Buffer.from('pwned') }]);
    const r2 = await cli({}, 'restore', evil, '--data', target);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('outside the data dir');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(path.join(root, '..', 'escaped.txt'))).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);
  });

  it('says what is wrong with bad usage (exit 2) and with a missing data dir', async () => {
    expect((await cli({}, 'restore', archive)).code).toBe(2);
    expect((await cli({}, 'backup')).code).toBe(2);
    const r = await cli({ BANTIN_DATA_DIR: path.join(root, 'nothing-here') }, 'backup', path.join(root, 'x.tar.gz'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no database');
    expect(fs.existsSync(path.join(root, 'x.tar.gz'))).toBe(false);
  });
});

/** Re-packs an archive entry by entry, letting a test alter contents or add entries (the manifest is kept as it was). */
async function rewriteArchive(src: string, dest: string, alter: (name: string, data: Buffer) => Buffer, extra: { name: string; data: Buffer }[] = []): Promise<void> {
  const extract = tar.extract();
  fs.createReadStream(src).pipe(zlib.createGunzip()).pipe(extract);
  const pack = tar.pack();
  const out = fs.createWriteStream(dest);
  const done = new Promise<void>((resolve) => out.on('close', () => resolve()));
  pack.pipe(zlib.createGzip()).pipe(out);
  for (const e of extra) pack.entry({ name: e.name, size: e.data.length }, e.data);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry as unknown as AsyncIterable<Buffer>) chunks.push(c);
    const data = alter(entry.header.name, Buffer.concat(chunks));
    pack.entry({ name: entry.header.name, size: data.length }, data);
  }
  pack.finalize();
  await done;
}
