/**
 * Windows-1258 ↔ Unicode, table written for bantin. Windows-1258 is Windows-1252 with a few letters swapped
 * for Ă Đ Ơ Ư and five combining tone marks; Vietnamese tones come as base + combining mark, so the result
 * is normalized to NFC.
 */
import { CP1252_HIGH, } from './cp1252.ts';
import { invert } from './marks.ts';

const OVERRIDES: readonly (readonly [number, string])[] = [
  [0xc3, 'Ă'], [0xcc, '\u0300'], [0xd0, 'Đ'], [0xd2, '\u0309'], [0xd5, 'Ơ'], [0xdd, 'Ư'], [0xde, '\u0303'],
  [0xe3, 'ă'], [0xec, '\u0301'], [0xf0, 'đ'], [0xf2, '\u0323'], [0xf5, 'ơ'], [0xfd, 'ư'], [0xfe, '₫'],
];
/** Windows-1252 letters that Windows-1258 leaves undefined. */
const UNDEFINED_HIGH = new Set([0x8a, 0x8e, 0x9a, 0x9e]);

const TABLE = new Map<number, string>();
for (let b = 0; b < 256; b++) TABLE.set(b, String.fromCharCode(b));
for (const [b, c] of CP1252_HIGH) if (!UNDEFINED_HIGH.has(b)) TABLE.set(b, c);
for (const [b, c] of OVERRIDES) TABLE.set(b, c);
const ENCODE = invert(TABLE);

const TONE_MARKS = new Set(['\u0300', '\u0309', '\u0303', '\u0301', '\u0323']);

/** Windows-1258 bytes → NFC Unicode. */
export function decodeCp1258(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += TABLE.get(b) ?? String.fromCharCode(b);
  return out.normalize('NFC');
}

/**
 * Unicode → Windows-1258 bytes: letters Windows-1258 has precomposed stay whole, the rest become
 * base + combining tone mark. Throws RangeError naming the first character it cannot hold.
 */
export function encodeCp1258(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const direct = ENCODE.get(ch);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    const parts = [...ch.normalize('NFD')];
    // Recompose everything but the tone mark: "ệ" → "ê" + dot below.
    const tone = parts.filter((p) => TONE_MARKS.has(p));
    const base = parts.filter((p) => !TONE_MARKS.has(p)).join('').normalize('NFC');
    const baseCode = ENCODE.get(base);
    const toneCode = tone.length === 1 && tone[0] !== undefined ? ENCODE.get(tone[0]) : undefined;
    if (baseCode === undefined || toneCode === undefined) {
      throw new RangeError(`Windows-1258 cannot encode "${ch}" (U+${ch.codePointAt(0)?.toString(16).toUpperCase()})`);
    }
    out.push(baseCode, toneCode);
  }
  return Uint8Array.from(out);
}
