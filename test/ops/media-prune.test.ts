/**
 * The media sweep on a running server's data dir (real SQLite, real files, `bantin media prune` as a real
 * child process): pictures an article body, an old revision only, a returned article or a held draft uses
 * survive, and so do an unused one younger than the grace period and an old one uploaded again today; an
 * old unused one goes (row and file),
 * the dry run only lists it. A sweep killed with SIGKILL between the row and the file leaves nothing
 * broken, and the next sweep removes the file. Backup and restore after a sweep verify.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../fixtures/run-cli.ts';
import { waitFor } from './serve-process.ts';
import { login, setupAdmin, startTestServer, tempDataDir, userWithRole, type TestServer } from '../web/helpers.ts';

const DAY_MS = 86_400_000;
const realNow = Date.now();
/** The server's clock: uploads get this time as their creation time. */
let now = new Date(realNow - 30 * DAY_MS);

let srv: TestServer;
const tokens: Record<string, string> = {};
const scratch: string[] = [];

interface Uploaded { sha256: string; url: string; file: string }
interface PruneReport { dryRun: boolean; pictures: { sha256: string }[]; strayFiles: string[]; keptByText: number }

async function upload(token: string, hue: number): Promise<Uploaded> {
  const bytes = await sharp({ create: { width: 200, height: 150, channels: 3, background: { r: hue, g: 90, b: 160 } } }).jpeg({ quality: 80 }).toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), `anh-${hue}.jpg`);
  const r = await srv.api<{ sha256: string; url: string }>('POST', '/pictures', { token, raw: form });
  expect(r.status).toBe(201);
  const file = path.join(srv.dataDir, 'media', r.body.sha256.slice(0, 2), `${r.body.sha256}.jpg`);
  // A photo stored weeks ago has a file as old as its row.
  fs.utimesSync(file, now, now);
  return { sha256: r.body.sha256, url: r.body.url, file };
}

function figure(p: Uploaded): string {
  return `<figure><img src="${p.url}" alt="Ảnh"><figcaption>Ảnh minh họa</figcaption></figure>`;
}

async function mediaStatus(p: Uploaded, token: string): Promise<number> {
  return (await fetch(srv.url + p.url, { headers: { authorization: `Bearer ${token}` } })).status;
}

function pictureRows(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT sha256 FROM pictures ORDER BY sha256').all() as { sha256: string }[]).map((r) => r.sha256);
  } finally {
    db.close();
  }
}

/** `bantin media prune …` as its own process on the server's data dir, while the server runs. */
function prune(...args: string[]): Promise<{ code: number | null; report: PruneReport; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/bantin.mjs', 'media', 'prune', '--json', ...args], { env: { ...process.env, BANTIN_DATA_DIR: srv.dataDir, BANTIN_MEDIA_GRACE_DAYS: '7' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        resolve({ code, report: JSON.parse(out) as PruneReport, stderr: err });
      } catch (e) {
        reject(new Error(`media prune (exit ${code}) printed no report: ${out}${err}`, { cause: e }));
      }
    });
  });
}

const pics: Record<string, Uploaded> = {};
let revisedArticleId = 0;

beforeAll(async () => {
  // The server's own daily sweep must not act behind the tests' back: it gets a year of grace here (the
  // `bantin media prune` processes use the default 7 days); the last test checks that sweep separately.
  srv = await startTestServer({ config: { inProcessWorker: false, mediaGraceDays: 365 }, clock: () => now });
  tokens.admin = await setupAdmin(srv.api);
  const unit = (await srv.api<{ id: number }>('POST', '/units', { token: tokens.admin, json: { name: 'Đảng ủy xã Tân Hòa', kind: 'commune_committee' } })).body.id;
  tokens.ctv = (await userWithRole(srv.api, tokens.admin, 'ctv', 'contributor', unit)).token;
  tokens.btv = (await userWithRole(srv.api, tokens.admin, 'btv', 'editor')).token;

  // Weeks ago: pictures used in every way an article can use them, and one never used.
  pics.body = await upload(tokens.ctv, 10);
  const a1 = await srv.api<{ id: number }>('POST', '/articles', { token: tokens.ctv, json: { title: 'Hội nghị sơ kết', bodyHtml: `<p>Bài có ảnh.</p>${figure(pics.body)}` } });
  expect(a1.status).toBe(201);

  pics.revisionOnly = await upload(tokens.ctv, 40);
  const a2 = await srv.api<{ id: number; version: number }>('POST', '/articles', { token: tokens.ctv, json: { title: 'Ảnh bị bỏ ở bản sau', bodyHtml: `<p>Bản đầu.</p>${figure(pics.revisionOnly)}` } });
  const edited = await srv.api<{ bodyHtml: string }>('PATCH', `/articles/${a2.body.id}`, { token: tokens.btv, json: { version: a2.body.version, bodyHtml: '<p>Bản sau, không còn ảnh.</p>' } });
  expect(edited.status).toBe(200);
  expect(edited.body.bodyHtml).not.toContain(pics.revisionOnly.sha256);
  revisedArticleId = a2.body.id;

  pics.returned = await upload(tokens.ctv, 70);
  const a3 = await srv.api<{ id: number }>('POST', '/articles', { token: tokens.ctv, json: { title: 'Bài bị trả lại', bodyHtml: `<p>Cần bổ sung.</p>${figure(pics.returned)}` } });
  for (const [to, reason] of [['in_review'], ['returned', 'Bổ sung số liệu']] as const) {
    expect((await srv.api('POST', `/articles/${a3.body.id}/transition`, { token: tokens.btv, json: { to, reason } })).status).toBe(200);
  }

  // Held in an editor's unsaved draft only (the lock keeps it until a takeover turns it into a revision).
  pics.draft = await upload(tokens.btv, 100);
  const draft = { bodyHtml: `<p>Bài có ảnh.</p>${figure(pics.draft)}` };
  expect((await srv.api('POST', `/articles/${a1.body.id}/lock`, { token: tokens.btv, json: { draft } })).status).toBe(200);

  pics.reuploaded = await upload(tokens.ctv, 220);
  pics.oldOrphan = await upload(tokens.ctv, 130);
  pics.killedOrphan = await upload(tokens.btv, 160);

  // Today: pasted into a draft that was never saved — an editor may still be working on it.
  now = new Date(realNow);
  // Sessions follow the clock too: sign in again "today".
  for (const who of ['admin', 'ctv', 'btv']) tokens[who] = await login(srv.api, who);
  pics.youngOrphan = await upload(tokens.ctv, 190);
  // Stored weeks ago, uploaded again today (the same bytes): its grace period starts again.
  expect((await upload(tokens.ctv, 220)).sha256).toBe(pics.reuploaded.sha256);
}, 120_000);

afterAll(async () => {
  await srv.close({ removeData: true });
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

describe('bantin media prune', () => {
  it('lists only the old unused pictures in a dry run and changes nothing', async () => {
    const before = pictureRows(path.join(srv.dataDir, 'bantin.sqlite'));
    const r = await prune('--dry-run');
    expect(r.code).toBe(0);
    expect(r.report.dryRun).toBe(true);
    expect(r.report.pictures.map((p) => p.sha256).sort()).toEqual([pics.oldOrphan!.sha256, pics.killedOrphan!.sha256].sort());
    expect(pictureRows(path.join(srv.dataDir, 'bantin.sqlite'))).toEqual(before);
    for (const p of Object.values(pics)) expect(fs.existsSync(p.file)).toBe(true);
  });

  it('stops dead between a row and its file without breaking anything; the next sweep removes the file', async () => {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/ops/fixtures/media-prune-child.ts', srv.dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deleted = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /rows-deleted ([0-9a-f]{64})/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`prune child exited (${code}) before deleting a row: ${out}`)));
    });
    child.kill('SIGKILL');
    await exited;
    const victim = Object.values(pics).find((p) => p.sha256 === deleted)!;
    expect([pics.oldOrphan!.sha256, pics.killedOrphan!.sha256]).toContain(deleted);
    // The row is gone, the file is still there: the picture is simply unknown (404, not a server error).
    expect(pictureRows(path.join(srv.dataDir, 'bantin.sqlite'))).not.toContain(deleted);
    expect(fs.existsSync(victim.file)).toBe(true);
    expect(await mediaStatus(victim, tokens.admin!)).toBe(404);
    expect(await mediaStatus(pics.body!, tokens.ctv!)).toBe(200);

    // A removal interrupted after its rename (a hidden tombstone) of a picture that is wanted again goes back.
    const tombstone = path.join(path.dirname(pics.body!.file), `.${path.basename(pics.body!.file)}.pruned`);
    fs.renameSync(pics.body!.file, tombstone);

    const r = await prune();
    expect(r.code).toBe(0);
    expect(r.report.strayFiles).toEqual([path.basename(victim.file)]);
    expect(fs.existsSync(victim.file)).toBe(false);
    expect(fs.existsSync(pics.body!.file)).toBe(true);
    expect(fs.existsSync(tombstone)).toBe(false);
  });

  it('removed the other old unused picture (row and file) and kept every picture in use or young', async () => {
    const rows = pictureRows(path.join(srv.dataDir, 'bantin.sqlite'));
    expect(rows).not.toContain(pics.oldOrphan!.sha256);
    expect(rows).not.toContain(pics.killedOrphan!.sha256);
    expect(fs.existsSync(pics.oldOrphan!.file)).toBe(false);
    expect(await mediaStatus(pics.oldOrphan!, tokens.ctv!)).toBe(404);
    for (const kept of ['body', 'revisionOnly', 'returned', 'draft', 'youngOrphan', 'reuploaded']) {
      expect(rows, kept).toContain(pics[kept]!.sha256);
      expect(fs.existsSync(pics[kept]!.file), kept).toBe(true);
    }
    // The old revision still shows its photo to the editors.
    const articleId = revisedArticleId;
    const revisions = await srv.api<{ items: { id: number }[] }>('GET', `/articles/${articleId}/revisions`, { token: tokens.btv });
    const bodies = await Promise.all(revisions.body.items.map(async (r) => (await srv.api<{ bodyHtml: string }>('GET', `/articles/${articleId}/revisions/${r.id}`, { token: tokens.btv })).body.bodyHtml));
    expect(bodies.filter((b) => b.includes(pics.revisionOnly!.url))).toHaveLength(1);
    expect(await mediaStatus(pics.revisionOnly!, tokens.btv!)).toBe(200);
    expect(await mediaStatus(pics.returned!, tokens.ctv!)).toBe(200);
    expect(await mediaStatus(pics.draft!, tokens.btv!)).toBe(200);
    // Nothing left to do: a second sweep removes nothing.
    const again = await prune();
    expect(again.report.pictures).toEqual([]);
    expect(again.report.strayFiles).toEqual([]);
  });

  it('accepts the removed photo again as a new upload', async () => {
    const again = await upload(tokens.ctv!, 130);
    expect(again.sha256).toBe(pics.oldOrphan!.sha256);
    expect(fs.existsSync(again.file)).toBe(true);
    expect(await mediaStatus(again, tokens.ctv!)).toBe(200);
  });

  it('backs up and restores the pruned data dir: every hash verifies, every picture row has its file', async () => {
    const root = tempDataDir('bantin-prune-backup-');
    scratch.push(root);
    const archive = path.join(root, 'after-prune.tar.gz');
    const b = await runCliCaptured({ BANTIN_DATA_DIR: srv.dataDir }, ['backup', archive]);
    expect(b.code, b.stderr).toBe(0);
    const restored = path.join(root, 'restored');
    const r = await runCliCaptured({}, ['restore', archive, '--data', restored]);
    expect(r.code, r.stderr).toBe(0);
    const rows = pictureRows(path.join(restored, 'bantin.sqlite'));
    expect(rows).toEqual(pictureRows(path.join(srv.dataDir, 'bantin.sqlite')));
    for (const sha of rows) expect(fs.existsSync(path.join(restored, 'media', sha.slice(0, 2), `${sha}.jpg`)), sha).toBe(true);
    expect(fs.existsSync(path.join(restored, 'media', pics.killedOrphan!.sha256.slice(0, 2), `${pics.killedOrphan!.sha256}.jpg`))).toBe(false);
  });
});

describe("the server's scheduled maintenance", () => {
  it('removes an old unused picture by itself shortly after the server starts', async () => {
    // A month ago (the server's clock): a photo uploaded into a draft that was never saved.
    const monthAgo = new Date(realNow - 30 * DAY_MS);
    const before = await startTestServer({ config: { inProcessWorker: false, mediaGraceDays: 365 }, clock: () => monthAgo });
    const token = await setupAdmin(before.api);
    const bytes = await sharp({ create: { width: 120, height: 90, channels: 3, background: { r: 5, g: 5, b: 5 } } }).jpeg().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'nhap.jpg');
    const r = await before.api<{ sha256: string }>('POST', '/pictures', { token, raw: form });
    expect(r.status).toBe(201);
    const file = path.join(before.dataDir, 'media', r.body.sha256.slice(0, 2), `${r.body.sha256}.jpg`);
    fs.utimesSync(file, monthAgo, monthAgo);
    await before.close();
    // Today, with the default grace period: the first maintenance check (a few seconds after start) sweeps it.
    const after = await startTestServer({ dataDir: before.dataDir, config: { inProcessWorker: false } });
    try {
      await waitFor('the scheduled sweep to remove the picture', () => (fs.existsSync(file) ? undefined : true), { timeoutMs: 120_000 });
      expect(after.running.runtime.store.pictures.get(r.body.sha256)).toBeUndefined();
    } finally {
      await after.close({ removeData: true });
    }
  });
});

describe('bantin media, bad usage', () => {
  it('exits 2 naming the subcommand or the setting that is wrong, and touches nothing', async () => {
    const dataDir = tempDataDir('bantin-prune-usage-');
    scratch.push(dataDir);
    const noSub = await runCliCaptured({ BANTIN_DATA_DIR: dataDir }, ['media']);
    expect(noSub.code).toBe(2);
    expect(noSub.stderr).toContain('expected the subcommand "prune"');
    const badGrace = await runCliCaptured({ BANTIN_DATA_DIR: dataDir, BANTIN_MEDIA_GRACE_DAYS: '0' }, ['media', 'prune']);
    expect(badGrace.code).toBe(2);
    expect(badGrace.stderr).toContain('BANTIN_MEDIA_GRACE_DAYS');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
