/**
 * The whole composing path against the real app (real HTTP, real SQLite file, real Chromium in the
 * in-process worker): approved articles → issue + plan → typeset job → PDFs checked → sign-off →
 * send to print → print shop download (sha256 = the signed file) → publish → reader download with
 * Range → download link → revoked link refused.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFArray, PDFNumber } from 'pdf-lib';
import JSZip from 'jszip';
import sharp from 'sharp';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../fixtures/run-cli.ts';
import { BULLETIN, setupAdmin, startTestServer, userWithRole, waitForJob, type TestServer } from './helpers.ts';

interface IssueBody {
  id: number;
  state: string;
  pages: number | null;
  files: { name: string; bytes: number; sha256: string }[];
  toc: { section: string; title: string; page: number }[];
  preflight: { errors: number; findings: { severity: string; code: string; message: string }[] };
}
interface JobBody {
  jobId?: number;
  id: number;
  state: string;
  progress: number;
  attempts: number;
  message?: string;
  error?: string;
}

/** Whether the engine writes page thumbnails yet (the typesetting lane adds the option). */

let srv: TestServer;
let admin: string;
let editor: string;
let chief: string;
let printer: { id: number; token: string };
let printer2: string;
let readerA: string;
let readerB: string;
let unitA: number;
let unitB: number;
let issueId: number;
const articleIds: number[] = [];
const TITLES = ['Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh', 'Chi bộ ấp Trường Đông làm theo lời Bác', 'Đảng viên trẻ với chuyển đổi số'];

function sha256(buf: Uint8Array): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

async function download(p: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(srv.url + p, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** Reads a Server-Sent Events stream to its end. */
async function readEvents(p: string, token: string): Promise<{ event: string; data: JobBody }[]> {
  const res = await fetch(srv.url + p, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return text
    .split('\n\n')
    .map((block) => ({ event: /^event: (.+)$/m.exec(block)?.[1] ?? '', data: /^data: (.+)$/m.exec(block)?.[1] ?? '' }))
    .filter((e) => e.event)
    .map((e) => ({ event: e.event, data: JSON.parse(e.data) as JobBody }));
}

beforeAll(async () => {
  srv = await startTestServer();
  admin = await setupAdmin(srv.api);
  unitA = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Hòa Thành', kind: 'commune_committee' } })).body.id;
  unitB = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy phường Tân Ninh', kind: 'ward_committee' } })).body.id;
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  chief = (await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief')).token;
  printer = await userWithRole(srv.api, admin, 'nhain', 'print_shop');
  printer2 = (await userWithRole(srv.api, admin, 'nhain-du-phong', 'print_shop')).token;
  readerA = (await userWithRole(srv.api, admin, 'chibo-a', 'reader', unitA)).token;
  readerB = (await userWithRole(srv.api, admin, 'chibo-b', 'reader', unitB)).token;
  const contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unitA)).token;
  expect((await srv.api('PUT', '/bulletin', { token: admin, json: BULLETIN })).status).toBe(200);
  for (const title of TITLES) {
    const body = `<p>${title}: Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến, với sự tham dự của hơn 3.000 đảng viên. Ặ Ễ Ở là những chữ có dấu chồng.</p>`.repeat(6);
    const a = await srv.api<{ id: number }>('POST', '/articles', { token: contributor, json: { title, bodyHtml: body, author: 'Trần Thị Ẩn' } });
    expect(a.status).toBe(201);
    for (const to of ['in_review', 'approved']) expect((await srv.api('POST', `/articles/${a.body.id}/transition`, { token: editor, json: { to } })).status).toBe(200);
    articleIds.push(a.body.id);
  }
}, 120_000);

afterAll(async () => {
  await srv?.close();
});

describe('composing an issue end to end', () => {
  it('creates an issue and plans it in section order; placed articles become scheduled', async () => {
    const created = await srv.api<{ id: number; state: string }>('POST', '/issues', {
      token: editor,
      json: { number: 11, date: '2026-11-15', printRun: 3110, distribution: [{ unitId: unitA, copies: 3000 }, { unit: 'Lưu trữ Ban Tuyên giáo', copies: 110 }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('draft');
    issueId = created.body.id;
    const plan = await srv.api<{ sections: { title: string; articleIds: number[] }[] }>('PUT', `/issues/${issueId}/plan`, {
      token: editor,
      json: { sections: [{ title: 'Gương chi bộ, đảng viên', articleIds: [articleIds[1], articleIds[2]] }, { title: 'Văn bản, chính sách mới', articleIds: [articleIds[0]] }] },
    });
    expect(plan.status).toBe(200);
    expect(plan.body.sections.map((s) => s.title)).toEqual(['Gương chi bộ, đảng viên', 'Văn bản, chính sách mới']);
    const article = await srv.api<{ state: string }>('GET', `/articles/${articleIds[0]}`, { token: editor });
    expect(article.body.state).toBe('scheduled');
  });

  it('refuses sign-off before any rendition, with the reason (422)', async () => {
    const r = await srv.api<{ error: { code: string; message: string } }>('POST', `/issues/${issueId}/sign-off`, { token: chief });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/no rendition/);
  });

  it('typesets in the worker: two requests share one job, which ends done with a PDF whose TOC follows the plan', async () => {
    const [first, second] = await Promise.all([
      srv.api<JobBody>('POST', `/issues/${issueId}/typeset`, { token: editor }),
      srv.api<JobBody>('POST', `/issues/${issueId}/typeset`, { token: editor }),
    ]);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(typeof first.body.jobId).toBe('number');
    const events = readEvents(`/api/v1/jobs/${first.body.jobId}/events`, editor);
    const job = await waitForJob(srv.api, editor, first.body.jobId!);
    // The live feed the editor's screen follows: progress while running, then the end with the final state.
    const seen = await events;
    expect(seen.at(-1)).toMatchObject({ event: 'end', data: { state: 'done', progress: 100 } });
    expect(seen.some((e) => e.event === 'progress' && e.data.state === 'running')).toBe(true);
    expect(job, job.error).toMatchObject({ state: 'done', progress: 100 });
    if (second.body.jobId !== first.body.jobId) expect((await waitForJob(srv.api, editor, second.body.jobId!)).state).toBe('done');

    const issue = await srv.api<IssueBody>('GET', `/issues/${issueId}`, { token: editor });
    expect(issue.body.state).toBe('typeset');
    expect(issue.body.pages! % 4).toBe(0);
    expect(issue.body.files.map((f) => f.name)).toEqual(expect.arrayContaining(['print.pdf', 'screen.pdf', 'job.json', 'preflight.json']));
    expect(issue.body.toc.map((t) => t.title)).toEqual([TITLES[1], TITLES[2], TITLES[0]]);

    const pdf = await download(`/api/v1/issues/${issueId}/files/print.pdf`, editor);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(pdf.bytes)).toBe(issue.body.files.find((f) => f.name === 'print.pdf')!.sha256);
    const doc = await PDFDocument.load(pdf.bytes);
    expect(doc.getPageCount()).toBe(issue.body.pages);
    const trim = doc.getPage(0).node.lookup(PDFName.of('TrimBox'), PDFArray);
    const [x0, y0, x1, y1] = trim.asArray().map((n) => (n as PDFNumber).asNumber());
    expect(((x1! - x0!) * 25.4) / 72).toBeCloseTo(190, 0);
    expect(((y1! - y0!) * 25.4) / 72).toBeCloseTo(270, 0);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-e2e-'));
    fs.writeFileSync(path.join(tmp, 'print.pdf'), pdf.bytes);
    const text = execFileSync('pdftotext', ['-layout', path.join(tmp, 'print.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
    fs.rmSync(tmp, { recursive: true, force: true });
    const at = (t: string) => text.indexOf(t.slice(0, 20));
    expect(at(TITLES[1]!)).toBeGreaterThan(-1);
    expect(at(TITLES[1]!)).toBeLessThan(at(TITLES[0]!));
  });

  it('serves a re-typeset with unchanged inputs from the render cache: same files, new rendition', async () => {
    const before = await srv.api<IssueBody & { renditionId: number }>('GET', `/issues/${issueId}`, { token: editor });
    const again = await srv.api<JobBody>('POST', `/issues/${issueId}/typeset`, { token: editor });
    const job = await waitForJob(srv.api, editor, again.body.jobId!);
    expect(job).toMatchObject({ state: 'done', message: expect.stringContaining('reusing rendition') });
    const after = await srv.api<IssueBody & { renditionId: number }>('GET', `/issues/${issueId}`, { token: editor });
    expect(after.body.renditionId).not.toBe(before.body.renditionId);
    expect(after.body.files).toEqual(before.body.files);
    expect(after.body.state).toBe('typeset');
  });

  it('lets an editor change a placed article before sign-off: the rendition goes stale until one re-typeset', async () => {
    const article = await srv.api<{ version: number; bodyHtml: string }>('GET', `/articles/${articleIds[2]}`, { token: editor });
    const edited = `${article.body.bodyHtml}<p>Đoạn bổ sung sau lần dàn trang: Ban biên tập cập nhật số liệu quý IV.</p>`;
    const saved = await srv.api<{ version: number }>('PATCH', `/articles/${articleIds[2]}`, { token: editor, json: { version: article.body.version, bodyHtml: edited } });
    expect(saved.status).toBe(200);
    expect((await srv.api<{ state: string }>('GET', `/articles/${articleIds[2]}`, { token: editor })).body.state).toBe('scheduled');

    const stale = await srv.api<IssueBody & { current: boolean; editedSinceTypeset: { articleId: number; title: string }[] }>('GET', `/issues/${issueId}`, { token: editor });
    expect(stale.body).toMatchObject({ state: 'draft', current: false, editedSinceTypeset: [{ articleId: articleIds[2], title: TITLES[2] }] });
    const refused = await srv.api<{ error: { message: string } }>('POST', `/issues/${issueId}/sign-off`, { token: chief });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('typeset again');

    const again = await srv.api<JobBody>('POST', `/issues/${issueId}/typeset`, { token: editor });
    const job = await waitForJob(srv.api, editor, again.body.jobId!);
    expect(job.state, job.error).toBe('done');
    expect(job.message ?? '').not.toContain('reusing rendition');
    const fresh = await srv.api<IssueBody & { current: boolean; editedSinceTypeset: unknown[] }>('GET', `/issues/${issueId}`, { token: editor });
    expect(fresh.body).toMatchObject({ state: 'typeset', current: true, editedSinceTypeset: [] });
    const screen = await download(`/api/v1/issues/${issueId}/files/screen.pdf`, editor);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-edited-'));
    fs.writeFileSync(path.join(tmp, 's.pdf'), screen.bytes);
    const text = execFileSync('pdftotext', [path.join(tmp, 's.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(text).toContain('cập nhật số liệu quý IV');
  });

  it('exports the issue as a zip in the file format that the engine loads with the same plan', async () => {
    const res = await download(`/api/v1/issues/${issueId}/export`, editor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = await JSZip.loadAsync(res.bytes);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-export-test-'));
    try {
      for (const [name, entry] of Object.entries(zip.files)) {
        if (entry.dir) continue;
        fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
        fs.writeFileSync(path.join(tmp, name), await entry.async('nodebuffer'));
      }
      const plan = await loadIssue(path.join(tmp, '2026-11'));
      expect(plan.sections.map((s) => s.title)).toEqual(['Gương chi bộ, đảng viên', 'Văn bản, chính sách mới']);
      expect(plan.sections.flatMap((s) => s.articles.map((a) => a.title))).toEqual([TITLES[1], TITLES[2], TITLES[0]]);
      expect(plan).toMatchObject({ number: 11, printRun: 3110, bulletin: { name: BULLETIN.name } });

      // `bantin build` of the export gives the app's rendition again: same pages, same text.
      const built = await runCliCaptured(process.env, ['build', path.join(tmp, '2026-11'), '--out', path.join(tmp, 'out'), '--profile', 'screen']);
      expect(built.code, built.stderr).toBeLessThan(2);
      const app = await download(`/api/v1/issues/${issueId}/files/screen.pdf`, editor);
      fs.writeFileSync(path.join(tmp, 'app.pdf'), app.bytes);
      const textOf = (file: string) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ').trim();
      const pagesOf = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
      expect(pagesOf(path.join(tmp, 'out', 'screen.pdf'))).toBe(pagesOf(path.join(tmp, 'app.pdf')));
      expect(textOf(path.join(tmp, 'out', 'screen.pdf'))).toBe(textOf(path.join(tmp, 'app.pdf')));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps unpublished renditions from readers, contributors and print shops it was not sent to', async () => {
    expect((await srv.api('GET', `/issues/${issueId}`, { token: readerA })).status).toBe(404);
    expect((await download(`/api/v1/issues/${issueId}/files/screen.pdf`, readerA)).status).toBe(404);
    expect((await download(`/api/v1/issues/${issueId}/files/print.pdf`, printer.token)).status).toBe(404);
    expect((await srv.api('POST', `/issues/${issueId}/sign-off`, { token: editor })).status).toBe(403);
  });

  it('signs off, sends to every print shop, and the print shop gets exactly the signed file', async () => {
    const signed = await srv.api<IssueBody>('POST', `/issues/${issueId}/sign-off`, { token: chief });
    expect(signed.status).toBe(200);
    expect(signed.body.state).toBe('signed_off');
    const signedSha = signed.body.files.find((f) => f.name === 'print.pdf')!.sha256;
    expect((await srv.api('PUT', `/issues/${issueId}/plan`, { token: editor, json: { sections: [] } })).status).toBe(422);

    const sent = await srv.api<IssueBody>('POST', `/issues/${issueId}/send-to-print`, { token: chief, json: { userIds: [printer.id] } });
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe('sent_to_print');
    // Named print shops only; the other one learns nothing until it is sent to every print shop.
    expect((await download(`/api/v1/issues/${issueId}/files/print.pdf`, printer2)).status).toBe(404);
    expect((await srv.api('POST', `/issues/${issueId}/send-to-print`, { token: chief })).status).toBe(200);
    expect((await download(`/api/v1/issues/${issueId}/files/print.pdf`, printer2)).status).toBe(200);
    const inbox = await srv.api<{ items: { id: number }[] }>('GET', '/issues', { token: printer.token });
    expect(inbox.body.items.map((i) => i.id)).toEqual([issueId]);
    const got = await download(`/api/v1/issues/${issueId}/files/print.pdf`, printer.token);
    expect(got.status).toBe(200);
    expect(sha256(got.bytes)).toBe(signedSha);
    expect(got.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''/);
    expect((await download(`/api/v1/issues/${issueId}/files/screen.pdf`, printer.token)).status).toBe(403);

    // The job ticket as a printable page and the distribution list travel with the signed rendition.
    const ticket = await download(`/api/v1/issues/${issueId}/files/print-ticket.pdf`, printer.token);
    expect(ticket.status).toBe(200);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-ticket-'));
    fs.writeFileSync(path.join(tmp, 't.pdf'), ticket.bytes);
    const text = execFileSync('pdftotext', [path.join(tmp, 't.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(text).toContain('PHIẾU ĐẶT IN');
    expect(text).toContain('3.110 bản');
    expect(text).toContain('Đảng ủy xã Hòa Thành');
    const csv = await download(`/api/v1/issues/${issueId}/files/distribution.csv`, printer.token);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.bytes.toString('utf8')).toContain('Lưu trữ Ban Tuyên giáo,110');

    expect((await srv.api('POST', `/issues/${issueId}/received`, { token: editor })).status).toBe(403);
    expect((await srv.api('POST', `/issues/${issueId}/received`, { token: printer.token })).status).toBe(200);
    const seen = await srv.api<{ printShops: { userId: number; receivedAt: string | null }[] }>('GET', `/issues/${issueId}`, { token: editor });
    expect(seen.body.printShops).toEqual(expect.arrayContaining([expect.objectContaining({ userId: printer.id, receivedAt: expect.any(String) })]));
    expect(seen.body.printShops).toHaveLength(2);
  });

  it('refuses to edit a placed article once its issue is signed off (422 naming the reissue), keeping the article as it was', async () => {
    const before = await srv.api<{ version: number; bodyHtml: string }>('GET', `/articles/${articleIds[0]}`, { token: editor });
    const r = await srv.api<{ error: { message: string } }>('PATCH', `/articles/${articleIds[0]}`, { token: editor, json: { version: before.body.version, bodyHtml: '<p>Sửa sau khi duyệt in.</p>' } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain('reissue');
    const after = await srv.api<{ version: number; bodyHtml: string }>('GET', `/articles/${articleIds[0]}`, { token: editor });
    expect(after.body).toMatchObject({ version: before.body.version, bodyHtml: before.body.bodyHtml });
  });

  it('publishes to one unit: its reader downloads with Range and conditional GET, the other unit sees nothing', async () => {
    const pub = await srv.api<IssueBody>('POST', `/issues/${issueId}/publish`, { token: chief, json: { unitIds: [unitA] } });
    expect(pub.status).toBe(200);
    expect(pub.body.state).toBe('published');

    const list = await srv.api<{ items: { id: number; pages: number; files: { name: string; sha256: string; bytes: number }[] }[] }>('GET', '/published', { token: readerA });
    expect(list.body.items.map((i) => i.id)).toEqual([issueId]);
    const screen = list.body.items[0]!.files.find((f) => f.name === 'screen.pdf')!;
    expect((await srv.api<{ items: unknown[] }>('GET', '/published', { token: readerB })).body.items).toEqual([]);
    expect((await download(`/api/v1/issues/${issueId}/files/screen.pdf`, readerB)).status).toBe(404);
    expect((await download(`/api/v1/issues/${issueId}/files/print.pdf`, readerA)).status).toBe(403);

    const url = `/api/v1/issues/${issueId}/files/screen.pdf`;
    const whole = await download(url, readerA);
    expect(whole.status).toBe(200);
    expect(sha256(whole.bytes)).toBe(screen.sha256);
    const part = await download(url, readerA, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${screen.bytes}`);
    expect(part.bytes.equals(whole.bytes.subarray(100, 200))).toBe(true);
    expect((await download(url, readerA, { range: `bytes=${screen.bytes + 10}-` })).status).toBe(416);
    expect((await download(url, readerA, { 'if-none-match': whole.headers.get('etag')! })).status).toBe(304);

    const log = await srv.api<{ items: { file: string; unitId: number | null; status: number; bytes: number }[] }>('GET', `/issues/${issueId}/downloads`, { token: editor });
    expect(log.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'print.pdf', status: 200 }),
        expect.objectContaining({ file: 'screen.pdf', unitId: unitA, status: 200, bytes: screen.bytes }),
        expect.objectContaining({ file: 'screen.pdf', unitId: unitA, status: 206, bytes: 100 }),
      ]),
    );
  });

  it('keeps one page thumbnail per page with the signed rendition, shown to whoever may read screen.pdf', async () => {
    const issue = await srv.api<IssueBody & { thumbnails: { page: number; name: string; articles: string[] }[] }>('GET', `/issues/${issueId}`, { token: editor });
    expect(issue.body.thumbnails.map((t) => t.page)).toEqual(Array.from({ length: issue.body.pages! }, (_, i) => i + 1));
    expect(issue.body.files.some((f) => f.name.startsWith('thumbnails/'))).toBe(false);
    for (const t of issue.body.toc) expect(issue.body.thumbnails[t.page - 1]!.articles).toContain(t.title);
    const renditions = await srv.api<{ items: { id: number; files: { name: string; sha256: string }[] }[] }>('GET', `/issues/${issueId}/renditions`, { token: editor });
    const recorded = renditions.body.items[0]!.files.find((f) => f.name === issue.body.thumbnails[0]!.name)!;
    const url = `/api/v1/issues/${issueId}/files/${issue.body.thumbnails[0]!.name}`;
    const got = await download(url, readerA);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(sha256(got.bytes)).toBe(recorded.sha256);
    expect((await sharp(got.bytes).metadata()).width).toBe(240);
    expect((await download(url, readerB)).status).toBe(404);
    expect((await download(url, printer.token)).status).toBe(403);
    // Looking at the page grid is not downloading the issue.
    const log = await srv.api<{ items: { file: string }[] }>('GET', `/issues/${issueId}/downloads`, { token: editor });
    expect(log.body.items.some((d) => d.file.startsWith('thumbnails/'))).toBe(false);
  });

  it('opens the unit’s published issues through a download link without login, until it is revoked', async () => {
    const created = await srv.api<{ id: number; url: string }>('POST', '/download-links', { token: editor, json: { unitId: unitA, expiresAt: '2027-01-31' } });
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(/^\/d\/[A-Za-z0-9_-]+$/);
    const listing = await fetch(srv.url + created.body.url);
    expect(listing.status).toBe(200);
    const json = (await listing.json()) as { items: { id: number; files: { name: string; url: string }[] }[] };
    expect(json.items.map((i) => i.id)).toEqual([issueId]);
    const file = await download(json.items[0]!.files.find((f) => f.name === 'screen.pdf')!.url);
    expect(file.status).toBe(200);
    const html = await fetch(srv.url + created.body.url, { headers: { accept: 'text/html' } });
    expect(await html.text()).toContain('Số 11 – Tháng 11/2026');

    const other = await srv.api<{ url: string }>('POST', '/download-links', { token: editor, json: { unitId: unitB, expiresAt: '2027-01-31' } });
    expect(((await (await fetch(srv.url + other.body.url)).json()) as { items: unknown[] }).items).toEqual([]);

    expect((await srv.api('DELETE', `/download-links/${created.body.id}`, { token: editor })).status).toBe(200);
    expect((await fetch(srv.url + created.body.url)).status).toBe(403);
    const expired = await srv.api<{ url: string }>('POST', '/download-links', { token: editor, json: { unitId: unitA, expiresAt: '2020-01-01' } });
    expect((await fetch(srv.url + expired.body.url)).status).toBe(403);
  });

  it('changes a published issue only through a new version with a reason; the old version keeps its files', async () => {
    expect((await srv.api('POST', `/issues/${issueId}/reissue`, { token: editor, json: { reason: 'Sửa lỗi chính tả' } })).status).toBe(403);
    expect((await srv.api('POST', `/issues/${issueId}/reissue`, { token: chief, json: {} })).status).toBe(400);
    const v2 = await srv.api<IssueBody & { version: number; versionReason: string; sections: { articleIds: number[] }[] }>('POST', `/issues/${issueId}/reissue`, {
      token: chief,
      json: { reason: 'Sửa lỗi chính tả ở trang 2' },
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ state: 'draft', version: 2, versionReason: 'Sửa lỗi chính tả ở trang 2', pages: null });
    expect(v2.body.sections.flatMap((s) => s.articleIds)).toEqual([articleIds[1], articleIds[2], articleIds[0]]);
    const old = await srv.api<IssueBody>('GET', `/issues/${issueId}`, { token: readerA });
    expect(old.body.state).toBe('published');
    expect((await download(`/api/v1/issues/${issueId}/files/screen.pdf`, readerA)).status).toBe(200);
    expect((await srv.api('POST', `/issues/${v2.body.id}/reissue`, { token: chief, json: { reason: 'x' } })).status).toBe(422);
  });

  it('survives a server restart during a typeset job: the job is re-queued and finishes, never stuck running', async () => {
    const a = await srv.api<{ id: number }>('POST', '/articles', { token: editor, json: { title: 'Tin mới sau khởi động lại', bodyHtml: `<p>${'Nội dung dài để bản dàn trang kéo dài vài giây. '.repeat(40)}</p>`.repeat(30) } });
    for (const to of ['in_review', 'approved']) await srv.api('POST', `/articles/${a.body.id}/transition`, { token: editor, json: { to } });
    const issue = await srv.api<{ id: number }>('POST', '/issues', { token: editor, json: { number: 12, date: '2026-12-15', printRun: 500 } });
    await srv.api('PUT', `/issues/${issue.body.id}/plan`, { token: editor, json: { sections: [{ title: 'Tin tức – sự kiện', articleIds: [a.body.id] }] } });
    const { body } = await srv.api<JobBody>('POST', `/issues/${issue.body.id}/typeset`, { token: editor });
    for (let state = 'queued'; state === 'queued'; ) {
      state = (await srv.api<JobBody>('GET', `/jobs/${body.jobId}`, { token: editor })).body.state;
      await new Promise((r) => setTimeout(r, 50));
    }
    const dataDir = srv.dataDir;
    await srv.close();
    srv = await startTestServer({ dataDir });
    const job = await waitForJob(srv.api, editor, body.jobId!);
    expect(job).toMatchObject({ state: 'done', attempts: 2 });
    expect((await srv.api<IssueBody>('GET', `/issues/${issue.body.id}`, { token: editor })).body.state).toBe('typeset');

    // Published without unitIds: every unit's readers see it.
    expect((await srv.api('POST', `/issues/${issue.body.id}/sign-off`, { token: chief })).status).toBe(200);
    expect((await srv.api('POST', `/issues/${issue.body.id}/publish`, { token: chief })).status).toBe(200);
    for (const token of [readerA, readerB]) {
      expect((await srv.api<{ items: { id: number }[] }>('GET', '/published', { token })).body.items.map((i) => i.id)).toContain(issue.body.id);
    }
  });
});
