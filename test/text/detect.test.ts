import { describe, expect, it } from 'vitest';
import { detectBytes, detectText } from '../../src/text/detect.ts';
import { isVietnameseSyllable } from '../../src/text/syllable.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeVniText } from '../../src/text/encodings/vni.ts';
import { encodeCp1258 } from '../../src/text/encodings/cp1258.ts';
import { VISCII } from '../../src/text/encodings/viscii.ts';
import { VPS } from '../../src/text/encodings/vps.ts';
import { fontText } from './helpers/letters.ts';

const TEXT = 'Sáng ngày 05 tháng 11, Ban Thường vụ Tỉnh ủy tổ chức hội nghị sơ kết công tác xây dựng Đảng, ôn lại truyền thống và biểu dương những gương sáng.';

describe('Vietnamese syllable check', () => {
  it('accepts real syllables in any case and refuses mojibake and impossible tones', () => {
    for (const w of ['Việt', 'NGHỊ', 'gì', 'giữa', 'quyết', 'khuya', 'nghiêng', 'chuyện', 'thuở', 'Đảng', 'ươn']) expect(isVietnameseSyllable(w), w).toBe(true);
    for (const w of ['ViÖt', 'Vieät', 'Viá»‡t', 'viềt', 'xyz', 'Céâng', 'tieng']) expect(isVietnameseSyllable(w), w).toBe(false);
  });
});

describe('encoding detection', () => {
  it('leaves Unicode Vietnamese alone even though a legacy reading also gives syllables', () => {
    const d = detectText(TEXT);
    expect(d.encoding).toBe('unicode');
    expect(d.text).toBe(TEXT);
    expect(d.confidence).toBe('high');
  });

  it('repairs TCVN3 and VNI text that was pasted into a Unicode file', () => {
    expect(detectText(fontText(encodeTcvn3(TEXT)))).toMatchObject({ encoding: 'tcvn3', text: TEXT });
    expect(detectText(encodeVniText(TEXT))).toMatchObject({ encoding: 'vni', text: TEXT });
  });

  it('tells Windows-1258, TCVN3 and VNI bytes apart', () => {
    expect(detectBytes(encodeCp1258(TEXT))).toMatchObject({ encoding: 'cp1258', text: TEXT });
    expect(detectBytes(encodeTcvn3(TEXT))).toMatchObject({ encoding: 'tcvn3', text: TEXT });
    expect(detectBytes(Buffer.from(encodeVniText(TEXT), 'latin1'))).toMatchObject({ encoding: 'vni', text: TEXT });
  });

  it('tells VISCII and VPS bytes from the others, and repairs them when pasted as Windows text', () => {
    expect(detectBytes(VISCII.encode(TEXT))).toMatchObject({ encoding: 'viscii', text: TEXT, confidence: 'high' });
    expect(detectBytes(VPS.encode(TEXT))).toMatchObject({ encoding: 'vps', text: TEXT, confidence: 'high' });
    expect(detectText(fontText(VISCII.encode(TEXT)))).toMatchObject({ encoding: 'viscii', text: TEXT });
    expect(detectText(fontText(VPS.encode(TEXT)))).toMatchObject({ encoding: 'vps', text: TEXT });
  });

  it('still reads Windows-1258, TCVN3 and VNI as themselves now that VISCII and VPS are candidates too', () => {
    const sentences = [TEXT, 'Đồng chí Bí thư Tỉnh ủy phát biểu chỉ đạo hội nghị.', 'Chi bộ ấp Phước Hòa tổ chức sinh hoạt chuyên đề.', 'Những kết quả đạt được là rất đáng tự hào.'];
    for (const s of sentences) {
      expect(detectBytes(encodeCp1258(s)), s).toMatchObject({ encoding: 'cp1258', text: s });
      expect(detectBytes(encodeTcvn3(s)), s).toMatchObject({ encoding: 'tcvn3', text: s });
      expect(detectBytes(Buffer.from(encodeVniText(s), 'latin1')), s).toMatchObject({ encoding: 'vni', text: s });
      expect(detectBytes(VISCII.encode(s)), s).toMatchObject({ encoding: 'viscii', text: s });
      expect(detectBytes(VPS.encode(s)), s).toMatchObject({ encoding: 'vps', text: s });
    }
  });

  it('does not guess VIQR for ordinary English or Vietnamese punctuation', () => {
    expect(detectText('Is it done? Yes. Call me at 5.').encoding).toBe('unicode');
    expect(detectText("Vie^.t Nam DDa?ng bo^. xa~ Phu+o+'c Vinh to^? chu+'c ho^.i nghi.").encoding).toBe('viqr');
  });

  it('keeps text it cannot read with confidence and names the suspicious words', () => {
    const d = detectBytes(Buffer.from('Þß¿x qxz¤ ¥ÆØÅ wvvv© ®Ðkk', 'latin1'));
    expect(d.encoding).toBe('cp1258'); // what Windows would show; nothing better was convincing
    expect(d.confidence).toBe('low');
    expect(d.suspicious.length).toBeGreaterThan(0);
  });
});
