import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import JSZip from 'jszip';
import { importDocument } from '../../src/text/import.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeViqr } from '../../src/text/encodings/viqr.ts';
import { encodeCp1258 } from '../../src/text/encodings/cp1258.ts';
import { BadInputError, TooLargeError, UnsupportedTypeError } from '../../src/domain/errors.ts';
import { buildDocx, buildOle2 } from './helpers/docx-builder.ts';
import { photo } from './helpers/photos.ts';

const ARTICLE = 'Hội nghị học tập nghị quyết\nTác giả: Trần Thị Bình\nSáng ngày 05 tháng 11 năm 2026, Đảng ủy xã tổ chức hội nghị quán triệt nghị quyết cho toàn thể đảng viên.\nCác đồng chí đã thảo luận sôi nổi về nhiệm vụ trọng tâm của năm.';

function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('plain text articles', () => {
  it('reads UTF-8 NFD text as NFC and finds title and author', async () => {
    const a = await importDocument(Buffer.from(ARTICLE.normalize('NFD'), 'utf8'), 'bai.txt');
    expect(a.title).toBe('Hội nghị học tập nghị quyết');
    expect(a.author).toBe('Trần Thị Bình');
    expect(a.bodyHtml).toBe(a.bodyHtml.normalize('NFC'));
    expect(textOf(a.bodyHtml)).toContain('Sáng ngày 05 tháng 11 năm 2026, Đảng ủy xã');
    expect(a.report.normalized.nfc).toBeGreaterThan(0);
  });

  it.each([
    ['Windows-1258', 'cp1258', (t: string) => Buffer.from(encodeCp1258(t))],
    ['TCVN3', 'tcvn3', (t: string) => Buffer.from(encodeTcvn3(t))],
    ['VIQR', 'viqr', (t: string) => Buffer.from(encodeViqr(t), 'utf8')],
    ['UTF-16 with BOM', 'unicode', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
  ] as const)('detects %s bytes', async (_label, encoding, encode) => {
    const a = await importDocument(encode(ARTICLE), 'bai.txt');
    expect(a.report.encodings[0]?.encoding).toBe(encoding);
    expect(a.title).toBe('Hội nghị học tập nghị quyết');
    expect(textOf(a.bodyHtml)).toContain('Đảng ủy xã tổ chức hội nghị quán triệt nghị quyết');
  });

  it('uses the file name as title when the document has none, and says so', async () => {
    const a = await importDocument(Buffer.from('Đoạn thứ nhất của bài viết.\nĐoạn thứ hai.'), 'bai-viet-thang-11.txt');
    expect(a.title).toBe('bai viet thang 11');
    expect(a.report.extracted.title).toBe(false);
    expect(a.report.warnings.map((w) => w.code)).toContain('title-missing');
  });

  it('refuses to read legacy bytes as UTF-8 when --encoding unicode is forced, instead of mangling them', async () => {
    await expect(importDocument(Buffer.from(encodeTcvn3(ARTICLE)), 'tcvn3.txt', { encoding: 'unicode' })).rejects.toThrow(/not valid UTF-8/);
  });

  it('cleans no-break spaces, soft hyphens, zero-width characters and straight quotes', async () => {
    const text = 'Tiêu đề\nĐồng\u00a0chí nói: "Đảng\u00adviên\u200b phải gương mẫu".';
    const a = await importDocument(Buffer.from(text), 'q.txt');
    expect(textOf(a.bodyHtml)).toBe('Đồng chí nói: “Đảngviên phải gương mẫu”.');
    expect(a.report.normalized).toMatchObject({ spaces: 1, softHyphens: 1, zeroWidth: 1, quotes: 2 });
  });

  it('keeps text it cannot place and says which words look wrong', async () => {
    const a = await importDocument(Buffer.from('Tiêu đề\nQ¸ tr×nh kxyz ®¹i ph¸t qwrt', 'latin1'), 'odd.txt');
    expect(a.report.warnings.map((w) => w.code)).toContain('suspicious-text');
  });
});

describe('HTML articles', () => {
  it('keeps the allow-listed structure and removes scripts, handlers, iframes, styles and external images', async () => {
    const html = `<!doctype html><html><head><title>Tin tức – sự kiện</title><style>p{background:url(http://x/y)}</style></head>
      <body><h1 onclick="alert(1)">Tin tức – sự kiện</h1><p style="background:url(http://evil/x.png)">Đoạn <b>một</b><script>alert(1)</script></p>
      <iframe src="http://lan/admin"></iframe><img src="http://tracker/p.gif"><img src="images/anh.jpg" alt="Ảnh"><a href="javascript:alert(1)">x</a></body></html>`;
    const jpeg = await photo(1200, 900);
    const asked: string[] = [];
    const a = await importDocument(Buffer.from(html), 'tin.html', { readRelated: async (p) => (asked.push(p), p === 'images/anh.jpg' ? jpeg : undefined) });
    expect(asked).toEqual(['images/anh.jpg']);
    expect(a.title).toBe('Tin tức – sự kiện');
    expect(a.bodyHtml).toContain('<p>Đoạn <b>một</b></p>');
    expect(a.bodyHtml).toContain('<img src="images/anh-01.jpg" alt="Ảnh"');
    expect(a.images.map((i) => [i.name, i.widthPx])).toEqual([['anh-01.jpg', 1200]]);
    expect(a.bodyHtml).not.toMatch(/script|onclick|iframe|style|url\(|tracker|javascript/);
    expect(a.report.warnings).toContainEqual(expect.objectContaining({ code: 'image-removed', message: expect.stringContaining('http://tracker/p.gif') }));
  });
});

describe('.docx with photos', () => {
  it('writes rotated, metadata-free images referenced from the body and warns about EMF and small photos', async () => {
    const emf = Buffer.alloc(64);
    emf.writeUInt32LE(1, 0);
    emf.write(' EMF', 40, 'latin1');
    const docx = await buildDocx({
      paragraphs: [{ style: 'Heading1', runs: ['Ảnh hoạt động'] }, { image: 0 }, { runs: ['Chú thích ảnh.'] }, { image: 1 }, { image: 2 }, { image: 3 }],
      images: [
        { bytes: await photo(1600, 1200, { orientation: 6, gps: true }), ext: 'jpeg' },
        { bytes: emf, ext: 'emf' },
        { bytes: await photo(400, 300, { format: 'png' }), ext: 'png' },
        { bytes: Buffer.concat([Buffer.from('BM'), Buffer.alloc(200, 3)]), ext: 'png' }, // a BMP sharp cannot read
      ],
    });
    const a = await importDocument(docx, 'anh.docx');
    expect(a.images.map((i) => [i.name, i.widthPx, i.heightPx, i.format])).toEqual([['anh-01.jpg', 1200, 1600, 'jpeg'], ['anh-03.png', 400, 300, 'png']]);
    expect(a.bodyHtml).toContain('src="images/anh-01.jpg"');
    expect(a.bodyHtml).not.toContain('bantin-dropped');
    const meta = await sharp(a.images[0]?.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([1200, 1600]);
    const codes = a.report.warnings.map((w) => w.code);
    expect(codes).toContain('vector-image');
    expect(codes).toContain('image-small-for-print');
    expect(codes).toContain('unsupported-image');
    expect(a.report.images[0]).toMatchObject({ rotated: true, metadataRemoved: true });
  });
});

async function zipWith(files: Record<string, Uint8Array | string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data, { createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('bad input is refused with the file name and the reason', () => {
  const cases: [string, () => Promise<Uint8Array>, string, RegExp, typeof BadInputError][] = [
    ['empty file', async () => new Uint8Array(0), 'leer.docx', /empty/, BadInputError],
    ['renamed .exe', async () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 1)]), 'bai-viet.docx', /program/, UnsupportedTypeError],
    ['password-protected .docx', async () => buildOle2(['EncryptionInfo', 'EncryptedPackage']), 'mat.docx', /password-protected/, BadInputError],
    ['Word 97 .doc', async () => buildOle2(['WordDocument', '1Table']), 'cu.doc', /Word 97–2003/, UnsupportedTypeError],
    ['truncated .docx', async () => (await buildDocx({ paragraphs: [{ runs: ['Một đoạn văn.'] }] })).subarray(0, 300), 'hong.docx', /not a readable \.docx/, BadInputError],
    ['zip without word/document.xml', async () => zipWith({ 'a.txt': 'x' }), 'la.docx', /no word\/document\.xml/, BadInputError],
    ['zip bomb (ratio)', async () => zipWith({ 'word/document.xml': '<x/>', 'word/media/big.bin': new Uint8Array(30 * 1024 * 1024) }), 'bom.docx', /zip bomb/, TooLargeError],
    ['text named .docx', async () => Buffer.from('Chỉ là văn bản'), 'gia.docx', /plain text/, BadInputError],
    ['broken XML', async () => zipWith({ 'word/document.xml': '<w:document><w:body><w:p>' }), 'xml.docx', /not valid XML/, BadInputError],
    ['XML entity expansion ("billion laughs")', async () => zipWith({ 'word/document.xml': '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>' }), 'lol.docx', /not valid XML \(entity not found/, BadInputError],
  ];
  it.each(cases)('%s', async (_label, make, name, message, type) => {
    const err = await importDocument(await make(), name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as BadInputError).file).toBe(name);
    expect((err as Error).message).toMatch(message);
    // The web upload shows userMessage: Vietnamese, naming the file.
    const vi = (err as BadInputError).userMessage;
    expect(vi).not.toBe((err as Error).message);
    expect(vi).toContain(name);
    expect(vi).toMatch(/[ăâđêôơư\u1ea0-\u1ef9]/u);
  });

  it('refuses an entry that unpacks to more than it declares (lying zip bomb)', async () => {
    const big = Buffer.from('<w:document xmlns:w="x">' + 'a'.repeat(200_000) + '</w:document>');
    const zip = Buffer.from(await zipWith({ 'word/document.xml': big }));
    // Patch the declared uncompressed size (central directory and local header) down to 100 bytes.
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const central = zip.readUInt32LE(eocd + 16);
    const local = zip.readUInt32LE(central + 42);
    expect(zip.readUInt32LE(central + 24)).toBe(big.length);
    zip.writeUInt32LE(100, central + 24);
    zip.writeUInt32LE(100, local + 22);
    await expect(importDocument(zip, 'noi-doi.docx')).rejects.toThrow(/does not unpack to its declared size/);
  });

  it('refuses an archive that declares a huge unpacked size before unpacking anything', async () => {
    const zip = Buffer.from(await zipWith({ 'word/document.xml': '<w:document/>' }));
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    zip.writeUInt32LE(0xfffffff0, zip.readUInt32LE(eocd + 16) + 24); // ~4 GiB declared
    const err = await importDocument(zip, 'khong-lo.docx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect((err as Error).message).toMatch(/unpacks to more than the allowed size/);
  });

  it('refuses a photo inside a .docx that is over the image limit', async () => {
    const docx = await buildDocx({ paragraphs: [{ image: 0 }], images: [{ bytes: await photo(800, 600), ext: 'jpeg' }] });
    await expect(importDocument(docx, 'to.docx', { maxImageBytes: 10_000 })).rejects.toThrow(TooLargeError);
  });

  it('refuses a document over the input limit', async () => {
    await expect(importDocument(Buffer.alloc(2000, 0x61), 'dai.txt', { maxInputBytes: 1000 })).rejects.toThrow(TooLargeError);
  });
});
