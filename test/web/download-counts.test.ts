/**
 * What counts as a download (issue #7), over real HTTP, real SQLite and a real PDF on disk: the PDF an
 * editor sees embedded in the issue screen is not a download (nor its Range requests); a reader fetching
 * the PDF in several Range requests is one download that day, and again the next day; an editor saving the
 * file as an attachment still counts. Days are Vietnam's (UTC+7). The issue screen's "Lượt tải", the reports and the per-unit report
 * agree; the raw log keeps every request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';
import { signIn, Visitor } from './ui-harness.ts';
import { seedSignedIssue } from '../publish/published-issue.ts';

let now = new Date('2026-11-20T08:00:00.000Z');
let srv: TestServer;
let admin: string;
let editor: { id: number; token: string };
let reader: { id: number; token: string };
let editorPage: Visitor;
let issueId: number;
let pdfBytes: number;

async function fetchFile(url: string, token: string, range?: string): Promise<number> {
  const res = await fetch(srv.url + url, { headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) } });
  await res.arrayBuffer();
  return res.status;
}

async function screenCount(): Promise<number> {
  const page = await editorPage.get(`/issues/${issueId}`);
  expect(page.status).toBe(200);
  const m = /Lượt tải \((\d+)\)/.exec(page.html);
  if (!m) throw new Error('no "Lượt tải" on the issue screen');
  return Number(m[1]);
}

async function logLength(): Promise<number> {
  return (await srv.api<{ items: unknown[] }>('GET', `/issues/${issueId}/downloads`, { token: editor.token })).body.items.length;
}

async function reportRow(table: 'downloadsPerIssue' | 'downloadsPerUnit', label: string): Promise<number | undefined> {
  const csv = await editorPage.get(`/reports/${table}.csv`);
  expect(csv.status).toBe(200);
  const line = csv.html.split(/\r?\n/).find((l) => l.includes(label));
  return line === undefined ? undefined : Number(line.split(',')[1]);
}

beforeAll(async () => {
  srv = await startTestServer({ config: { inProcessWorker: false }, clock: () => now });
  admin = await setupAdmin(srv.api);
  const unit = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Chi bộ ấp Bình Minh', kind: 'party_cell' } })).body.id;
  editor = await userWithRole(srv.api, admin, 'bientap', 'editor');
  reader = await userWithRole(srv.api, admin, 'docgia', 'reader', unit);
  const seeded = await seedSignedIssue(srv.running.runtime.store, srv.dataDir, { number: 9, unitIds: [unit] });
  issueId = seeded.issueId;
  pdfBytes = seeded.pdf.length;
  editorPage = new Visitor(srv.url);
  await signIn(editorPage, 'bientap', PASSWORD);
}, 120_000);

afterAll(async () => {
  await srv?.close({ removeData: true });
});

describe('download counting', () => {
  it('the PDF embedded in the issue screen is not a download, however the viewer fetches it', async () => {
    const page = await editorPage.get(`/issues/${issueId}`);
    const frame = /<iframe[^>]*class="preview-frame"[^>]*>/.exec(page.html)?.[0] ?? '';
    // Handlebars escapes "=" in attributes as &#x3D;: read the address as the browser does.
    const url = /src="([^"]+)"/.exec(frame)?.[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(url, 'the issue screen embeds the PDF').toMatch(/^\/api\/v1\/issues\/\d+\/files\/screen\.pdf/);
    expect(await fetchFile(url!, editor.token)).toBe(200);
    expect(await fetchFile(url!, editor.token, 'bytes=0-99')).toBe(206);
    expect(await fetchFile(url!, editor.token, 'bytes=100-')).toBe(206);
    expect(await logLength()).toBe(0);
    expect(await screenCount()).toBe(0);
  });

  it("a reader's Range requests for one file on one day are one download; the next day is another", async () => {
    const url = `/api/v1/issues/${issueId}/files/screen.pdf`;
    expect(await fetchFile(url, reader.token, 'bytes=0-99')).toBe(206);
    expect(await fetchFile(url, reader.token, 'bytes=100-999')).toBe(206);
    expect(await fetchFile(url, reader.token, `bytes=1000-${pdfBytes - 1}`)).toBe(206);
    // Even ?inline=1 from a reader is a download: only the office's inline view is exempt.
    expect(await fetchFile(`${url}?inline=1`, reader.token)).toBe(200);
    expect(await logLength()).toBe(4);
    expect(await screenCount()).toBe(1);

    // 01:30 the next morning in Vietnam (still 20 November in UTC): a new day for the reader.
    now = new Date('2026-11-20T18:30:00.000Z');
    expect(await fetchFile(url, reader.token, 'bytes=0-99')).toBe(206);
    expect(await fetchFile(url, reader.token, 'bytes=100-')).toBe(206);
    expect(await screenCount()).toBe(2);
    expect(await reportRow('downloadsPerUnit', 'Chi bộ ấp Bình Minh')).toBe(2);
  });

  it('an editor saving the file (attachment) still counts, in the screen and the reports', async () => {
    expect(await fetchFile(`/api/v1/issues/${issueId}/files/screen.pdf`, editor.token)).toBe(200);
    expect(await screenCount()).toBe(3);
    expect(await reportRow('downloadsPerIssue', 'Số 9')).toBe(3);
  });
});
