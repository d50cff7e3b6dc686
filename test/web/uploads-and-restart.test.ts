/** Multipart article uploads (.docx, .txt, .html; wrong types 415, oversize 413) and a restart on the same data dir. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { login, setupAdmin, startTestServer, userWithRole, type TestServer } from './helpers.ts';

let srv: TestServer;
let contributor: string;
let admin: string;

async function minimalDocx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer' });
}

async function upload(name: string, content: Buffer | string, fields: Record<string, string> = {}, token = contributor) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return srv.api<{ id: number; title: string; author: string | null; bodyHtml: string; state: string; version: number; error: { code: string } }>('POST', '/articles', { token, raw: form });
}

beforeAll(async () => {
  srv = await startTestServer({ config: { uploadLimitBytes: 2_000_000 } });
  admin = await setupAdmin(srv.api);
  const unit = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name: 'Đảng ủy xã Tân Hòa', kind: 'commune_committee' } })).body.id;
  contributor = (await userWithRole(srv.api, admin, 'ctv', 'contributor', unit)).token;
});
afterAll(async () => {
  await srv.close({ removeData: true });
});

describe('article uploads', () => {
  it('turns a .docx into an article (title from the field, text kept in NFC)', async () => {
    const r = await upload('bai-viet.docx', await minimalDocx(['Chi bộ ấp Tân Hòa', 'Đảng viên gương mẫu, tiên phong.']), { title: 'Gương sáng ở Tân Hòa', author: 'Lê Văn Ân' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ title: 'Gương sáng ở Tân Hòa', state: 'submitted', version: 1 });
    expect(r.body.bodyHtml.replace(/>\s+</g, '><')).toBe('<p>Chi bộ ấp Tân Hòa</p><p>Đảng viên gương mẫu, tiên phong.</p>');
  });

  it('converts a legacy TCVN3 .docx with a photo: Unicode text, title and author found, photo in the picture store', async () => {
    const bytes = fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'intake', 'tcvn3-chi-bo.docx'));
    const r = await upload('tcvn3-chi-bo.docx', bytes);
    expect(r.status).toBe(201);
    expect(r.body.title).toBe('CHI BỘ ẤP PHƯỚC HÒA NÂNG CAO CHẤT LƯỢNG SINH HOẠT');
    expect(r.body).toMatchObject({ author: 'Nguyễn Thị Mỹ Lệ' });
    expect(r.body.bodyHtml).toContain('28/30 đồng chí');
    const src = /<img [^>]*src="(\/media\/[0-9a-f]{64}\.(?:jpg|png))"/.exec(r.body.bodyHtml)?.[1];
    expect(src).toBeDefined();
    const photo = await fetch(srv.url + src, { headers: { authorization: `Bearer ${contributor}` } });
    expect(photo.status).toBe(200);
    expect((await photo.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(r.body.bodyHtml).toBe(r.body.bodyHtml.normalize('NFC'));
    const found = await srv.api<{ items: { id: number }[] }>('GET', '/articles?q=phuoc%20hoa%20sinh%20hoat', { token: contributor });
    expect(found.body.items.map((a) => a.id)).toContain(r.body.id);
  });

  it('takes a UTF-8 .txt, one paragraph per blank line, title from the first line when none is given', async () => {
    const r = await upload('tin.txt', 'Hội nghị học tập Nghị quyết\n\nSáng 05/11, Đảng ủy xã tổ chức hội nghị.\n\nCó 120 đảng viên dự.');
    expect(r.status).toBe(201);
    expect(r.body.title).toBe('Hội nghị học tập Nghị quyết');
    expect(r.body.bodyHtml).toContain('<p>Sáng 05/11, Đảng ủy xã tổ chức hội nghị.</p>');
  });

  it('sanitizes an uploaded .html and takes its heading as the title', async () => {
    const r = await upload('tin.html', '<html><body><h1>Tiêu đề bài</h1><p>Đoạn <script>steal()</script>một<iframe src="http://x"></iframe></p></body></html>');
    expect(r.status).toBe(201);
    expect(r.body.title).toBe('Tiêu đề bài');
    expect(r.body.bodyHtml).toBe('<p>Đoạn một</p>');
  });

  it('refuses a PNG, a PDF and an executable disguised as .docx with 415', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect((await upload('anh.docx', png, { title: 'x' })).status).toBe(415);
    expect((await upload('bai.pdf', '%PDF-1.7\n...', { title: 'x' })).status).toBe(415);
    const exe = await upload('bai.docx', Buffer.from('MZ\x90\x00\x03\x00'), { title: 'x' });
    expect(exe.status).toBe(415);
    expect(exe.body.error.code).toBe('unsupported_type');
    // A damaged zip is a broken file of an accepted type: 400, not 415.
    expect((await upload('hong.docx', Buffer.from('PK\x03\x04 not really a zip'), { title: 'x' })).status).toBe(400);
  });

  it('refuses a file over the upload limit with 413 and keeps nothing', async () => {
    const before = (await srv.api<{ items: unknown[] }>('GET', '/articles', { token: contributor })).body.items.length;
    const r = await upload('to.txt', 'a'.repeat(2_100_000), { title: 'Quá lớn' });
    expect(r.status).toBe(413);
    expect((await srv.api<{ items: unknown[] }>('GET', '/articles', { token: contributor })).body.items.length).toBe(before);
  });

  it('refuses an upload from someone not logged in with 401', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'a.txt');
    expect((await srv.api('POST', '/articles', { raw: form })).status).toBe(401);
  });
});

describe('restart', () => {
  it('keeps users, sessions, articles, revisions and search after a restart on the same data dir', async () => {
    const before = await srv.api<{ items: { id: number; title: string }[] }>('GET', '/articles?q=tan%20hoa', { token: contributor });
    expect(before.body.items.length).toBeGreaterThan(0);
    const id = before.body.items[0]!.id;
    await srv.close();
    srv = await startTestServer({ dataDir: srv.dataDir, config: { uploadLimitBytes: 2_000_000 } });
    const after = await srv.api<{ items: { id: number; title: string }[] }>('GET', '/articles?q=tan%20hoa', { token: contributor });
    expect(after.status).toBe(200); // the session survived too
    expect(after.body.items).toEqual(before.body.items);
    const revisions = await srv.api<{ items: unknown[] }>('GET', `/articles/${id}/revisions`, { token: contributor });
    expect(revisions.body.items).toHaveLength(1);
    expect(await login(srv.api, 'admin')).toBeTruthy();
    expect((await srv.api('GET', '/setup')).body).toEqual({ needsSetup: false });
  });
});
