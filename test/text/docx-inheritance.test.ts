/**
 * Where a run's font and capitalisation come from when the run itself says nothing: table styles (and
 * their header-row part), list levels, basedOn chains, Word's All caps / Small caps — and the legacy code
 * pages those fonts imply (TCVN3, VNI, VISCII, VPS), several in one document.
 */
import { describe, expect, it } from 'vitest';
import { importDocument } from '../../src/text/import.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeVniText } from '../../src/text/encodings/vni.ts';
import { VISCII } from '../../src/text/encodings/viscii.ts';
import { VPS } from '../../src/text/encodings/vps.ts';
import { buildDocx, runXml } from './helpers/docx-builder.ts';
import { ALL_LETTERS, fontText } from './helpers/letters.ts';

/** What a run in a legacy 8-bit font holds: the Windows-1252 reading of its bytes (Word keeps “ ” – as they are). */
const asFontText = (encode: (t: string) => Uint8Array) => (text: string): string =>
  [...text].map((ch) => ((ch.codePointAt(0) ?? 0) > 0xff && !/\p{L}/u.test(ch) ? ch : fontText(encode(ch)).replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80] ?? c))).join('');
// Windows-1252 0x80–0x9F, as Word shows those bytes of an 8-bit font.
const CP1252 = [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'];
const tcvn3 = asFontText(encodeTcvn3);
const viscii = asFontText((t) => VISCII.encode(t));
const vps = asFontText((t) => VPS.encode(t));

function paragraphs(html: string): string[] {
  return [...html.matchAll(/<(p|h\d|li|td|th)>(.*?)<\/\1>/g)].map((m) => (m[2] ?? '').replace(/<[^>]+>/g, ''));
}

describe('fonts a run inherits', () => {
  it('takes the font of a table style for cells of Normal paragraphs, and its header-row font for the first row', async () => {
    const docx = await buildDocx({
      defaultFont: 'Times New Roman',
      styles: [{ id: 'BangVn', name: 'Bang VnTime', type: 'table', font: '.VnTime', firstRowFont: 'VNI-Times' }],
      paragraphs: [
        { style: 'Heading1', runs: ['Kết quả thi đua'] },
        {
          tableStyle: 'BangVn',
          table: [
            [[encodeVniText('Đơn vị')], [encodeVniText('Kết quả')]],
            [[tcvn3('Đảng ủy xã Phước Vinh')], [tcvn3('Hoàn thành xuất sắc')]],
          ],
        },
      ],
    });
    const a = await importDocument(docx, 'bang.docx');
    expect(paragraphs(a.bodyHtml)).toEqual(['Đơn vị', 'Kết quả', 'Đảng ủy xã Phước Vinh', 'Hoàn thành xuất sắc']);
    expect(a.report.encodings).toContainEqual(expect.objectContaining({ encoding: 'tcvn3', font: '.VnTime', decidedBy: 'font' }));
    expect(a.report.encodings).toContainEqual(expect.objectContaining({ encoding: 'vni', font: 'VNI-Times', decidedBy: 'font' }));
  });

  it('lets a paragraph style other than Normal beat the table style, as Word does', async () => {
    const cell = (style: string | undefined, text: string): string =>
      `<w:tc><w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${runXml(text)}</w:p></w:tc>`;
    const docx = await buildDocx({
      styles: [
        { id: 'BangVn', name: 'Bang VnTime', type: 'table', font: '.VnTime' },
        { id: 'OUnicode', name: 'O Unicode', font: 'Arial', basedOn: 'Normal' },
      ],
      paragraphs: [{ xml: `<w:tbl><w:tblPr><w:tblStyle w:val="BangVn"/><w:tblLook w:firstRow="0" w:firstColumn="0"/></w:tblPr><w:tr>${cell('OUnicode', 'Đà Nẵng')}${cell(undefined, tcvn3('Quảng Nam'))}</w:tr></w:tbl>` }],
    });
    const a = await importDocument(docx, 'bang2.docx');
    expect(paragraphs(a.bodyHtml)).toEqual(['Đà Nẵng', 'Quảng Nam']);
    expect(a.report.encodings.map((e) => [e.encoding, e.font])).toEqual([['unicode', 'Arial'], ['tcvn3', '.VnTime']]);
  });

  it('takes the font of the list level for list items whose runs name none', async () => {
    const docx = await buildDocx({
      defaultFont: 'Times New Roman',
      listFont: '.VnTime',
      paragraphs: [
        { style: 'Heading1', runs: ['Nhiệm vụ'] },
        { list: 'number', runs: [tcvn3('Nâng cao chất lượng sinh hoạt chi bộ;')] },
        { list: 'bullet', runs: [tcvn3('Phát triển đảng viên mới.')] },
        { runs: ['Đoạn thường không phải danh sách.'] },
      ],
    });
    const a = await importDocument(docx, 'danh-sach.docx');
    expect(paragraphs(a.bodyHtml)).toEqual(['Nâng cao chất lượng sinh hoạt chi bộ;', 'Phát triển đảng viên mới.', 'Đoạn thường không phải danh sách.']);
    expect(a.bodyHtml).toMatch(/<ol><li>Nâng cao/);
    // Decided by the list level's font, not rescued by guessing.
    expect(a.report.encodings).toContainEqual(expect.objectContaining({ encoding: 'tcvn3', font: '.VnTime', decidedBy: 'font', paragraphs: 2 }));
  });

  it('follows a basedOn chain three styles deep, and survives a chain that loops', async () => {
    const docx = await buildDocx({
      defaultFont: 'Times New Roman',
      styles: [
        { id: 'Goc', name: 'Goc', font: '.VnTime', basedOn: 'Normal' },
        { id: 'Giua', name: 'Giua', basedOn: 'Goc' },
        { id: 'Ngon', name: 'Ngon', basedOn: 'Giua' },
        { id: 'VongA', name: 'Vong A', basedOn: 'VongB' },
        { id: 'VongB', name: 'Vong B', basedOn: 'VongA' },
      ],
      paragraphs: [
        { style: 'Ngon', runs: [tcvn3('Kế thừa phông qua ba kiểu.')] },
        { style: 'VongA', runs: ['Kiểu vòng lặp vẫn đọc được.'] },
      ],
    });
    const a = await importDocument(docx, 'chuoi.docx');
    expect(paragraphs(a.bodyHtml)).toEqual(['Kế thừa phông qua ba kiểu.', 'Kiểu vòng lặp vẫn đọc được.']);
    expect(a.report.encodings[0]).toMatchObject({ encoding: 'tcvn3', font: '.VnTime', decidedBy: 'font' });
  });
});

describe('All caps and Small caps', () => {
  it('shows in capitals what Word draws in capitals, after converting legacy text', async () => {
    const docx = await buildDocx({
      styles: [
        { id: 'TieuDeHoa', name: 'Tieu de hoa', basedOn: 'Heading1', caps: true, font: '.VnTime' },
        { id: 'ChuNho', name: 'Chu nho', type: 'character', smallCaps: true },
      ],
      paragraphs: [
        { style: 'TieuDeHoa', runs: [tcvn3('Nghị quyết đại hội đảng bộ')] },
        { runs: [{ text: 'Đồng chí ' }, { text: 'Nguyễn Văn Ước', caps: true }, { text: ', Bí thư ' }, { text: 'chi bộ', style: 'ChuNho' }] },
        // Direct formatting switches the style's caps off again.
        { style: 'TieuDeHoa', runs: [{ text: tcvn3('không viết hoa'), caps: false }] },
      ],
    });
    const a = await importDocument(docx, 'hoa.docx');
    expect(a.title).toBe('NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ');
    expect(paragraphs(a.bodyHtml)).toEqual(['Đồng chí NGUYỄN VĂN ƯỚC, Bí thư CHI BỘ', 'không viết hoa']);
  });
});

describe('legacy code pages by font', () => {
  it('converts VISCII and VPS runs by their fonts, every letter that has a printable code', async () => {
    // VISCII and VPS put a few capitals in the C0 control range, which XML cannot hold (next test).
    const typeable = (encode: (t: string) => Uint8Array): string[] => ALL_LETTERS.filter((l) => (encode(l)[0] ?? 0) >= 0x20);
    const inViscii = typeable((t) => VISCII.encode(t));
    const inVps = typeable((t) => VPS.encode(t));
    expect([inViscii.length, inVps.length]).toEqual([128, 120]);
    const docx = await buildDocx({
      paragraphs: [
        { runs: [{ text: viscii(inViscii.join(' ')), font: 'VISCII Times' }] },
        { runs: [{ text: vps(inVps.join(' ')), font: 'VPS Times' }] },
      ],
    });
    const a = await importDocument(docx, 'viscii-vps.docx');
    expect(paragraphs(a.bodyHtml)).toEqual([inViscii.join(' '), inVps.join(' ')]);
    expect(a.report.encodings.map((e) => [e.encoding, e.font, e.decidedBy])).toEqual([['viscii', 'VISCII Times', 'font'], ['vps', 'VPS Times', 'font']]);
  });

  it('reads VISCII/VPS capitals Word parked in the symbol range U+F0xx', async () => {
    const parked = (text: string): string => [...text].map((c) => ((c.codePointAt(0) ?? 0) < 0x20 ? String.fromCharCode(0xf000 + (c.codePointAt(0) ?? 0)) : c)).join('');
    const docx = await buildDocx({
      paragraphs: [
        { runs: [{ text: parked(viscii(ALL_LETTERS.join(' '))), font: 'VISCII Times' }] },
        { runs: [{ text: parked(vps(ALL_LETTERS.join(' '))), font: 'VPS Times' }] },
      ],
    });
    const a = await importDocument(docx, 'ky-hieu.docx');
    expect(paragraphs(a.bodyHtml)).toEqual([ALL_LETTERS.join(' '), ALL_LETTERS.join(' ')]);
  });

  it('converts five encodings mixed in one paragraph, run by run', async () => {
    const docx = await buildDocx({
      defaultFont: 'Times New Roman',
      paragraphs: [
        {
          runs: [
            { text: tcvn3('Đảng bộ '), font: '.VnTime' },
            { text: encodeVniText('tỉnh '), font: 'VNI-Times' },
            { text: viscii('Tây Ninh quyết '), font: 'VISCII Times' },
            { text: vps('tâm đoàn '), font: 'VPS Times' },
            { text: 'kết.', font: 'Times New Roman' },
          ],
        },
      ],
    });
    const a = await importDocument(docx, 'tron.docx');
    expect(paragraphs(a.bodyHtml)).toEqual(['Đảng bộ tỉnh Tây Ninh quyết tâm đoàn kết.']);
    expect(a.report.encodings.map((e) => e.encoding).sort()).toEqual(['tcvn3', 'unicode', 'viscii', 'vni', 'vps']);
  });
});
