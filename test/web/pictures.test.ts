/**
 * The picture store over real HTTP: uploads (limits, types), /media with ETag and caching, access that
 * follows the article's visibility, bodies that reference pictures instead of embedding them, revisions
 * that keep their pictures, and the export that hands the typesetter local files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportIssue } from '../../src/workflow/export-issue.ts';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import { BULLETIN, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';

let srv: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

interface PictureReply { sha256: string; url: string; mime: string; width: number; height: number; bytes: number }
interface ArticleReply { id: number; version: number; bodyHtml: string; error?: { code: string } }

async function photo(width: number, height: number, format: 'jpeg' | 'png' = 'jpeg', hue = 0): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: (hue * 37) % 256, g: 120, b: 200 } } });
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 80 }).toBuffer();
}

async function uploadPicture(token: string, bytes: Buffer, name = 'anh.jpg') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return srv.api<PictureReply & { error: { code: string } }>('POST', '/pictures', { token, raw: form });
}

function media(url: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(srv.url + url, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
}

function srcsOf(html: string): string[] {
  return [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]!);
}

function pictureCount(): number {
  return srv.running.runtime.store.pictures.count();
}

beforeAll(async () => {
  srv = await startTestServer({ config: { uploadLimitBytes: 30 * 1024 * 1024 } });
  tokens.admin = await setupAdmin(srv.api);
  for (const name of ['Đảng ủy xã Tân Hòa', 'Đảng ủy xã Phước Minh']) {
    ids[name] = (await srv.api<{ id: number }>('POST', '/units', { token: tokens.admin, json: { name, kind: 'commune_committee' } })).body.id;
  }
  const people: [string, string, number?][] = [
    ['ctvA', 'contributor', ids['Đảng ủy xã Tân Hòa']],
    ['ctvA2', 'contributor', ids['Đảng ủy xã Tân Hòa']],
    ['ctvB', 'contributor', ids['Đảng ủy xã Phước Minh']],
    ['btv', 'editor'],
    ['tbt', 'editor_in_chief'],
    ['docgia', 'reader', ids['Đảng ủy xã Tân Hòa']],
    ['nhain', 'print_shop'],
  ];
  for (const [username, role, unitId] of people) {
    const u = await userWithRole(srv.api, tokens.admin, username, role, unitId);
    tokens[username] = u.token;
    ids[username] = u.id;
  }
});
afterAll(async () => {
  await srv.close({ removeData: true });
});

describe('uploading a picture', () => {
  it('stores it once under its sha256 and serves it with an ETag and long caching', async () => {
    const r = await uploadPicture(tokens.ctvA!, await photo(1200, 800));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ mime: 'image/jpeg', width: 1200, height: 800 });
    expect(r.body.url).toBe(`/media/${r.body.sha256}.jpg`);
    const file = path.join(srv.dataDir, 'media', r.body.sha256.slice(0, 2), `${r.body.sha256}.jpg`);
    const onDisk = fs.readFileSync(file);
    expect(crypto.createHash('sha256').update(onDisk).digest('hex')).toBe(r.body.sha256);
    expect(onDisk.length).toBe(r.body.bytes);

    const got = await media(r.body.url, tokens.ctvA);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('etag')).toBe(`"${r.body.sha256}"`);
    expect(got.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await got.arrayBuffer()).equals(onDisk)).toBe(true);
    const again = await media(r.body.url, tokens.ctvA, { 'if-none-match': `"${r.body.sha256}"` });
    expect(again.status).toBe(304);

    // The same photo sent again is the same picture (no second file, no second row).
    const before = pictureCount();
    const second = await uploadPicture(tokens.ctvA!, onDisk);
    expect(second.status).toBe(201);
    expect(second.body.sha256).toBe(r.body.sha256);
    expect(pictureCount()).toBe(before);
  });

  it('caps the long edge of a huge photo at 2,480 px and keeps a PNG a PNG', async () => {
    const big = await uploadPicture(tokens.ctvA!, await photo(4000, 1000));
    expect(big.body).toMatchObject({ width: 2480, height: 620, mime: 'image/jpeg' });
    const png = await uploadPicture(tokens.ctvA!, await photo(300, 200, 'png'), 'so-do.png');
    expect(png.body).toMatchObject({ mime: 'image/png', url: `/media/${png.body.sha256}.png` });
  });

  it('refuses a picture over 20 MB with 413, a PDF with 415 and a broken JPEG with 400, storing nothing', async () => {
    const before = pictureCount();
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(21 * 1024 * 1024)]);
    const tooBig = await uploadPicture(tokens.ctvA!, huge, 'rat-lon.jpg');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('too_large');
    const pdf = await uploadPicture(tokens.ctvA!, Buffer.from('%PDF-1.7\n1 0 obj\n'), 'anh.jpg');
    expect(pdf.status).toBe(415);
    const broken = await uploadPicture(tokens.ctvA!, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 1, 2, 3]), 'hong.jpg');
    expect(broken.status).toBe(400);
    const none = await srv.api('POST', '/pictures', { token: tokens.ctvA, json: {} });
    expect(none.status).toBe(400);
    expect(pictureCount()).toBe(before);
    expect(fs.readdirSync(path.join(srv.dataDir, 'media'), { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  });

  it('is refused to people who do not write articles and to anonymous callers', async () => {
    const bytes = await photo(100, 100, 'jpeg', 9);
    expect((await uploadPicture(tokens.docgia!, bytes)).status).toBe(403);
    expect((await uploadPicture(tokens.nhain!, bytes)).status).toBe(403);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'a.jpg');
    expect((await srv.api('POST', '/pictures', { raw: form })).status).toBe(401);
  });
});

describe('pictures in articles', () => {
  let article: ArticleReply;
  let url: string;

  beforeAll(async () => {
    const bytes = await photo(800, 600, 'jpeg', 3);
    const embedded = `<p>Chi bộ ấp Tân Hòa sinh hoạt chuyên đề.</p><figure><img src="data:image/jpeg;base64,${bytes.toString('base64')}" alt="Quang cảnh"><figcaption>Quang cảnh</figcaption></figure>`;
    const r = await srv.api<ArticleReply>('POST', '/articles', { token: tokens.ctvA, json: { title: 'Sinh hoạt chuyên đề', bodyHtml: embedded } });
    expect(r.status).toBe(201);
    article = r.body;
    url = srcsOf(article.bodyHtml)[0]!;
  });

  it('moves a data: photo of a JSON body into the picture store and references it by URL', async () => {
    expect(url).toMatch(/^\/media\/[0-9a-f]{64}\.jpg$/);
    expect(article.bodyHtml).not.toContain('data:');
    expect(article.bodyHtml).toContain('<figcaption>Quang cảnh</figcaption>');
    const stored = await srv.api<ArticleReply>('GET', `/articles/${article.id}`, { token: tokens.btv });
    expect(stored.body.bodyHtml).toBe(article.bodyHtml);
  });

  it('shows the picture exactly to those who may read the article', async () => {
    const status = async (who?: string) => (await media(url, who && tokens[who])).status;
    expect(await status('ctvA')).toBe(200); // wrote it
    expect(await status('ctvA2')).toBe(200); // same unit
    expect(await status('btv')).toBe(200);
    expect(await status('tbt')).toBe(200);
    expect(await status('ctvB')).toBe(404); // another unit's unpublished article
    expect(await status('docgia')).toBe(404);
    expect(await status('nhain')).toBe(404);
    expect(await status()).toBe(401);
    // Names that are not pictures never reach the disk.
    for (const bad of ['/media/..%2Fbantin.sqlite', `/media/${'a'.repeat(64)}.gif`, `/media/${'A'.repeat(64)}.jpg`, `/media/${'0'.repeat(64)}.jpg`]) {
      expect((await media(bad, tokens.btv)).status).toBe(404);
    }
  });

  it("refuses another unit's picture in an article body, and keeps the article unchanged", async () => {
    const r = await srv.api<ArticleReply>('POST', '/articles', { token: tokens.ctvB, json: { title: 'Mượn ảnh', bodyHtml: `<p>Bài.</p><img src="${url}">` } });
    expect(r.status).toBe(400);
    const patch = await srv.api<ArticleReply>('PATCH', `/articles/${article.id}`, { token: tokens.ctvB, json: { version: article.version, bodyHtml: '<p>x</p>' } });
    expect(patch.status).toBe(404);
    const unknown = await srv.api('POST', '/articles', { token: tokens.btv, json: { title: 'Ảnh lạ', bodyHtml: `<p>Bài.</p><img src="/media/${'1'.repeat(64)}.jpg">` } });
    expect(unknown.status).toBe(400);
  });

  it('lets an editor add an uploaded picture; older revisions keep theirs and the writer still sees both', async () => {
    const added = await uploadPicture(tokens.btv!, await photo(640, 480, 'jpeg', 5));
    // The editor's own upload is visible to them before any article uses it, and to nobody else.
    expect((await media(added.body.url, tokens.btv)).status).toBe(200);
    expect((await media(added.body.url, tokens.ctvA)).status).toBe(404);
    const body = `<p>Chi bộ ấp Tân Hòa sinh hoạt chuyên đề.</p><figure><img src="${added.body.url}" alt="Ảnh mới"><figcaption>Ảnh mới</figcaption></figure>`;
    const saved = await srv.api<ArticleReply>('PATCH', `/articles/${article.id}`, { token: tokens.btv, json: { version: article.version, bodyHtml: body } });
    expect(saved.status).toBe(200);
    expect(srcsOf(saved.body.bodyHtml)).toEqual([added.body.url]);
    const revisions = await srv.api<{ items: { id: number; version: number }[] }>('GET', `/articles/${article.id}/revisions`, { token: tokens.ctvA });
    const first = await srv.api<{ bodyHtml: string }>('GET', `/articles/${article.id}/revisions/${revisions.body.items[0]!.id}`, { token: tokens.ctvA });
    expect(srcsOf(first.body.bodyHtml)).toEqual([url]);
    expect((await media(url, tokens.ctvA)).status).toBe(200);
    expect((await media(added.body.url, tokens.ctvA)).status).toBe(200);
    expect((await media(added.body.url, tokens.ctvB)).status).toBe(404);
    article = saved.body;
  });

  it("keeps an unsaved draft's new photo visible when the editor-in-chief takes the article over", async () => {
    const fresh = await uploadPicture(tokens.btv!, await photo(320, 240, 'jpeg', 8));
    const draft = `${article.bodyHtml}<figure><img src="${fresh.body.url}" alt=""><figcaption>Nháp</figcaption></figure>`;
    expect((await srv.api('POST', `/articles/${article.id}/lock`, { token: tokens.btv, json: { draft: { bodyHtml: draft } } })).status).toBe(200);
    expect((await media(fresh.body.url, tokens.tbt)).status).toBe(404);
    expect((await srv.api('POST', `/articles/${article.id}/lock`, { token: tokens.tbt, json: { takeover: true } })).status).toBe(200);
    const revisions = await srv.api<{ items: { id: number; kind: string }[] }>('GET', `/articles/${article.id}/revisions`, { token: tokens.tbt });
    const kept = revisions.body.items.find((r) => r.kind === 'kept_draft')!;
    const keptBody = await srv.api<{ bodyHtml: string }>('GET', `/articles/${article.id}/revisions/${kept.id}`, { token: tokens.tbt });
    expect(srcsOf(keptBody.body.bodyHtml)).toContain(fresh.body.url);
    expect((await media(fresh.body.url, tokens.tbt)).status).toBe(200);
    expect((await srv.api('DELETE', `/articles/${article.id}/lock`, { token: tokens.tbt })).status).toBe(200);
  });

  it('exports the pictures into the issue directory, where the typesetter finds them as local files', async () => {
    await srv.api('PUT', '/bulletin', { token: tokens.admin, json: BULLETIN });
    for (const to of ['in_review', 'approved']) {
      expect((await srv.api('POST', `/articles/${article.id}/transition`, { token: tokens.btv, json: { to } })).status).toBe(200);
    }
    const issue = await srv.api<{ id: number }>('POST', '/issues', { token: tokens.btv, json: { number: 11, date: '2026-11-15', printRun: 3110 } });
    expect(issue.status).toBe(201);
    expect((await srv.api('PUT', `/issues/${issue.body.id}/plan`, { token: tokens.btv, json: { sections: [{ title: 'Gương chi bộ, đảng viên', articleIds: [article.id] }] } })).status).toBe(200);
    const { store } = srv.running.runtime;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-export-'));
    try {
      const exported = await exportIssue(store, store.issues.get(issue.body.id)!, out);
      const name = srcsOf(article.bodyHtml)[0]!.slice('/media/'.length);
      expect(exported.files).toContain(`images/${name}`);
      const html = fs.readFileSync(path.join(exported.dir, exported.files.find((f) => f.startsWith('articles/'))!), 'utf8');
      expect(srcsOf(html)).toEqual([`images/${name}`]);
      expect(fs.readFileSync(path.join(exported.dir, 'images', name)).equals(fs.readFileSync(store.media.pathOf(name)))).toBe(true);
      const plan = await loadIssue(exported.dir);
      expect(plan.sections[0]!.articles[0]!.images).toEqual([expect.objectContaining({ src: `images/${name}`, widthPx: 640, heightPx: 480 })]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
