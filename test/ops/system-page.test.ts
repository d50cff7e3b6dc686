/**
 * The admin's "Hệ thống" page on the real app (`startServer`, as `bantin serve` wires it): versions of
 * bantin, Node, Chromium, Paged.js and SQLite; the data dir's size and free space; the last backup (none
 * yet, then the one `bantin backup` just wrote); the licence's days left with its warning level; the typeset
 * queue. Only the admin sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCliCaptured } from '../fixtures/run-cli.ts';
import { BULLETIN, setupAdmin, startTestServer, userWithRole, type TestServer } from '../web/helpers.ts';
import { Visitor, signIn } from '../web/ui-harness.ts';
import { PASSWORD } from '../web/helpers.ts';

let t: TestServer;
let token: string;
let admin: Visitor;
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-system-page-'));

/** The inside of one card of the page (each card is a <section id=…>). */
function card(html: string, id: string): string {
  const m = new RegExp(`<section class="card" id="${id}">([\\s\\S]*?)</section>`).exec(html);
  if (!m?.[1]) throw new Error(`no card #${id} on the page`);
  return m[1];
}

const levelOf = (html: string) => /data-level="(\w+)"/.exec(html)?.[1];
const isoDaysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function systemPage(): Promise<string> {
  const r = await admin.get('/system');
  expect(r.status).toBe(200);
  return r.html;
}

beforeAll(async () => {
  // No in-process worker: a queued job stays queued, and the page says typesetting runs elsewhere.
  t = await startTestServer({ config: { inProcessWorker: false } });
  token = await setupAdmin(t.api);
  admin = new Visitor(t.url);
  await signIn(admin, 'admin', PASSWORD);
}, 60_000);

afterAll(async () => {
  await t?.close({ removeData: true });
  fs.rmSync(backupDir, { recursive: true, force: true });
});

describe('the system page', () => {
  it('shows the versions of bantin, Node, Chromium, Paged.js and SQLite', async () => {
    const versions = card(await systemPage(), 'versions');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    const db = new Database(':memory:');
    const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    db.close();
    const pagedjs = JSON.parse(fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('pagedjs')), '..', 'package.json'), 'utf8')) as { version: string };
    expect(versions).toContain(`<dt>bantin</dt><dd>${pkg.version}</dd>`);
    expect(versions).toContain(`<dt>Node.js</dt><dd>${process.version}</dd>`);
    expect(versions).toContain(`<dt>SQLite</dt><dd>${sqlite}</dd>`);
    expect(versions).toContain(`<dt>Paged.js</dt><dd>${pagedjs.version}</dd>`);
    expect(versions).toMatch(/<dt>Chromium<\/dt><dd>\d+\.\d+\.\d+\.\d+<\/dd>/);
  });

  it('shows the data dir with its size and the free space of its disk', async () => {
    const disk = card(await systemPage(), 'disk');
    expect(disk).toContain(t.dataDir);
    const s = fs.statfsSync(t.dataDir);
    // Free space moves while other test files write and delete (a CI run saw 74.x GB on the page and 75.0 GB
    // a moment later): the page must show the disk's free space to within a gigabyte, in Vietnamese digits.
    const freeGb = (s.bavail * s.bsize) / 1024 ** 3;
    const shown = /Còn trống<\/dt><dd>([\d.]+(?:,\d+)?) (MB|GB|TB) \/ [\d.]+(?:,\d+)? (GB|TB)/.exec(disk);
    expect(shown, disk).not.toBeNull();
    const unitGb = { MB: 1 / 1024, GB: 1, TB: 1024 }[shown![2] as 'MB' | 'GB' | 'TB'];
    const shownGb = Number(shown![1]!.replace(/\./g, '').replace(',', '.')) * unitGb;
    expect(Math.abs(shownGb - freeGb)).toBeLessThan(1);
    expect(disk).toMatch(/Dữ liệu đang dùng<\/dt><dd>[\d,]+ (KB|MB)/);
  });

  it('says there is no backup yet, then shows the one `bantin backup` wrote: when, how big, where', async () => {
    const before = card(await systemPage(), 'backup');
    expect(levelOf(before)).toBe('error');
    expect(before).toContain('Chưa có bản sao lưu nào');

    const file = path.join(backupDir, 'bantin-thu-cong.tar.gz');
    const run = await runCliCaptured({ BANTIN_DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' }, ['backup', file]);
    expect(run.code).toBe(0);
    const after = card(await systemPage(), 'backup');
    expect(levelOf(after)).toBe('ok');
    expect(after).toContain(`<code>${file}</code>`);
    const kb = fs.statSync(file).size / 1024;
    expect(after).toMatch(new RegExp(`Dung lượng</dt><dd>${Math.floor(kb)}(,\\d)? KB`));
    expect(after).toMatch(/Thời điểm<\/dt><dd>\d{2}\/\d{2}\/\d{4}/);
  });

  it('counts the licence’s days left, orange within 60 days, red once expired', async () => {
    const cases = [
      { days: 400, level: 'ok', text: 'Còn 400 ngày' },
      { days: 30, level: 'warn', text: 'Còn 30 ngày' },
      { days: -3, level: 'error', text: 'Đã hết hạn 3 ngày' },
    ];
    for (const c of cases) {
      const put = await t.api('PUT', '/bulletin', { token, json: { ...BULLETIN, licence: { ...BULLETIN.licence, expires: isoDaysFromToday(c.days) } } });
      expect(put.status).toBe(200);
      const licence = card(await systemPage(), 'licence');
      expect(levelOf(licence), c.text).toBe(c.level);
      expect(licence).toContain(c.text);
      expect(licence).toContain(BULLETIN.licence.number);
    }
  });

  it('shows the typeset queue from the jobs table', async () => {
    const store = t.running.runtime.store;
    const now = new Date().toISOString();
    const issueId = store.issues.insert({ number: 5, year: 2026, date: '2026-05-15', printRun: 100, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: 1 }, now);
    store.jobs.insert(issueId, {}, 1, now);
    const queue = card(await systemPage(), 'queue');
    expect(queue).toContain('<dt>Đang chờ</dt><dd>1</dd>');
    expect(queue).toContain('không tự dàn trang');
  });

  it('is in the admin’s menu only; other roles are refused', async () => {
    expect((await admin.get('/')).html).toContain('href="/system"');
    await userWithRole(t.api, token, 'tongbientap', 'editor_in_chief');
    const chief = new Visitor(t.url);
    await signIn(chief, 'tongbientap', PASSWORD);
    expect((await chief.get('/')).html).not.toContain('href="/system"');
    expect((await chief.get('/system')).status).toBe(403);
    expect((await new Visitor(t.url).get('/system')).status).toBe(303);
  });
});
