/**
 * "Đọc trực tuyến" against the real app (real HTTP, real SQLite file, real Chromium typesetting in the
 * in-process worker): the online edition is written with the rendition (each file with its sha256), says
 * exactly what the articles say, opens for exactly those who may open screen.pdf (accounts and download
 * links), is never counted as a download, refuses path tricks, and reads on a 360 px phone without
 * sideways scrolling (screenshots at 360 and 1366 px are kept for people to look at).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/domain/html-text.ts';
import { seedSignedIssue } from '../publish/published-issue.ts';
import { launchBrowserHarness, type BrowserHarness } from './browser-harness.ts';
import { BULLETIN, PASSWORD, setupAdmin, startTestServer, userWithRole, waitForJob, type TestServer } from './helpers.ts';

interface FileRow {
  name: string;
  bytes: number;
  sha256: string;
}
interface IssueBody {
  id: number;
  state: string;
  renditionId: number | null;
  files: FileRow[];
  toc: { section: string; title: string; page: number }[];
}

let srv: TestServer;
let harness: BrowserHarness;
let admin: string;
let editor: string;
let chief: string;
let readerA: string;
let readerB: string;
let printer: { id: number; token: string };
let unitA: number;
let unitB: number;
let issueId: number;
let linkA: string;
let clockOffsetMs = 0;
/** sha256 of online/index.html as the typeset job recorded it, before sign-off */
let typesetSha = '';
const articleIds: number[] = [];

const INDEX = 'online/index.html';
const PHOTO_CAPTION = 'Đảng viên chi bộ ấp Trường Đông trao đổi kinh nghiệm';
const WIDE_TABLE =
  '<table><thead><tr>' +
  ['Đơn vị', 'Đảng viên', 'Tham dự', 'Tỉ lệ', 'Vắng có lý do', 'Vắng không lý do', 'Ghi chú của cấp ủy cơ sở'].map((h) => `<th>${h}</th>`).join('') +
  '</tr></thead><tbody>' +
  ['Đảng ủy xã Hòa Thành', 'Đảng ủy phường Tân Ninh'].map((u, i) => `<tr><td>${u}</td><td>${412 - i * 56}</td><td>${404 - i * 50}</td><td>98%</td><td>6</td><td>2</td><td>Sinh hoạt chuyên đề đúng kỳ hạn</td></tr>`).join('') +
  '</tbody></table>';

function sha256(buf: Uint8Array): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

async function get(p: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(srv.url + p, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, redirect: 'manual' });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

async function photoDataUri(): Promise<string> {
  // 1600 px wide: the online copy must come out at most 1000 px wide.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><defs><linearGradient id="g"><stop offset="0" stop-color="#a3161c"/><stop offset="1" stop-color="#f3c35a"/></linearGradient></defs><rect width="1600" height="1000" fill="url(#g)"/><circle cx="800" cy="500" r="300" fill="#fff" opacity="0.6"/></svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

beforeAll(async () => {
  srv = await startTestServer({ clock: () => new Date(Date.now() + clockOffsetMs) });
  harness = await launchBrowserHarness('bantin-online-');
  admin = await setupAdmin(srv.api);
  unitA = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Thành', kind: 'commune_committee' } })).body.id;
  unitB = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy phường Tân Ninh', kind: 'ward_committee' } })).body.id;
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  chief = (await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief')).token;
  printer = await userWithRole(srv.api, admin, 'nhain', 'print_shop');
  readerA = (await userWithRole(srv.api, admin, 'chibo-a', 'reader', unitA)).token;
  readerB = (await userWithRole(srv.api, admin, 'chibo-b', 'reader', unitB)).token;
  const contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unitA)).token;
  expect((await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN })).status).toBe(200);

  const bodies = [
    {
      title: 'Chi bộ ấp Trường Đông làm theo lời Bác',
      author: 'Trần Thị Ẩn',
      bodyHtml:
        '<p>Hơn hai mươi năm gắn bó với ấp, chi bộ vẫn giữ nếp sinh hoạt đúng kỳ hạn, dân chủ, thẳng thắn. Ặ Ễ Ở là những chữ có dấu chồng.</p>' +
        '<h3>Nền nếp sinh hoạt</h3>' +
        `<figure><img src="${await photoDataUri()}" alt="Sinh hoạt chi bộ"><figcaption>${PHOTO_CAPTION}</figcaption></figure>` +
        '<blockquote><p>Dân tin thì việc gì cũng thành.</p></blockquote>' +
        '<p>Xem thêm <a href="https://example.com/tin-tuc" onclick="alert(1)">trang tin của tỉnh</a>.</p>',
    },
    {
      title: 'Kết quả sinh hoạt chuyên đề quý IV',
      author: 'Lê Văn Đức',
      bodyHtml: `<p>Bảng tổng hợp kết quả sinh hoạt chuyên đề của các đảng bộ cơ sở trong quý.</p>${WIDE_TABLE}<p>Các chi bộ cần duy trì nền nếp này trong năm tới.</p>`,
    },
  ];
  for (const b of bodies) {
    const a = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: b });
    expect(a.status).toBe(201);
    for (const to of ['in_review', 'approved']) expect((await srv.api('POST', `/articles/${a.body.id}/transition`, { token: editor, json: { to } })).status).toBe(200);
    articleIds.push(a.body.id);
  }
  issueId = (await srv.api<{ id: number }>('POST', '/issues', { token: editor, json: { number: 11, date: '2026-11-15', printRun: 100 } })).body.id;
  const plan = await srv.api('PUT', `/issues/${issueId}/plan`, {
    token: editor,
    json: { sections: [{ title: 'Gương chi bộ, đảng viên', articleIds: [articleIds[0]] }, { title: 'Số liệu', articleIds: [articleIds[1]] }] },
  });
  expect(plan.status).toBe(200);
  const job = await srv.api<{ jobId: number }>('POST', `/issues/${issueId}/typeset`, { token: editor });
  expect(job.status).toBe(202);
  expect(await waitForJob(srv.api, editor, job.body.jobId)).toMatchObject({ state: 'done' });
  const link = await srv.api<{ url: string }>('POST', '/download-links', { token: editor, json: { unitId: unitA, expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() } });
  expect(link.status).toBe(201);
  linkA = new URL(link.body.url, srv.url).pathname;
}, 300_000);

afterAll(async () => {
  await harness?.close();
  await srv?.close({ removeData: true });
});

describe('the online edition of an issue', () => {
  it('is written with the rendition: index, stylesheet and pictures, each with its sha256 on disk', async () => {
    const issue = await srv.api<IssueBody>('GET', `/issues/${issueId}`, { token: editor });
    const index = issue.body.files.find((f) => f.name === INDEX);
    expect(index).toBeDefined();
    typesetSha = index!.sha256;
    const rendition = srv.running.runtime.store.renditions.get(issue.body.renditionId!)!;
    const online = rendition.files.filter((f) => f.name.startsWith('online/'));
    expect(online.map((f) => f.name).sort()).toEqual(['online/images/img-001.jpg', INDEX, 'online/online.css']);
    for (const f of online) {
      const bytes = fs.readFileSync(path.join(srv.dataDir, rendition.dir, f.name));
      expect(sha256(bytes), f.name).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }
    // The issue's file list offers the page, not its parts.
    expect(issue.body.files.some((f) => f.name.startsWith('online/images/'))).toBe(false);
    const photo = await sharp(path.join(srv.dataDir, rendition.dir, 'online/images/img-001.jpg')).metadata();
    expect(photo).toMatchObject({ format: 'jpeg', width: 1000, height: 625 });
  });

  it('is an editor preview before publication and unreachable for readers and links until then', async () => {
    expect((await get(`/api/v1/issues/${issueId}/files/${INDEX}`, editor)).status).toBe(200);
    expect((await get(`/api/v1/issues/${issueId}/files/${INDEX}`, readerA)).status).toBe(404);
    expect((await get(`/api/v1/issues/${issueId}/files/online/images/img-001.jpg`, readerA)).status).toBe(404);
    expect((await get(`${linkA}/issues/${issueId}/files/${INDEX}`)).status).toBe(404);
  });

  it('after publication to one unit opens exactly where screen.pdf opens', async () => {
    expect((await srv.api('POST', `/issues/${issueId}/sign-off`, { token: chief })).status).toBe(200);
    expect((await srv.api('POST', `/issues/${issueId}/send-to-print`, { token: chief, json: { userIds: [printer.id] } })).status).toBe(200);
    expect((await srv.api('POST', `/issues/${issueId}/publish`, { token: chief, json: { unitIds: [unitA] } })).status).toBe(200);
    const linkB = new URL((await srv.api<{ url: string }>('POST', '/download-links', { token: editor, json: { unitId: unitB, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } })).body.url, srv.url).pathname;

    const who: Array<[string, (name: string) => Promise<number>]> = [
      ['editor', async (n) => (await get(`/api/v1/issues/${issueId}/files/${n}`, editor)).status],
      ['reader of the unit', async (n) => (await get(`/api/v1/issues/${issueId}/files/${n}`, readerA)).status],
      ['download link of the unit', async (n) => (await get(`${linkA}/issues/${issueId}/files/${n}`)).status],
      ['reader of another unit', async (n) => (await get(`/api/v1/issues/${issueId}/files/${n}`, readerB)).status],
      ['download link of another unit', async (n) => (await get(`${linkB}/issues/${issueId}/files/${n}`)).status],
      ['print shop', async (n) => (await get(`/api/v1/issues/${issueId}/files/${n}`, printer.token)).status],
      ['anonymous', async (n) => (await get(`/api/v1/issues/${issueId}/files/${n}`)).status],
      ['made-up link', async (n) => (await get(`/d/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/issues/${issueId}/files/${n}`)).status],
    ];
    for (const [name, status] of who) {
      const screen = await status('screen.pdf');
      expect(await status(INDEX), `${name}: index like screen.pdf (${screen})`).toBe(screen);
      expect(await status('online/images/img-001.jpg'), `${name}: picture like screen.pdf (${screen})`).toBe(screen);
    }
    // The matrix above must not pass by everyone getting the same answer.
    expect(await who[1]![1](INDEX)).toBe(200);
    expect(await who[3]![1](INDEX)).toBe(404);
    expect(await who[5]![1](INDEX)).toBe(403);
    expect(await who[6]![1](INDEX)).toBe(401);
    expect(await who[7]![1](INDEX)).toBe(403);
  });

  it('is offered on the download link page and the archive', async () => {
    const list = await get(linkA, undefined, { accept: 'text/html' });
    expect(list.bytes.toString('utf8')).toContain(`<a class="btn" href="${linkA}/issues/${issueId}/files/${INDEX}">Đọc trực tuyến</a>`);
    const page = await harness.signIn(srv.url, 'chibo-a', PASSWORD);
    await page.goto(`${srv.url}/archive`, { waitUntil: 'domcontentloaded' });
    expect(await page.$$eval('.archive-actions a', (as) => as.map((a) => a.getAttribute('href')))).toContain(`/api/v1/issues/${issueId}/files/${INDEX}`);
    await page.close();
  });

  it('refuses revoked and expired download links', async () => {
    const made = await srv.api<{ id: number; url: string }>('POST', '/download-links', { token: editor, json: { unitId: unitA, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } });
    const link = new URL(made.body.url, srv.url).pathname;
    expect((await get(`${link}/issues/${issueId}/files/${INDEX}`)).status).toBe(200);
    clockOffsetMs = 3 * 86_400_000;
    try {
      expect((await get(`${link}/issues/${issueId}/files/${INDEX}`)).status).toBe(403);
    } finally {
      clockOffsetMs = 0;
    }
    expect((await srv.api('DELETE', `/download-links/${made.body.id}`, { token: editor })).status).toBe(200);
    const revoked = await get(`${link}/issues/${issueId}/files/${INDEX}`, undefined, { accept: 'text/html' });
    expect(revoked.status).toBe(403);
    expect(revoked.bytes.toString('utf8')).toContain('không còn hiệu lực');
  });

  it('says what the signed articles say: titles, authors, units, body text, captions and printed pages (NFC)', async () => {
    const served = (await get(`/api/v1/issues/${issueId}/files/${INDEX}`, readerA)).bytes;
    // Frozen: readers get the very bytes the typeset job wrote and sign-off sealed.
    expect(sha256(served)).toBe(typesetSha);
    const html = served.toString('utf8');
    expect(html.normalize('NFC')).toBe(html);
    const issue = await srv.api<IssueBody>('GET', `/issues/${issueId}`, { token: editor });
    for (const id of articleIds) {
      const a = (await srv.api<{ title: string; author: string; bodyHtml: string }>('GET', `/articles/${id}`, { token: editor })).body;
      const article = new RegExp(`<article class="article" id="[^"]+">([\\s\\S]*?)</article>`, 'g');
      const block = [...html.matchAll(article)].map((m) => m[1]!).find((b) => b.includes(`<h3 class="article-title">${a.title}</h3>`));
      expect(block, a.title).toBeDefined();
      expect(block).toContain(`<span class="byline-author">${a.author}</span>`);
      expect(block).toContain('<span class="byline-unit">Đảng ủy xã Hòa Thành</span>');
      const page = issue.body.toc.find((t) => t.title === a.title)!.page;
      expect(block).toContain(`<p class="article-page">trang ${page}</p>`);
      const body = /<div class="article-body">([\s\S]*?)<\/div>\s*<p class="back-to-toc">/.exec(block!)![1]!;
      expect(htmlToText(body).replace(/\s+/g, ' ')).toBe(htmlToText(a.bodyHtml).replace(/\s+/g, ' '));
    }
    expect(html).toContain(`<figcaption>${PHOTO_CAPTION}</figcaption>`);
    // Subheads sit below the article title (h3) in the page's outline.
    expect(html).toContain('<h4>Nền nếp sinh hoạt</h4>');
    expect(html).toContain('<blockquote><p>Dân tin thì việc gì cũng thành.</p></blockquote>');
    expect(html).toContain('<div class="table-scroll"><table>');
    // Nothing active and nothing remote survives into the page.
    expect(html).not.toMatch(/<script|onclick|https?:\/\/|src="data:/i);
  });

  it('is served as HTML with a strict CSP, revalidated by ETag, and never logged as a download', async () => {
    const before = (await srv.api<{ items: unknown[] }>('GET', `/issues/${issueId}/downloads`, { token: editor })).body.items.length;
    const page = await get(`/api/v1/issues/${issueId}/files/${INDEX}`, readerA);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(page.headers.get('cache-control')).toBe('private, no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const etag = page.headers.get('etag')!;
    expect(etag).toBe(`"${sha256(page.bytes)}"`);
    expect((await get(`/api/v1/issues/${issueId}/files/${INDEX}`, readerA, { 'if-none-match': etag })).status).toBe(304);
    expect((await get(`${linkA}/issues/${issueId}/files/online/online.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get(`${linkA}/issues/${issueId}/files/online/images/img-001.jpg`)).headers.get('content-type')).toBe('image/jpeg');
    const after = (await srv.api<{ items: unknown[] }>('GET', `/issues/${issueId}/downloads`, { token: editor })).body.items.length;
    expect(after).toBe(before);
  });

  it('refuses path tricks in file names', async () => {
    for (const trick of [
      'online/images/..%2F..%2Fprint.pdf',
      'online/..%2Fprint.pdf',
      'online%2F..%2Fprint.pdf',
      'online/images/img-001.png',
      'online/images/%2E%2E',
      'online/job.json',
      'online/images/img-1.jpg',
    ]) {
      const r = await get(`/api/v1/issues/${issueId}/files/${trick}`, readerA);
      expect(r.status, trick).toBe(404);
      expect(r.headers.get('content-type'), trick).toMatch(/json/);
    }
    expect((await get(`${linkA}/issues/${issueId}/files/online/images/..%2F..%2F..%2Fprint.pdf`)).status).toBe(404);
  });

  it('offers screen.pdf where an older rendition has no online edition', async () => {
    const old = await seedSignedIssue(srv.running.runtime.store, srv.dataDir, { number: 10, unitIds: [unitA] });
    expect((await get(`/api/v1/issues/${old.issueId}/files/${INDEX}`, readerA)).status).toBe(404);
    const page = await harness.signIn(srv.url, 'chibo-a', PASSWORD);
    await page.goto(`${srv.url}/archive/${old.issueId}`, { waitUntil: 'domcontentloaded' });
    expect(await page.$eval('main', (m) => (m as HTMLElement).innerText)).toContain('chưa có bản đọc trực tuyến');
    expect(await page.$eval('a.btn-primary', (a) => (a as HTMLAnchorElement).getAttribute('href'))).toBe(`/api/v1/issues/${old.issueId}/files/screen.pdf?inline=1`);
    await page.close();
  });

  it('reads on a 360 px phone without sideways scrolling, from the portal link; the wide table scrolls in its box', async () => {
    const page = await harness.signIn(srv.url, 'chibo-a', PASSWORD);
    await page.goto(`${srv.url}/archive/${issueId}`, { waitUntil: 'domcontentloaded' });
    await page.setViewport({ width: 360, height: 740, deviceScaleFactor: 1 });
    await page.screenshot({ path: path.join(harness.shotsDir, 'archive-issue-360.png'), fullPage: true });
    // The portal's table of contents opens each article at its place in the online edition.
    const tocLinks = await page.$$eval('.toc a', (as) => as.map((a) => a.getAttribute('href')));
    expect(tocLinks).toEqual([`/api/v1/issues/${issueId}/files/${INDEX}#bai-1`, `/api/v1/issues/${issueId}/files/${INDEX}#bai-2`]);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('a.btn-primary ::-p-text(Đọc trực tuyến)').click()]);
    expect(page.url()).toBe(`${srv.url}/api/v1/issues/${issueId}/files/${INDEX}`);
    await page.evaluate(() => Promise.all(Array.from(document.images).map((img) => (img.complete ? null : new Promise((r) => img.addEventListener('load', r, { once: true }))))));
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      stylesheetApplied: getComputedStyle(document.querySelector('.masthead')!).borderBottomStyle === 'solid',
      images: Array.from(document.images).map((img) => ({ natural: img.naturalWidth, shown: img.getBoundingClientRect().width })),
      table: (() => {
        const box = document.querySelector('.table-scroll')!;
        return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
      })(),
    }));
    expect(layout.stylesheetApplied).toBe(true);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
    expect(layout.images).toHaveLength(1);
    expect(layout.images[0]!.natural).toBe(1000);
    expect(layout.images[0]!.shown).toBeLessThanOrEqual(360);
    expect(layout.table.scrollWidth).toBeGreaterThan(layout.table.clientWidth);
    expect(await page.$$eval('article.article', (as) => as.map((a) => [a.id, a.querySelector('.article-title')?.textContent]))).toEqual([
      ['bai-1', 'Chi bộ ấp Trường Đông làm theo lời Bác'],
      ['bai-2', 'Kết quả sinh hoạt chuyên đề quý IV'],
    ]);
    await page.screenshot({ path: path.join(harness.shotsDir, 'online-360.png'), fullPage: true });
    await page.setViewport({ width: 1366, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: path.join(harness.shotsDir, 'online-1366.png') });
    // No script errors and no CSP refusals (a blocked stylesheet or picture would be reported here).
    expect(harness.errors).toEqual([]);
    await page.close();
  });
});
