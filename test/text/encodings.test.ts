import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeBytes, toUnicode } from '../../src/text/encodings/index.ts';
import { decodeTcvn3, decodeTcvn3FontText, encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { decodeVni, encodeVni, encodeVniText } from '../../src/text/encodings/vni.ts';
import { decodeViqr, encodeViqr } from '../../src/text/encodings/viqr.ts';
import { decodeCp1258, encodeCp1258 } from '../../src/text/encodings/cp1258.ts';
import { VISCII } from '../../src/text/encodings/viscii.ts';
import { VPS } from '../../src/text/encodings/vps.ts';
import { VPS_CHART, VPS_UNDEFINED } from './helpers/vps-chart.ts';
import { ALL_LETTERS, LOWER_LETTERS } from './helpers/letters.ts';

// The set is derived in the helper, not typed in: every vowel base × every tone, the shaped bases, đ.
const lower = LOWER_LETTERS;
const LETTERS = ALL_LETTERS;
const BASES = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const TONE_MARKS = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
const ALL = LETTERS.join(' ');

describe('the Vietnamese letter set used by these tests', () => {
  it('has one precomposed NFC character per letter, all distinct, half of them capitals', () => {
    expect(LETTERS.every((l) => [...l].length === 1 && l === l.normalize('NFC'))).toBe(true);
    expect(new Set(LETTERS).size).toBe(LETTERS.length);
    expect(LETTERS.filter((l) => l !== l.toLowerCase()).length).toBe(lower.length);
    // 12 bases × 5 tones + 6 shaped bases + đ, per case
    expect(lower.length).toBe(BASES.length * TONE_MARKS.length + 6 + 1);
  });
});

describe.each([
  ['tcvn3', (t: string) => encodeTcvn3(t), (b: Uint8Array) => decodeTcvn3(b)],
  ['vni', (t: string) => encodeVni(t), (b: Uint8Array) => decodeVni(b)],
  ['cp1258', (t: string) => encodeCp1258(t), (b: Uint8Array) => decodeCp1258(b)],
  ['viqr', (t: string) => new TextEncoder().encode(encodeViqr(t)), (b: Uint8Array) => decodeViqr(new TextDecoder().decode(b))],
  ['viscii', (t: string) => VISCII.encode(t), (b: Uint8Array) => VISCII.decode(b)],
  ['vps', (t: string) => VPS.encode(t), (b: Uint8Array) => VPS.decode(b)],
] as const)('%s round trip', (name, encode, decode) => {
  it('keeps every Vietnamese letter with its tone, lower and upper case', () => {
    for (const letter of LETTERS) expect(decode(encode(letter)), `${name} ${letter}`).toBe(letter);
    expect(decode(encode(ALL))).toBe(ALL);
  });

  it('keeps a real sentence with punctuation', () => {
    const text = 'Đảng bộ xã Phước Vinh: “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” (năm 2026). Chị Tạ Thị Lý?';
    const back = decode(encode(text.replace(/[“”]/g, '"')));
    expect(back).toBe(text.replace(/[“”]/g, '"'));
  });
});

describe('TCVN3 agrees with iconv-lite (test oracle)', () => {
  it('decodes every byte the same way', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const oracle = iconv.decode(Buffer.from(all), 'tcvn').normalize('NFC');
    expect(decodeTcvn3(all)).toBe(oracle);
  });

  it('encodes every letter to the bytes iconv-lite decodes back', () => {
    for (const letter of LETTERS) expect(iconv.decode(Buffer.from(encodeTcvn3(letter)), 'tcvn').normalize('NFC')).toBe(letter);
  });
});

describe('Windows-1258 agrees with iconv-lite (test oracle)', () => {
  it('decodes every defined byte the same way', () => {
    const defined = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => ![0x81, 0x8a, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9d, 0x9e].includes(b));
    expect(decodeCp1258(defined)).toBe(iconv.decode(Buffer.from(defined), 'windows1258').normalize('NFC'));
  });

  it('encodes every letter to bytes iconv-lite decodes back', () => {
    for (const letter of LETTERS) expect(iconv.decode(Buffer.from(encodeCp1258(letter)), 'windows1258').normalize('NFC')).toBe(letter);
  });
});

describe('VISCII agrees with iconv-lite (test oracle)', () => {
  it('decodes every one of the 256 bytes the same way', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(VISCII.decode(all)).toBe(iconv.decode(Buffer.from(all), 'viscii').normalize('NFC'));
  });

  it('gives each of the 134 letters one byte, the one iconv-lite encodes it to', () => {
    for (const letter of LETTERS) {
      const bytes = VISCII.encode(letter);
      expect(bytes.length, letter).toBe(1);
      expect(Buffer.from(bytes).equals(iconv.encode(letter, 'viscii')), letter).toBe(true);
    }
  });
});

describe('VPS agrees with the published code chart (GNU recode)', () => {
  it('decodes every byte the chart defines to the chart\'s character, and keeps other bytes as Latin-1', () => {
    for (let b = 0; b < 256; b++) {
      const expected = VPS_CHART.get(b) ?? (b === 0x99 ? 0x1ed6 : b);
      expect(VPS.decode(Uint8Array.of(b)).codePointAt(0), `byte 0x${b.toString(16)}`).toBe(expected);
    }
    // The bytes recode leaves undefined carry no letter, except 0x99 (Ỗ, missing from the chart).
    expect(VPS_UNDEFINED.filter((b) => VPS.letters.has(b))).toEqual([0x99]);
  });

  it('gives each of the 134 letters exactly one byte', () => {
    const bytes = LETTERS.map((l) => VPS.encode(l));
    expect(bytes.every((b) => b.length === 1)).toBe(true);
    expect(new Set(bytes.map((b) => b[0])).size).toBe(LETTERS.length);
  });

  it('keeps the Windows quotes of the VPS fonts (0x91, 0x92) as quotes', () => {
    expect(toUnicode('‘Vi\u008ct’', 'vps')).toBe('‘Việt’');
  });
});

describe('legacy text as Word shows it', () => {
  it('reads TCVN3 text typed in .VnTime ("ViÖt Nam") and keeps Windows quotes as quotes', () => {
    expect(toUnicode('Céng hoµ x· héi chñ nghÜa ViÖt Nam', 'tcvn3')).toBe('Cộng hoà xã hội chủ nghĩa Việt Nam');
    expect(toUnicode('“§¶ng bé”', 'tcvn3')).toBe('“Đảng bộ”');
  });

  it('draws .VnTimeH codes as capitals', () => {
    expect(decodeTcvn3FontText('nghÞ quyÕt', true)).toBe('NGHỊ QUYẾT');
  });

  it('reads VNI text ("Vieät Nam") including a capital base with a small modifier', () => {
    expect(toUnicode('Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam', 'vni')).toBe('Cộng hòa xã hội chủ nghĩa Việt Nam');
    expect(toUnicode('ÑAÛNG BOÄ Ñaûng boä', 'vni')).toBe('ĐẢNG BỘ Đảng bộ');
    expect(toUnicode('Aùnh', 'vni')).toBe('Ánh');
  });

  it('reads VIQR, honours the backslash escape and leaves ordinary text alone', () => {
    expect(toUnicode('Vie^.t Nam DDa?ng bo^. xa~', 'viqr')).toBe('Việt Nam Đảng bộ xã');
    expect(toUnicode('Ha\\. ', 'viqr')).toBe('Ha. ');
    expect(encodeViqr('ca.')).toBe('ca\\.');
    for (const literal of ['address', 'ca. Ha^', 'a\\b', 'Đđ dd']) expect(decodeViqr(encodeViqr(literal))).toBe(literal);
  });

  it('reads Windows-1258 bytes with combining tones into NFC', () => {
    const bytes = Uint8Array.from(iconv.encode('Vi\u00ea\u0323t Nam', 'windows1258'));
    expect(decodeBytes(bytes, 'cp1258')).toBe('Việt Nam');
  });

  it('refuses to encode what an encoding cannot hold, naming the character', () => {
    expect(() => encodeTcvn3('Ω')).toThrow(/TCVN3 cannot encode "Ω"/);
    expect(() => encodeVniText('€')).toThrow(/VNI cannot encode/);
  });
});
