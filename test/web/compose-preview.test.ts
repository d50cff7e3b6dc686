/**
 * Single-article preview over real HTTP, real SQLite and real Chromium: an editor previews an article that
 * is not placed in any issue, gets a small screen PDF with the article's text on the page it starts on,
 * only they can open it; other roles are refused; one preview per person at a time (429), and the
 * preview leaves issues and typeset jobs alone. The in-process typeset worker is off: previews have
 * their own browser and do not need it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULLETIN, PASSWORD, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';
import { csrfOf, signIn, Visitor } from './ui-harness.ts';

interface PreviewBody {
  id: string;
  articleId: number;
  pages: number;
  articlePage: number | null;
  url: string;
  files: { name: string; bytes: number; url: string }[];
  thumbnails: { page: number; url: string; articles: string[] }[];
  issueId: number | null;
  layout: string;
  trim: { widthMm: number; heightMm: number };
  inputHash: string;
  fromCache: boolean;
}

const MM = 72 / 25.4;

/** Every page's TrimBox in millimetres, rounded to 0.1 mm. */
async function trimBoxesMm(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((pg) => {
    const t = pg.getTrimBox();
    return `${(t.width / MM).toFixed(1)} × ${(t.height / MM).toFixed(1)}`;
  });
}

const ENGINE_THUMBNAILS = fs.readFileSync(new URL('../../src/typeset/build.ts', import.meta.url), 'utf8').includes('thumbnails');

let srv: TestServer;
let admin: string;
let editor: string;
let editor2: string;
let contributor: string;
let reader: string;
let articleId: number;
let otherArticleId: number;
const TITLE = 'Chi bộ ấp Trường Đông làm theo lời Bác';

async function pdfText(bytes: Uint8Array, page?: number): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-preview-'));
  try {
    fs.writeFileSync(path.join(tmp, 'p.pdf'), bytes);
    const range = page ? ['-f', String(page), '-l', String(page)] : [];
    return execFileSync('pdftotext', [...range, path.join(tmp, 'p.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function get(p: string, token: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const res = await fetch(srv.url + p, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

beforeAll(async () => {
  srv = await startTestServer({ config: { inProcessWorker: false } });
  admin = await setupAdmin(srv.api);
  const unitId = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Thành', kind: 'commune_committee' } })).body.id;
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  editor2 = (await userWithRole(srv.api, admin, 'bientap2', 'editor')).token;
  contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unitId)).token;
  reader = (await userWithRole(srv.api, admin, 'docgia', 'reader', unitId)).token;
  expect((await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN })).status).toBe(200);
  const body = '<p>Chi bộ duy trì sinh hoạt chuyên đề hằng tháng, mỗi đảng viên đăng ký một việc làm theo lời Bác. Ặ Ễ Ở.</p>'.repeat(8);
  const a = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title: TITLE, bodyHtml: body, author: 'Lê Văn Ấn' } });
  articleId = a.body.id;
  otherArticleId = (await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title: 'Bài thứ hai để xem thử', bodyHtml: '<p>Đoạn văn ngắn.</p>' } })).body.id;
}, 120_000);

afterAll(async () => {
  await srv?.close({ removeData: true });
});

describe('single-article preview', () => {
  it('typesets one article that is in no issue into a small screen PDF that only the editor who asked can open', async () => {
    const r = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ articleId, url: expect.stringMatching(/^\/api\/v1\/previews\/[\w-]+\/screen\.pdf$/) });
    expect(r.body.articlePage).toBeGreaterThanOrEqual(1);

    const pdf = await get(r.body.url, editor);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect((await PDFDocument.load(pdf.bytes)).getPageCount()).toBe(r.body.pages);
    const text = await pdfText(pdf.bytes, r.body.articlePage!);
    expect(text).toContain(TITLE.slice(0, 20));
    expect(text).toContain('mỗi đảng viên đăng ký một việc làm theo lời Bác');

    if (ENGINE_THUMBNAILS) {
      expect(r.body.thumbnails.map((t) => t.page)).toEqual(Array.from({ length: r.body.pages }, (_, i) => i + 1));
      expect(r.body.thumbnails[r.body.articlePage! - 1]!.articles).toEqual([TITLE]);
      const thumb = await get(r.body.thumbnails[0]!.url, editor);
      expect([thumb.status, thumb.type]).toEqual([200, 'image/jpeg']);
    } else {
      expect(r.body.thumbnails).toEqual([]);
    }

    // Someone else's preview is nobody else's business, not even another editor's.
    expect((await get(r.body.url, editor2)).status).toBe(404);
    expect((await srv.api('GET', `/previews/${r.body.id}`, { token: editor2 })).status).toBe(404);
    // Nothing about issues or jobs changed.
    expect((await srv.api<{ items: unknown[] }>('GET', '/issues', { token: editor })).body.items).toEqual([]);
    expect(r.body).toMatchObject({ issueId: null, layout: 'standard', trim: { widthMm: 190, heightMm: 270 } });
    expect((await srv.api<{ state: string }>('GET', `/articles/${articleId}`, { token: editor })).body.state).toBe('submitted');
  });

  it('keeps only the newest preview of each editor', async () => {
    const first = await srv.api<PreviewBody>('GET', '/previews/none', { token: editor });
    expect(first.status).toBe(404);
    const a = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor });
    const b = await srv.api<PreviewBody>('POST', `/articles/${otherArticleId}/preview`, { token: editor });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await get(a.body.url, editor)).status).toBe(404);
    expect((await get(b.body.url, editor)).status).toBe(200);
  });

  it("sets the article in the chosen issue's trim and layout, and serves unchanged inputs from cache keyed by both", async () => {
    const created = await srv.api<{ id: number }>('POST', '/issues', { token: editor, json: { number: 7, date: '2026-07-15', printRun: 100, layout: 'standard', trim: { width: '170mm', height: '240mm' } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const issueId = created.body.id;

    const inIssue = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor, json: { issueId } });
    expect(inIssue.status, JSON.stringify(inIssue.body)).toBe(201);
    expect(inIssue.body).toMatchObject({ issueId, layout: 'standard', trim: { widthMm: 170, heightMm: 240 }, fromCache: false });
    const boxes = await trimBoxesMm((await get(inIssue.body.url, editor)).bytes);
    expect(new Set(boxes)).toEqual(new Set(['170.0 × 240.0']));
    expect(boxes).toHaveLength(inIssue.body.pages);

    // Same article, same issue settings: the same files again, without a new render.
    const again = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor, json: { issueId } });
    expect(again.body).toMatchObject({ id: inIssue.body.id, inputHash: inIssue.body.inputHash, fromCache: true });
    expect((await get(again.body.url, editor)).status).toBe(200);

    // No issue named: the defaults a new issue gets (standard, 190 × 270 mm), under another key.
    const plain = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor });
    expect(plain.body).toMatchObject({ issueId: null, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, fromCache: false });
    expect(plain.body.inputHash).not.toBe(inIssue.body.inputHash);
    expect(new Set(await trimBoxesMm((await get(plain.body.url, editor)).bytes))).toEqual(new Set(['190.0 × 270.0']));

    // The issue's trim changes: a new key and a new render in the new size.
    expect((await srv.api('PATCH', `/issues/${issueId}`, { token: editor, json: { trim: { width: '175mm', height: '250mm' } } })).status).toBe(200);
    const resized = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor, json: { issueId } });
    expect(resized.body).toMatchObject({ trim: { widthMm: 175, heightMm: 250 }, fromCache: false });
    expect(resized.body.inputHash).not.toBe(inIssue.body.inputHash);
    expect(new Set(await trimBoxesMm((await get(resized.body.url, editor)).bytes))).toEqual(new Set(['175.0 × 250.0']));

    // A second editor asking for the same inputs shares the kept files.
    const shared = await srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor2, json: { issueId } });
    expect(shared.body).toMatchObject({ id: resized.body.id, fromCache: true });

    // Only the layout changes (to one this server does not have): were the layout not part of the key,
    // the 175 × 250 preview above would be served again; instead the engine is asked and names the layout.
    expect((await srv.api('PATCH', `/issues/${issueId}`, { token: editor, json: { layout: 'khong-co-mau-nay' } })).status).toBe(200);
    const unknownLayout = await srv.api<{ error: { message: string } }>('POST', `/articles/${articleId}/preview`, { token: editor, json: { issueId } });
    expect(unknownLayout.status).toBe(404);
    expect(unknownLayout.body.error.message).toContain('khong-co-mau-nay');
    // The first editor let go of the shared preview by asking for a new one; the second still has it.
    expect((await get(shared.body.url, editor2)).status).toBe(200);
    expect((await get(shared.body.url, editor)).status).toBe(404);
    // Bad issue ids are refused.

    expect((await srv.api('POST', `/articles/${articleId}/preview`, { token: editor, json: { issueId: 999999 } })).status).toBe(404);
    expect((await srv.api('POST', `/articles/${articleId}/preview`, { token: editor, json: { issueId: 'abc' } })).status).toBe(400);
  });

  it('from the issue screen: "Xem thử dàn trang" sets the chosen approved article in that issue\'s trim', async () => {
    const approved = (await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title: 'Bài đã duyệt để xem thử trong số', bodyHtml: '<p>Nội dung đã duyệt, đủ dài để dàn một trang.</p>'.repeat(6) } })).body.id;
    for (const to of ['in_review', 'approved']) expect((await srv.api('POST', `/articles/${approved}/transition`, { token: editor, json: { to } })).status).toBe(200);
    const issueId = (await srv.api<{ id: number }>('POST', '/issues', { token: editor, json: { number: 8, date: '2026-08-15', printRun: 50, trim: { width: '170mm', height: '240mm' } } })).body.id;

    const page = new Visitor(srv.url);
    await signIn(page, 'bientap', PASSWORD);
    const screen = await page.get(`/issues/${issueId}`);
    expect(screen.html).toContain(`formaction="/issues/${issueId}/article-preview"`);
    expect(screen.html).toContain(`<option value="${approved}"`);

    const nothingChosen = await page.post(`/issues/${issueId}/article-preview`, { _csrf: csrfOf(screen.html), articleId: '' });
    expect([nothingChosen.status, nothingChosen.location]).toEqual([303, `/issues/${issueId}`]);

    const made = await page.post(`/issues/${issueId}/article-preview`, { _csrf: csrfOf(screen.html), articleId: String(approved), section: 'Tin tức' });
    expect(made.status).toBe(303);
    expect(made.location).toMatch(/^\/previews\/[\w-]+$/);
    const shown = await page.get(made.location!);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('khổ 170 × 240 mm của <a href="/issues/' + issueId + '">Số 8 – Tháng 8/2026</a>');
    // "Xem thử lại" stays in the same issue.
    expect(shown.html).toContain(`<input type="hidden" name="issueId" value="${issueId}">`);
    const previewId = made.location!.split('/').pop()!;
    const pdf = await get(`/api/v1/previews/${previewId}/screen.pdf`, editor);
    expect(new Set(await trimBoxesMm(pdf.bytes))).toEqual(new Set(['170.0 × 240.0']));
  });

  it('lets each editor have one preview in the making: a second request meanwhile is 429, another editor is served', async () => {
    const [one, two, other] = await Promise.all([
      srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor }),
      srv.api<{ error: { code: string } }>('POST', `/articles/${articleId}/preview`, { token: editor }),
      srv.api<PreviewBody>('POST', `/articles/${articleId}/preview`, { token: editor2 }),
    ]);
    expect([one.status, two.status, other.status].sort()).toEqual([201, 201, 429]);
    expect(one.status === 429 ? one.body : two.body).toMatchObject({ error: { code: 'too_many_requests' } });
  });

  it('refuses contributors and readers (403) and unknown articles (404)', async () => {
    expect((await srv.api('POST', `/articles/${articleId}/preview`, { token: contributor })).status).toBe(403);
    expect((await srv.api('POST', `/articles/${articleId}/preview`, { token: reader })).status).toBe(403);
    expect((await srv.api('POST', '/articles/999999/preview', { token: editor })).status).toBe(404);
  });
});
