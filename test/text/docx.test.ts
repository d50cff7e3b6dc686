import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { importDocument } from '../../src/text/import.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeVniText } from '../../src/text/encodings/vni.ts';
import { buildDocx } from './helpers/docx-builder.ts';
import { ALL_LETTERS, LOWER_LETTERS, UPPER_LETTERS, fontText } from './helpers/letters.ts';

/** What a .VnTime run holds; Windows punctuation such as "–" stays as Word keeps it. */
const tcvn3 = (text: string): string => [...text].map((ch) => ((ch.codePointAt(0) ?? 0) > 0xff && !/\p{L}/u.test(ch) ? ch : fontText(encodeTcvn3(ch)))).join('');
/** What a .VnTimeH run holds: the lower-case codes (the font draws capitals). */
const tcvn3Capitals = (text: string): string => fontText(encodeTcvn3(text.toLowerCase()));
const vni = (text: string): string => encodeVniText(text);

function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('a mixed-font .docx', () => {
  it('converts each run by its own (inherited) font and keeps Unicode runs as they are', async () => {
    const docx = await buildDocx({
      defaultFont: '.VnTime', // the body inherits TCVN3 from the document defaults
      themeMinorFont: '.VnTime',
      styles: [{ id: 'VniBody', name: 'VNI body', font: 'VNI-Times', basedOn: 'Normal' }],
      paragraphs: [
        { style: 'Heading1', runs: [{ text: 'Nghị quyết về công tác xây dựng Đảng', font: 'Arial' }] },
        { runs: [tcvn3('Tác giả: Nguyễn Văn An – Đảng ủy xã Phước Vinh')] },
        { style: 'Heading2', runs: [{ text: tcvn3Capitals('Nghị quyết đại hội'), font: '.VnTimeH' }] },
        { runs: [tcvn3('Ban Chấp hành Đảng bộ tỉnh đã ban hành nghị quyết về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.')], footnote: tcvn3('Trích văn kiện Đại hội.') },
        // VNI from the paragraph style; the letter "ệ" is split over two runs ("Vie" + "ät").
        { style: 'VniBody', runs: ['Coäng hoøa xaõ hoäi chuû nghóa Vie', 'ät Nam'] },
        // Unicode typed into a .VnTime run must not be converted a second time, even without ộ-style letters.
        { runs: [{ text: 'Hà Nội, ngày 05 tháng 11 năm 2026', font: '.VnTime' }] },
        { runs: [{ text: 'Cà phê và trà', font: '.VnTime' }] },
        { runs: [{ text: tcvn3('Đảng viên'), themeFont: 'minorHAnsi' }, { text: ' and English', font: 'Times New Roman' }] },
        // Some converters store 8-bit font text in the symbol range U+F0xx.
        { runs: [{ text: [...tcvn3('Chi bộ')].map((c) => String.fromCharCode(0xf000 + c.charCodeAt(0))).join(''), font: '.VnTime' }] },
      ],
    });
    const a = await importDocument(docx, 'nghi-quyet.docx');
    const text = textOf(a.bodyHtml);
    expect(a.title).toBe('Nghị quyết về công tác xây dựng Đảng');
    expect(a.author).toBe('Nguyễn Văn An');
    expect(a.unit).toBe('Đảng ủy xã Phước Vinh');
    expect(a.bodyHtml).toContain('<h2>NGHỊ QUYẾT ĐẠI HỘI</h2>');
    expect(text).toContain('Ban Chấp hành Đảng bộ tỉnh đã ban hành nghị quyết về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.');
    expect(text).toContain('Trích văn kiện Đại hội.');
    // The footnote keeps its text and its reference mark but loses mammoth's back-arrow (no glyph in the print fonts).
    expect(a.bodyHtml).toMatch(/<li id="footnote-1"><p>Trích văn kiện Đại hội\.<\/p><\/li>/);
    expect(a.bodyHtml).toContain('href="#footnote-1"');
    expect(a.bodyHtml).not.toContain('\u2191');
    expect(text).toContain('Cộng hòa xã hội chủ nghĩa Việt Nam');
    expect(text).toContain('Hà Nội, ngày 05 tháng 11 năm 2026');
    expect(text).toContain('Cà phê và trà');
    expect(text).toContain('Đảng viên and English');
    expect(text).toContain('Chi bộ');
    expect(a.bodyHtml).toBe(a.bodyHtml.normalize('NFC'));
    const byEncoding = Object.fromEntries(a.report.encodings.filter((e) => e.charactersConverted > 0).map((e) => [`${e.encoding}:${e.font}`, e.charactersConverted]));
    expect(Object.keys(byEncoding).sort()).toEqual(['tcvn3:.VnTime', 'tcvn3:.VnTimeH', 'vni:VNI-Times']);
    expect(a.report.encodings.some((e) => e.encoding === 'unicode' && e.font === '.VnTime' && e.decidedBy === 'detection')).toBe(true);
    expect(a.report.suspicious).toEqual([]);
  });

  it('carries every Vietnamese letter through TCVN3 (.VnTime + .VnTimeH) and VNI runs', async () => {
    const docx = await buildDocx({
      paragraphs: [
        { runs: [{ text: tcvn3(LOWER_LETTERS.join(' ')), font: '.VnTime' }] },
        { runs: [{ text: tcvn3Capitals(UPPER_LETTERS.join(' ')), font: '.VnTimeH' }] },
        { runs: [{ text: vni(ALL_LETTERS.join(' ')), font: 'VNI-Times' }] },
      ],
    });
    const a = await importDocument(docx, 'letters.docx');
    const paragraphs = [...a.bodyHtml.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]);
    expect(paragraphs).toEqual([LOWER_LETTERS.join(' '), UPPER_LETTERS.join(' '), ALL_LETTERS.join(' ')]);
  });

  it('reads text with no font anywhere by syllable scoring', async () => {
    const docx = await buildDocx({ paragraphs: [{ runs: [tcvn3('Đảng bộ tỉnh Tây Ninh tổ chức hội nghị học tập nghị quyết')] }] });
    const a = await importDocument(docx, 'no-font.docx');
    expect(textOf(a.bodyHtml)).toBe('Đảng bộ tỉnh Tây Ninh tổ chức hội nghị học tập nghị quyết');
    expect(a.report.encodings[0]).toMatchObject({ encoding: 'tcvn3', decidedBy: 'detection' });
  });

  it('repairs TCVN3 text whose font was changed to a Unicode font, but leaves real Unicode and English alone', async () => {
    const docx = await buildDocx({
      defaultFont: 'Times New Roman',
      paragraphs: [
        { runs: [tcvn3('Đảng bộ tỉnh tổ chức hội nghị học tập nghị quyết')] },
        { runs: ['Đảng bộ tỉnh tổ chức hội nghị'] },
        { runs: ['Café société – naïve résumé'] },
      ],
    });
    const a = await importDocument(docx, 'changed-font.docx');
    expect(textOf(a.bodyHtml)).toBe('Đảng bộ tỉnh tổ chức hội nghị học tập nghị quyết Đảng bộ tỉnh tổ chức hội nghị Café société – naïve résumé');
    expect(a.report.encodings).toContainEqual(expect.objectContaining({ encoding: 'tcvn3', font: 'Times New Roman', decidedBy: 'detection' }));
  });

  it('finds the main document through _rels/.rels when it is not word/document.xml', async () => {
    const zip = await JSZip.loadAsync(await buildDocx({ defaultFont: '.VnTime', paragraphs: [{ style: 'Heading1', runs: [tcvn3('Tiêu đề')] }, { runs: [tcvn3('Nội dung bài viết.')] }] }));
    const move = async (from: string, to: string): Promise<void> => {
      zip.file(to, await zip.file(from)!.async('uint8array'));
      zip.remove(from);
    };
    await move('word/document.xml', 'word/document2.xml');
    await move('word/_rels/document.xml.rels', 'word/_rels/document2.xml.rels');
    zip.file('_rels/.rels', (await zip.file('_rels/.rels')!.async('string')).replace('word/document.xml', '/word/document2.xml'));
    const a = await importDocument(await zip.generateAsync({ type: 'nodebuffer' }), 'doc2.docx');
    expect(a.title).toBe('Tiêu đề');
    expect(a.bodyHtml).toBe('<p>Nội dung bài viết.</p>');
  });

  it('forces one encoding for every run with encoding: vni', async () => {
    const docx = await buildDocx({ defaultFont: 'Times New Roman', paragraphs: [{ runs: ['Ñaûng boä xaõ'] }] });
    const a = await importDocument(docx, 'forced.docx', { encoding: 'vni' });
    expect(textOf(a.bodyHtml)).toBe('Đảng bộ xã');
  });

  it('takes a wholly bold paragraph after the title as the lead (sa-pô), but not a short bold line', async () => {
    const lead = 'Năm năm trước, chi bộ ấp nhiều năm liền không hoàn thành nhiệm vụ. Hôm nay, đây là chi bộ ba năm liền hoàn thành xuất sắc nhiệm vụ.';
    const withLead = await importDocument(await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Đổi thay ở Bến Cừ'] }, { runs: ['Tác giả: Đặng Quốc Bảo'] }, { runs: [{ text: lead, bold: true }] }, { runs: ['Thân bài.'] }] }), 'lead.docx');
    expect(withLead).toMatchObject({ title: 'Đổi thay ở Bến Cừ', author: 'Đặng Quốc Bảo', lead, bodyHtml: '<p>Thân bài.</p>' });
    const noLead = await importDocument(await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Tiêu đề'] }, { runs: [{ text: 'Mục 1', bold: true }] }, { runs: ['Thân bài.'] }] }), 'nolead.docx');
    expect(noLead.lead).toBeUndefined();
    expect(noLead.bodyHtml).toContain('<strong>Mục 1</strong>');
  });

  it('keeps headings, lists, tables and bold/italic', async () => {
    const docx = await buildDocx({
      paragraphs: [
        { style: 'Heading1', runs: ['Tiêu đề'] },
        { runs: [{ text: 'đậm', bold: true }, ' và ', { text: 'nghiêng', italic: true }] },
      ],
    });
    const a = await importDocument(docx, 'format.docx');
    expect(a.bodyHtml).toContain('<strong>đậm</strong> và <em>nghiêng</em>');
  });
});
