/**
 * Documents as they really arrive, beyond the tidy samples: each case is either converted correctly or
 * refused / warned about with the file and the place named — never half converted.
 */
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { importDocument } from '../../src/text/import.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeVni, encodeVniText } from '../../src/text/encodings/vni.ts';
import { encodeCp1258 } from '../../src/text/encodings/cp1258.ts';
import { encodeViqr } from '../../src/text/encodings/viqr.ts';
import { TooLargeError } from '../../src/domain/errors.ts';
import { buildDocx, runXml } from './helpers/docx-builder.ts';
import { ALL_LETTERS, fontText } from './helpers/letters.ts';
import { photo } from './helpers/photos.ts';

const tcvn3 = (text: string): string => [...text].map((ch) => ((ch.codePointAt(0) ?? 0) > 0xff && !/\p{L}/u.test(ch) ? ch : fontText(encodeTcvn3(ch)))).join('');

function paragraphs(html: string): string[] {
  return [...html.matchAll(/<(p|h\d|li)>(.*?)<\/\1>/g)].map((m) => (m[2] ?? '').replace(/<[^>]+>/g, ''));
}

describe('.docx oddities', () => {
  it('keeps a tone mark with its letter when Word split the syllable between two runs', async () => {
    const split = `<w:p><w:r><w:t>Vie\u0302</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">\u0323t Nam</w:t></w:r></w:p>`;
    const a = await importDocument(await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Tiêu đề'] }, { xml: split }] }), 'tach.docx');
    expect(a.bodyHtml).toBe('<p>Việ<strong>t Nam</strong></p>');
  });

  it('keeps a TCVN3 combining tone byte with its letter when it starts the next run', async () => {
    // TCVN3 0xB4 is a combining dot below: "Vi" + "ª" (ê) | "´t" — the mark begins a bold run.
    const split = `<w:p>${runXml({ text: tcvn3('Viê'), font: '.VnTime' })}${runXml({ text: '\u00b4t Nam', font: '.VnTime', bold: true })}</w:p>`;
    const a = await importDocument(await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Tiêu đề'] }, { xml: split }] }), 'tach-tcvn3.docx');
    expect(a.bodyHtml).toBe('<p>Việ<strong>t Nam</strong></p>');
  });

  it('converts legacy text inside hyperlinks and text boxes', async () => {
    const link = `<w:p><w:hyperlink r:id="rIdLink1">${runXml({ text: tcvn3('Cổng thông tin điện tử'), font: '.VnTime' })}</w:hyperlink></w:p>`;
    const textBox = `<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p>${runXml({ text: tcvn3('Hộp chữ: Đảng bộ xã'), font: '.VnTime' })}</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>`;
    const a = await importDocument(await buildDocx({ links: { rIdLink1: 'https://tinhuy.example.vn/tin?a=1&b=2' }, paragraphs: [{ style: 'Heading1', runs: ['Liên kết'] }, { xml: link }, { xml: textBox }] }), 'lien-ket.docx');
    expect(a.bodyHtml).toContain('<a href="https://tinhuy.example.vn/tin?a=1&amp;b=2">Cổng thông tin điện tử</a>');
    expect(paragraphs(a.bodyHtml)).toContain('Hộp chữ: Đảng bộ xã');
  });

  it('keeps the text of a hyperlink whose target is missing and says so, instead of failing the file', async () => {
    const link = `<w:p><w:hyperlink r:id="rIdMissing">${runXml('Xem thêm')}</w:hyperlink></w:p>`;
    const a = await importDocument(await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Tin'] }, { xml: link }] }), 'hong-link.docx');
    expect(paragraphs(a.bodyHtml)).toEqual(['Xem thêm']);
    expect(a.report.warnings).toContainEqual(expect.objectContaining({ code: 'broken-link', message: expect.stringContaining('rIdMissing') }));
  });

  it('says that header and footer content is left out, and does not import the header picture', async () => {
    const docx = await buildDocx({
      header: { text: tcvn3('Đảng bộ tỉnh – Bản tin nội bộ'), image: 0 },
      paragraphs: [{ style: 'Heading1', runs: ['Bài viết'] }, { runs: ['Nội dung.'] }],
      images: [{ bytes: await photo(1200, 900), ext: 'jpeg' }],
    });
    const a = await importDocument(docx, 'dau-trang.docx');
    expect(a.images).toEqual([]);
    expect(a.report.warnings).toContainEqual(expect.objectContaining({ code: 'header-footer-ignored', message: expect.stringContaining('header1.xml holds text "Đảng bộ tỉnh – Bản tin nội bộ" and a picture') }));
  });

  it('imports a picture that sits in a text box', async () => {
    const docx = await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Ảnh'] }, { image: 0 }], images: [{ bytes: await photo(1600, 1200), ext: 'jpeg' }] });
    const zip = await JSZip.loadAsync(docx);
    const xml = await zip.file('word/document.xml')!.async('string');
    // Move the picture's paragraph into a VML text box, the way older Word versions save floating boxes.
    const pictureParagraph = /<w:p><w:r><w:drawing>.*?<\/w:drawing><\/w:r><\/w:p>/.exec(xml)?.[0] ?? '';
    expect(pictureParagraph).not.toBe('');
    zip.file('word/document.xml', xml.replace(pictureParagraph, `<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>${pictureParagraph}<w:p>${runXml('Chú thích trong hộp.')}</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>`));
    const a = await importDocument(await zip.generateAsync({ type: 'nodebuffer' }), 'hop-anh.docx');
    expect(a.images.map((i) => [i.name, i.widthPx, i.heightPx])).toEqual([['anh-01.jpg', 1600, 1200]]);
    expect(a.bodyHtml).toContain('src="images/anh-01.jpg"');
    expect(paragraphs(a.bodyHtml)).toContain('Chú thích trong hộp.');
  });

  it('refuses a .docx with nothing in its body, naming the file', async () => {
    await expect(importDocument(await buildDocx({ paragraphs: [] }), 'trong.docx')).rejects.toMatchObject({ file: 'trong.docx', message: expect.stringMatching(/no text/) });
  });

  it('refuses a document.xml too large to parse safely, before parsing it', async () => {
    const paragraphs = Array.from({ length: 3000 }, (_, i) => ({ runs: [`Đoạn văn số ${i} của một báo cáo rất dài.`] }));
    const err = await importDocument(await buildDocx({ paragraphs }), 'rat-dai.docx', { zipLimits: { maxXmlBytes: 100_000 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err).toMatchObject({ file: 'rat-dai.docx', message: expect.stringMatching(/word\/document\.xml is \d+ MiB of XML/) });
  });

  it('refuses an archive with more entries than a Word file ever has', async () => {
    const zip = await JSZip.loadAsync(await buildDocx({ paragraphs: [{ runs: ['Một đoạn.'] }] }));
    for (let i = 0; i < 60; i++) zip.file(`word/media/x${i}.bin`, 'x');
    const bytes = await zip.generateAsync({ type: 'nodebuffer' });
    const err = await importDocument(bytes, 'nhieu-tep.docx', { zipLimits: { maxEntries: 50 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err).toMatchObject({ file: 'nhieu-tep.docx', message: expect.stringMatching(/too many files inside the archive/) });
  });
});

describe('plain text oddities', () => {
  it('reads every letter from a Windows-1258 file, where most tones are separate combining bytes', async () => {
    const text = `Bảng chữ cái\n${ALL_LETTERS.join(' ')}\n`;
    const bytes = encodeCp1258(text);
    // Windows-1258 has few precomposed letters: most come out as base + one of its five combining tone bytes.
    expect(bytes.filter((b) => [0xcc, 0xd2, 0xde, 0xec, 0xf2].includes(b)).length).toBeGreaterThan(100);
    const a = await importDocument(bytes, 'cp1258.txt');
    expect(a.report.encodings[0]).toMatchObject({ encoding: 'cp1258', decidedBy: 'detection' });
    expect(paragraphs(a.bodyHtml)).toEqual([ALL_LETTERS.join(' ')]);
    expect(a.bodyHtml).toBe(a.bodyHtml.normalize('NFC'));
  });

  it('reads VIQR when asked, even when there are too few marks to guess it', async () => {
    const a = await importDocument(Buffer.from(encodeViqr('Tin vắn\nHọp chi bộ')), 'viqr.txt', { encoding: 'viqr' });
    expect([a.title, paragraphs(a.bodyHtml)]).toEqual(['Tin vắn', ['Họp chi bộ']]);
  });

  it('leaves English and code-like text with question marks and quotes as it is', async () => {
    const text = "Meeting notes\nWho's coming? Don't forget: e.g. 'a.b' and x^2.";
    const a = await importDocument(Buffer.from(text), 'notes.txt');
    expect(a.report.encodings[0]?.encoding).toBe('unicode');
    expect(paragraphs(a.bodyHtml)[0]).toBe("Who's coming? Don't forget: e.g. 'a.b' and x^2.");
  });

  it('reads a large VNI text file in one piece (no stack overflow) and converts all of it', async () => {
    const sentence = 'Đảng bộ tỉnh lãnh đạo thực hiện thắng lợi nghị quyết đại hội. ';
    const text = `Báo cáo\n${sentence.repeat(4500)}`;
    const bytes = encodeVni(text);
    expect(bytes.length).toBeGreaterThan(300_000);
    const a = await importDocument(bytes, 'dai.txt');
    expect(a.report.encodings[0]?.encoding).toBe('vni');
    expect(paragraphs(a.bodyHtml)[0]?.trim()).toBe(sentence.repeat(4500).trim());
  });

  it('reads a file stitched from TCVN3 and VNI line by line, and says so', async () => {
    const text = `${fontText(encodeTcvn3('Tiêu đề'))}\n${fontText(encodeTcvn3('Đảng bộ tỉnh tổ chức hội nghị học tập nghị quyết.'))}\n${encodeVniText('Ban chấp hành đã thống nhất thông qua nghị quyết.')}\n${fontText(encodeTcvn3('Hội nghị kết thúc tốt đẹp.'))}\n`;
    const a = await importDocument(Buffer.from(text, 'latin1'), 'tron.txt');
    expect(paragraphs(a.bodyHtml)).toEqual(['Đảng bộ tỉnh tổ chức hội nghị học tập nghị quyết.', 'Ban chấp hành đã thống nhất thông qua nghị quyết.', 'Hội nghị kết thúc tốt đẹp.']);
    expect(a.report.encodings.map((e) => [e.encoding, e.paragraphs])).toEqual([['tcvn3', 3], ['vni', 1]]);
    expect(a.report.warnings).toContainEqual(expect.objectContaining({ code: 'mixed-encodings' }));
    expect(a.report.suspicious).toEqual([]);
  });

  it('repairs a TCVN3 line pasted into a UTF-8 file and leaves the Unicode lines alone', async () => {
    const text = `Tin tức\nCà phê sáng với đảng viên.\n${fontText(encodeTcvn3('Đảng bộ xã tổ chức hội nghị sơ kết công tác.'))}\nNăm 2026 đạt nhiều kết quả.`;
    const a = await importDocument(Buffer.from(text, 'utf8'), 'dan.txt');
    expect(paragraphs(a.bodyHtml)).toEqual(['Cà phê sáng với đảng viên.', 'Đảng bộ xã tổ chức hội nghị sơ kết công tác.', 'Năm 2026 đạt nhiều kết quả.']);
    expect(a.report.encodings.map((e) => e.encoding).sort()).toEqual(['tcvn3', 'unicode']);
    expect(a.title).toBe('Tin tức');
  });

  it('keeps a line it cannot read with confidence as it is, and names its words', async () => {
    const a = await importDocument(Buffer.from('Tiêu đề\nĐảng bộ tỉnh tổ chức hội nghị.\nQxz¤ wvvv© ®Ðkk ÞßÆ\n', 'utf8'), 'la.txt');
    expect(paragraphs(a.bodyHtml)[1]).toBe('Qxz¤ wvvv© ®Ðkk ÞßÆ');
    expect(a.report.warnings.map((w) => w.code)).toContain('suspicious-text');
  });
});
