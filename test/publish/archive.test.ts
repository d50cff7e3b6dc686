/**
 * The archive screens over real HTTP as a signed-in reader: issues of the reader's unit by year with their
 * cover pictures — the engine's page-1 thumbnail of the published rendition, or a drawn 240 px cover for
 * renditions without thumbnails — never a cover of an issue the reader may not see; and the personal
 * Atom feed address made, shown once, and revoked from the archive page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { setupAdmin, startTestServer, userWithRole, PASSWORD, type TestServer } from '../web/helpers.ts';
import { Visitor, csrfOf, signIn } from '../web/ui-harness.ts';
import { SESSION_COOKIE } from '../../src/web/ui/cookies.ts';
import { pageThumbnail, seedSignedIssue, type SeededIssue } from './published-issue.ts';

let srv: TestServer;
let admin: string;
let unit: number;
let reader: Visitor;
let withThumb: SeededIssue;
let thumb: Buffer;
let older: SeededIssue;
let otherUnit: SeededIssue;
let unpublished: SeededIssue;

async function fetchAsReader(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(srv.url + pathname, { headers: { cookie: `${SESSION_COOKIE}=${reader.cookie(SESSION_COOKIE)}`, ...headers }, redirect: 'manual' });
}

beforeAll(async () => {
  srv = await startTestServer({ config: { inProcessWorker: false } });
  admin = await setupAdmin(srv.api);
  unit = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Chi bộ ấp Long Hải', kind: 'party_cell' } })).body.id;
  const elsewhere = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Chi bộ ấp Long Châu', kind: 'party_cell' } })).body.id;
  await userWithRole(srv.api, admin, 'docgia-longhai', 'reader', unit);
  const chief = await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  const { store } = srv.running.runtime;
  thumb = await pageThumbnail('Số 11');
  older = await seedSignedIssue(store, srv.dataDir, { number: 12, year: 2025, userId: chief.id });
  withThumb = await seedSignedIssue(store, srv.dataDir, { number: 11, userId: chief.id, thumbnail: thumb });
  otherUnit = await seedSignedIssue(store, srv.dataDir, { number: 10, userId: chief.id, unitIds: [elsewhere] });
  unpublished = await seedSignedIssue(store, srv.dataDir, { number: 12, userId: chief.id, publish: false, thumbnail: await pageThumbnail('Số 12') });
  reader = new Visitor(srv.url);
  await signIn(reader, 'docgia-longhai', PASSWORD);
}, 120_000);

afterAll(async () => {
  await srv?.close({ removeData: true });
});

describe('archive covers', () => {
  it('lists the reader’s issues by year, newest first, each with its cover picture', async () => {
    const page = await reader.get('/archive');
    expect(page.status).toBe(200);
    expect(page.html.indexOf('Năm 2026')).toBeLessThan(page.html.indexOf('Năm 2025'));
    expect(page.html).toContain(`src="/archive/${withThumb.issueId}/cover.jpg"`);
    expect(page.html).toContain(`src="/archive/${older.issueId}/cover.jpg"`);
    expect(page.html).not.toContain(`/archive/${otherUnit.issueId}/`);
    expect(page.html).not.toContain(`/archive/${unpublished.issueId}/`);
  });

  it('uses page 1 as the engine drew it when the rendition has thumbnails (cached by ETag)', async () => {
    const res = await fetchAsReader(`/archive/${withThumb.issueId}/cover.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).equals(thumb)).toBe(true);
    const again = await fetchAsReader(`/archive/${withThumb.issueId}/cover.jpg`, { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('draws a cover of the same width for older renditions without thumbnails', async () => {
    const res = await fetchAsReader(`/archive/${older.issueId}/cover.jpg`);
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width]).toEqual(['jpeg', 240]);
    expect(meta.height).toBeGreaterThan(300);
  });

  it('shows no cover of an issue the reader may not see, nor to someone signed out', async () => {
    expect((await fetchAsReader(`/archive/${otherUnit.issueId}/cover.jpg`)).status).toBe(404);
    expect((await fetchAsReader(`/archive/${unpublished.issueId}/cover.jpg`)).status).toBe(404);
    expect((await fetchAsReader('/archive/999999/cover.jpg')).status).toBe(404);
    const anonymous = await fetch(`${srv.url}/archive/${withThumb.issueId}/cover.jpg`, { redirect: 'manual' });
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.headers.get('content-type') ?? '').not.toContain('image/jpeg');
  });
});

describe('following from the archive page', () => {
  it('makes a personal feed address, shows it once, and revokes it', async () => {
    const archive = await reader.get('/archive');
    expect(archive.html).toContain('Tạo địa chỉ nhận tin');
    const made = await reader.post('/archive/feed', { _csrf: csrfOf(archive.html) });
    expect(made.status).toBe(201);
    const url = /value="(http:\/\/[^"]+\/feeds\/[A-Za-z0-9_-]+\/issues\.atom)"/.exec(made.html)?.[1];
    expect(url).toBeDefined();
    const feed = await fetch(url!);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('<title type="text">Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026</title>');
    const later = await reader.get('/archive');
    expect(later.html).not.toContain(url!);
    expect(later.html).toContain('Bạn đang có một địa chỉ nhận tin');
    const revoked = await reader.post('/archive/feed/revoke', { _csrf: csrfOf(later.html) });
    expect(revoked.status).toBe(303);
    expect((await fetch(url!)).status).toBe(403);
  });

  it('refuses a feed request without the form’s CSRF token', async () => {
    expect((await reader.post('/archive/feed', {})).status).toBe(403);
  });
});

describe('covers through a download link (no account)', () => {
  it('shows the unit’s covers with the token, nothing of other units, nothing once revoked', async () => {
    const link = await srv.api<{ id: number; url: string }>('POST', '/download-links', { token: admin, json: { unitId: unit, expiresAt: '2099-12-31' } });
    expect(link.status).toBe(201);
    const page = await fetch(srv.url + link.body.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain(`${link.body.url}/issues/${withThumb.issueId}/cover.jpg`);
    expect(html).toContain('Tải bản đọc (PDF)');
    const cover = await fetch(`${srv.url}${link.body.url}/issues/${withThumb.issueId}/cover.jpg`);
    expect(cover.status).toBe(200);
    expect(Buffer.from(await cover.arrayBuffer()).equals(thumb)).toBe(true);
    expect((await fetch(`${srv.url}${link.body.url}/issues/${otherUnit.issueId}/cover.jpg`)).status).toBe(404);
    expect((await fetch(`${srv.url}${link.body.url}/issues/${unpublished.issueId}/cover.jpg`)).status).toBe(404);
    expect((await srv.api('DELETE', `/download-links/${link.body.id}`, { token: admin })).status).toBe(200);
    expect((await fetch(`${srv.url}${link.body.url}/issues/${withThumb.issueId}/cover.jpg`)).status).toBe(403);
  });
});
