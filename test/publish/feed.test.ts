/**
 * The Atom feed of published issues over real HTTP: a per-user token in the URL (never the session token),
 * valid Atom 1.0 (parsed, structure checked), only the issues that user may read, Vietnamese titles,
 * enclosures that download screen.pdf with the feed token (Range too), and tokens that stop working when
 * revoked, replaced, or when the account is disabled.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { setupAdmin, startTestServer, userWithRole, type TestServer } from '../web/helpers.ts';
import { seedSignedIssue, type SeededIssue } from './published-issue.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let srv: TestServer;
let admin: string;
let readerA: { id: number; token: string };
let readerB: { id: number; token: string };
let unitA: number;
let all10: SeededIssue;
let onlyA11: SeededIssue;
let unpublished12: SeededIssue;

interface ParsedFeed {
  doc: Document;
  root: Element;
  entries: Element[];
}

/** Parses strictly: any XML warning or error fails the test. */
function parseAtom(xml: string): ParsedFeed {
  const problems: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: (m: string) => problems.push(m), error: (m: string) => problems.push(m), fatalError: (m: string) => problems.push(m) } }).parseFromString(xml, 'application/xml');
  expect(problems).toEqual([]);
  const root = doc.documentElement as unknown as Element;
  return { doc: doc as unknown as Document, root, entries: children(root, 'entry') };
}

function children(el: Element, name: string): Element[] {
  return Array.from(el.childNodes as unknown as ArrayLike<Node>).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ATOM);
}

function one(el: Element, name: string): Element {
  const found = children(el, name);
  expect(found, `exactly one <${name}> in <${el.localName}>`).toHaveLength(1);
  return found[0]!;
}

function links(el: Element, rel: string): Element[] {
  return children(el, 'link').filter((l) => (l.getAttribute('rel') ?? 'alternate') === rel);
}

async function newFeed(token: string): Promise<string> {
  const r = await srv.api<{ url: string }>('POST', '/feed', { token });
  expect(r.status).toBe(201);
  return r.body.url;
}

async function getFeed(url: string): Promise<{ status: number; type: string | null; xml: string }> {
  const res = await fetch(url.startsWith('http') ? url : srv.url + url);
  return { status: res.status, type: res.headers.get('content-type'), xml: await res.text() };
}

beforeAll(async () => {
  srv = await startTestServer({ config: { inProcessWorker: false } });
  admin = await setupAdmin(srv.api);
  unitA = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy phường Tân Ninh', kind: 'ward' } })).body.id;
  const unitB = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Chi bộ khu phố 3', kind: 'party_cell' } })).body.id;
  readerA = await userWithRole(srv.api, admin, 'docgia-tanninh', 'reader', unitA);
  readerB = await userWithRole(srv.api, admin, 'docgia-kp3', 'reader', unitB);
  const chief = await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  const { store } = srv.running.runtime;
  all10 = await seedSignedIssue(store, srv.dataDir, { number: 10, userId: chief.id });
  onlyA11 = await seedSignedIssue(store, srv.dataDir, { number: 11, userId: chief.id, publish: false });
  expect((await srv.api('POST', `/issues/${onlyA11.issueId}/publish`, { token: chief.token, json: { unitIds: [unitA] } })).status).toBe(200);
  unpublished12 = await seedSignedIssue(store, srv.dataDir, { number: 12, userId: chief.id, publish: false });
}, 120_000);

afterAll(async () => {
  await srv?.close({ removeData: true });
});

describe('Atom feed of published issues', () => {
  let urlA: string;

  it('is valid Atom 1.0 with the issues this reader may read, newest first, in Vietnamese', async () => {
    urlA = await newFeed(readerA.token);
    expect(urlA).toMatch(/^\/feeds\/[A-Za-z0-9_-]{20,}\/issues\.atom$/);
    expect(urlA).not.toContain(readerA.token);
    const { status, type, xml } = await getFeed(urlA);
    expect(status).toBe(200);
    expect(type).toBe('application/atom+xml; charset=utf-8');
    const { root, entries } = parseAtom(xml);
    expect([root.localName, root.namespaceURI]).toEqual(['feed', ATOM]);
    expect(one(root, 'id').textContent).toMatch(/^tag:127\.0\.0\.1,\d{4}:/);
    expect(one(root, 'title').textContent).toBe('Bản tin Thông báo Nội bộ');
    expect(one(root, 'updated').textContent).toMatch(RFC3339);
    expect(one(one(root, 'author'), 'name').textContent).toBe('Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh');
    expect(links(root, 'self').map((l) => l.getAttribute('href'))).toEqual([srv.url + urlA]);

    expect(entries.map((e) => one(e, 'title').textContent)).toEqual(['Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026', 'Bản tin Thông báo Nội bộ số 10 – Tháng 10/2026']);
    const ids = entries.map((e) => one(e, 'id').textContent);
    expect(new Set(ids).size).toBe(2);
    for (const e of entries) {
      expect(one(e, 'updated').textContent).toMatch(RFC3339);
      expect(links(e, 'alternate')[0]?.getAttribute('href')).toMatch(new RegExp(`^${srv.url}/archive/\\d+$`));
      expect(one(e, 'summary').textContent).toContain('Lưu hành nội bộ.');
    }
    expect(one(entries[0]!, 'summary').textContent).toContain('Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh');
  });

  it('enclosures download screen.pdf with the feed token alone, whole and by Range', async () => {
    const { entries } = parseAtom((await getFeed(urlA)).xml);
    const enclosure = links(entries[0]!, 'enclosure')[0]!;
    expect(enclosure.getAttribute('type')).toBe('application/pdf');
    expect(Number(enclosure.getAttribute('length'))).toBe(onlyA11.pdf.length);
    const href = enclosure.getAttribute('href')!;
    expect(href.startsWith(srv.url + '/feeds/')).toBe(true);
    const whole = await fetch(href);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await whole.arrayBuffer()).equals(onlyA11.pdf)).toBe(true);
    const part = await fetch(href, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(onlyA11.pdf.subarray(0, 100))).toBe(true);
    // Counted like any other download, as the feed owner's.
    // (The log line is written when the server finishes the response, which may be after the client has it.)
    const logged = await vi.waitFor(() => {
      const rows = srv.running.runtime.store.downloadLinks.downloads(onlyA11.issueId);
      if (rows.length < 2) throw new Error('not logged yet');
      return rows;
    }, { timeout: 30_000, interval: 50 });
    expect(logged.map((d) => [d.userId, d.unitId, d.status])).toEqual([
      [readerA.id, unitA, 200],
      [readerA.id, unitA, 206],
    ]);
  });

  it('another unit’s reader sees only what their unit may read; unpublished issues are in no feed', async () => {
    const urlB = await newFeed(readerB.token);
    const { entries } = parseAtom((await getFeed(urlB)).xml);
    expect(entries.map((e) => one(e, 'title').textContent)).toEqual(['Bản tin Thông báo Nội bộ số 10 – Tháng 10/2026']);
    const base = srv.url + urlB.replace(/issues\.atom$/, 'issues/');
    expect((await fetch(`${base}${onlyA11.issueId}/screen.pdf`)).status).toBe(404);
    expect((await fetch(`${base}${unpublished12.issueId}/screen.pdf`)).status).toBe(404);
    expect((await fetch(`${base}${all10.issueId}/screen.pdf`)).status).toBe(200);
  });

  it('a session token is not a feed token; made-up and malformed tokens are refused', async () => {
    for (const bad of [readerA.token, 'A'.repeat(32), 'x', '..%2F..%2Fetc']) expect((await getFeed(`/feeds/${bad}/issues.atom`)).status).toBe(403);
  });

  it('revoking ends the address and its enclosures; a new address replaces the old one', async () => {
    const first = await newFeed(readerA.token);
    const second = await newFeed(readerA.token);
    expect((await getFeed(first)).status).toBe(403);
    expect((await getFeed(second)).status).toBe(200);
    expect((await srv.api('GET', '/feed', { token: readerA.token })).body).toMatchObject({ active: true });
    const revoked = await srv.api('DELETE', '/feed', { token: readerA.token });
    expect(revoked.body).toEqual({ active: false, createdAt: null });
    expect((await getFeed(second)).status).toBe(403);
    expect((await fetch(srv.url + second.replace(/issues\.atom$/, `issues/${all10.issueId}/screen.pdf`))).status).toBe(403);
  });

  it('a disabled account’s feed stops working', async () => {
    const url = await newFeed(readerB.token);
    expect((await srv.api('PATCH', `/users/${readerB.id}`, { token: admin, json: { disabled: true } })).status).toBe(200);
    expect((await getFeed(url)).status).toBe(403);
  });

  it('the feed API needs a signed-in caller', async () => {
    expect((await srv.api('POST', '/feed')).status).toBe(401);
    expect((await srv.api('GET', '/feed')).status).toBe(401);
  });
});
