/**
 * A data dir from before the picture store (photos embedded in bodies and revisions as data: URIs):
 * starting bantin moves every readable photo into the store byte for byte, points bodies and revisions at
 * it, keeps an unreadable one where it was, does nothing more on the next start, and a backup carries the
 * pictures to a restored data dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { createServices } from '../../src/workflow/index.ts';
import { toActor } from '../../src/workflow/auth.ts';
import { createBackup } from '../../src/ops/backup.ts';
import { restoreBackup } from '../../src/ops/restore.ts';
import { login, PASSWORD, startTestServer, tempDataDir, type TestServer } from '../web/helpers.ts';

const dataDir = tempDataDir('bantin-backfill-');
const scratch = tempDataDir('bantin-backfill-out-');
let srv: TestServer;
let token: string;
let articleId: number;
const photos: Record<string, Buffer> = {};
const BROKEN = 'data:image/jpeg;base64,/9j/AAAAAAAA';

function dataUri(bytes: Buffer, mime: string): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

function srcsOf(html: string): string[] {
  return [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]!);
}

async function mediaBytes(url: string): Promise<Buffer> {
  const r = await fetch(srv.url + url, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer());
}

beforeAll(async () => {
  photos.jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#a05020' } }).jpeg({ quality: 85 }).toBuffer();
  photos.png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2050a0' } }).png().toBuffer();
  photos.later = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#20a050' } }).jpeg().toBuffer();
  // The database as an older bantin left it: written through the store, bodies with embedded photos.
  const store = openStore(dataDir);
  const s = createServices({ store });
  const admin = toActor(await s.auth.setup({ username: 'admin', password: PASSWORD, displayName: 'Quản trị' }));
  await s.users.create(admin, { username: 'btv', password: PASSWORD, displayName: 'Biên tập', role: 'editor' });
  const now = '2026-10-01T08:00:00.000Z';
  const first = {
    title: 'Ảnh cũ', subtitle: null, lead: null, author: null, sectionId: null,
    bodyHtml: `<p>Đoạn một.</p><figure><img src="${dataUri(photos.jpeg, 'image/jpeg')}" alt="Một"><figcaption>Một</figcaption></figure><p><img src="${dataUri(photos.png, 'image/png')}" alt="Sơ đồ"></p><p><img src="${dataUri(photos.jpeg, 'image/jpeg')}" alt="Một lần nữa"></p>`,
  };
  articleId = store.articles.insert({ ...first, unitId: null, createdBy: admin.id }, now);
  store.articles.insertRevision(articleId, 1, 'submit', first, admin.id, now);
  const second = { ...first, bodyHtml: `<p>Đoạn một đã sửa.</p><p><img src="${dataUri(photos.later, 'image/jpeg')}" alt="Sau"></p><p><img src="${BROKEN}" alt="Hỏng"></p>` };
  expect(store.articles.updateContent(articleId, 1, second, now)).toBe(true);
  store.articles.insertRevision(articleId, 2, 'save', second, admin.id, now);
  store.close();

  srv = await startTestServer({ dataDir });
  token = await login(srv.api, 'btv');
});
afterAll(async () => {
  await srv.close({ removeData: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('moving embedded photos into the picture store at start', () => {
  it('rewrites the current body: readable photos by URL with identical bytes, the unreadable one left embedded', async () => {
    const a = await srv.api<{ bodyHtml: string; version: number }>('GET', `/articles/${articleId}`, { token });
    expect(a.body.version).toBe(2); // moving photos is not an edit
    const [later, broken] = srcsOf(a.body.bodyHtml);
    expect(later).toMatch(/^\/media\/[0-9a-f]{64}\.jpg$/);
    expect((await mediaBytes(later!)).equals(photos.later!)).toBe(true);
    expect(broken).toBe(BROKEN);
    expect(a.body.bodyHtml).toContain('<p>Đoạn một đã sửa.</p>');
  });

  it('rewrites revisions too, one picture per distinct photo, so compare still shows them', async () => {
    const revs = await srv.api<{ items: { id: number }[] }>('GET', `/articles/${articleId}/revisions`, { token });
    const first = await srv.api<{ bodyHtml: string }>('GET', `/articles/${articleId}/revisions/${revs.body.items[0]!.id}`, { token });
    const [one, plan, again] = srcsOf(first.body.bodyHtml);
    expect(one).toMatch(/\.jpg$/);
    expect(plan).toMatch(/\.png$/);
    expect(again).toBe(one);
    expect((await mediaBytes(one!)).equals(photos.jpeg!)).toBe(true);
    expect((await mediaBytes(plan!)).equals(photos.png!)).toBe(true);
    expect(first.body.bodyHtml).not.toContain('data:');
    expect(srv.running.runtime.store.pictures.count()).toBe(3);
  });

  it('finds nothing more to move on the next start', async () => {
    const before = (await srv.api<{ bodyHtml: string }>('GET', `/articles/${articleId}`, { token })).body.bodyHtml;
    await srv.close();
    srv = await startTestServer({ dataDir });
    const after = (await srv.api<{ bodyHtml: string }>('GET', `/articles/${articleId}`, { token })).body.bodyHtml;
    expect(after).toBe(before);
    expect(srv.running.runtime.store.pictures.count()).toBe(3);
  });

  it('carries the pictures through bantin backup and restore', async () => {
    const archive = path.join(scratch, 'backup.tar.gz');
    const result = await createBackup({ dataDir, outFile: archive });
    const mediaEntries = result.manifest.entries.filter((f) => f.path.startsWith('media/'));
    expect(mediaEntries).toHaveLength(3);
    const target = path.join(scratch, 'restored');
    await restoreBackup(archive, target);
    for (const entry of mediaEntries) {
      expect(fs.readFileSync(path.join(target, entry.path)).equals(fs.readFileSync(path.join(dataDir, entry.path)))).toBe(true);
    }
  });
});
