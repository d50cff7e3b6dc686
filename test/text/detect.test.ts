import { describe, expect, it } from 'vitest';
import { detectBytes, detectText } from '../../src/text/detect.ts';
import { isVietnameseSyllable } from '../../src/text/syllable.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeVniText } from '../../src/text/encodings/vni.ts';
import { encodeCp1258 } from '../../src/text/encodings/cp1258.ts';
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
