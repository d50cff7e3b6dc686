/**
 * TCVN3 (TCVN 5712:1993, the "ABC" fonts .VnTime, .VnArial…) ↔ Unicode, table written for bantin.
 *
 * Byte decoding follows the full VN1 table (upper-case toned letters in 0x01–0x17 and 0x80–0x9F), so a
 * plain TCVN3 text file round-trips every letter. Text typed in a .VnTime font inside Word is different:
 * those fonts (VN3) keep the Windows punctuation at 0x80–0x9F (“ ” – …), and capitals with tones come from
 * the matching ".VnTimeH" font, whose lower-case codes draw capitals. `decodeTcvn3FontText` handles that.
 */
import { invert, withTone } from './marks.ts';
import { legacyByteOf } from './cp1252.ts';

/** base letter, its own code (undefined = ASCII), then codes for grave, hook, tilde, acute, dot below */
type Row = readonly [base: string, own: number | undefined, tones: readonly [number, number, number, number, number]];

const LOWER: readonly Row[] = [
  ['a', undefined, [0xb5, 0xb6, 0xb7, 0xb8, 0xb9]],
  ['ă', 0xa8, [0xbb, 0xbc, 0xbd, 0xbe, 0xc6]],
  ['â', 0xa9, [0xc7, 0xc8, 0xc9, 0xca, 0xcb]],
  ['e', undefined, [0xcc, 0xce, 0xcf, 0xd0, 0xd1]],
  ['ê', 0xaa, [0xd2, 0xd3, 0xd4, 0xd5, 0xd6]],
  ['i', undefined, [0xd7, 0xd8, 0xdc, 0xdd, 0xde]],
  ['o', undefined, [0xdf, 0xe1, 0xe2, 0xe3, 0xe4]],
  ['ô', 0xab, [0xe5, 0xe6, 0xe7, 0xe8, 0xe9]],
  ['ơ', 0xac, [0xea, 0xeb, 0xec, 0xed, 0xee]],
  ['u', undefined, [0xef, 0xf1, 0xf2, 0xf3, 0xf4]],
  ['ư', 0xad, [0xf5, 0xf6, 0xf7, 0xf8, 0xf9]],
  ['y', undefined, [0xfa, 0xfb, 0xfc, 0xfd, 0xfe]],
];

/** Upper-case toned letters exist only in the full VN1 set. */
const UPPER: readonly Row[] = [
  ['A', undefined, [0x80, 0x81, 0x82, 0x83, 0x84]],
  ['Ă', 0xa1, [0xaf, 0xba, 0xbf, 0xc0, 0x85]],
  ['Â', 0xa2, [0xc1, 0xc2, 0xc3, 0xc4, 0x86]],
  ['E', undefined, [0x87, 0x88, 0x89, 0x8a, 0x8b]],
  ['Ê', 0xa3, [0xc5, 0xcd, 0xd9, 0xda, 0x8c]],
  ['I', undefined, [0x8d, 0x8e, 0x8f, 0x90, 0x91]],
  ['O', undefined, [0x92, 0x93, 0x94, 0x95, 0x96]],
  ['Ô', 0xa4, [0xdb, 0xe0, 0xf0, 0xff, 0x97]],
  ['Ơ', 0xa5, [0x98, 0x99, 0x9a, 0x9b, 0x9c]],
  ['U', undefined, [0x9d, 0x9e, 0x9f, 0x01, 0x02]],
  ['Ư', 0xa6, [0x04, 0x05, 0x06, 0x11, 0x12]],
  ['Y', undefined, [0x13, 0x14, 0x15, 0x16, 0x17]],
];

/** Combining tone marks (used by some old texts instead of precomposed letters). */
const COMBINING: readonly (readonly [number, string])[] = [
  [0xb0, '\u0300'], [0xb1, '\u0309'], [0xb2, '\u0303'], [0xb3, '\u0301'], [0xb4, '\u0323'],
];

function buildTable(rows: readonly Row[]): Map<number, string> {
  const table = new Map<number, string>();
  for (const [base, own, tones] of rows) {
    if (own !== undefined) table.set(own, base);
    tones.forEach((code, tone) => table.set(code, withTone(base, tone)));
  }
  return table;
}

const VN3 = new Map<number, string>([...buildTable(LOWER), [0xae, 'đ'], [0xa7, 'Đ'], ...COMBINING]);
// VN3 also carries the untoned capitals Ă Â Ê Ô Ơ Ư.
for (const [base, own] of UPPER) if (own !== undefined) VN3.set(own, base);

const VN1 = new Map<number, string>([...VN3, ...buildTable(UPPER)]);
const ENCODE = invert(VN1);

function decodeByte(b: number, table: ReadonlyMap<number, string>): string {
  return table.get(b) ?? String.fromCharCode(b);
}

/** TCVN3 bytes (full VN1 table) → NFC Unicode. Bytes that are not letters keep their Latin-1 meaning. */
export function decodeTcvn3(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += decodeByte(b, VN1);
  return out.normalize('NFC');
}

/** ASCII and Latin-1 symbols whose byte TCVN3 does not use for a letter keep their code. */
function passThroughCode(ch: string): number | undefined {
  const cp = ch.codePointAt(0) ?? 0x10000;
  if (cp < 0x80) return cp;
  if (cp >= 0xa0 && cp <= 0xff && !VN1.has(cp)) return cp;
  return undefined;
}

/** NFC Unicode → TCVN3 bytes (VN1). Throws RangeError naming the first character TCVN3 cannot hold. */
export function encodeTcvn3(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const code = ENCODE.get(ch) ?? passThroughCode(ch);
    if (code === undefined) throw new RangeError(`TCVN3 cannot encode "${ch}" (U+${ch.codePointAt(0)?.toString(16).toUpperCase()})`);
    out.push(code);
  }
  return Uint8Array.from(out);
}

/**
 * Text Word shows in a .VnTime-style font → Unicode. Characters that cannot come from an 8-bit font
 * (already Unicode) and Windows punctuation are kept; `capitals` is for the ".VnTimeH" fonts whose
 * lower-case codes draw capital letters.
 */
export function decodeTcvn3FontText(text: string, capitals: boolean): string {
  let out = '';
  for (const ch of text) {
    const b = legacyByteOf(ch);
    const cp = ch.codePointAt(0) ?? 0;
    // Characters above U+00FF (“ ” – … or real Unicode) are what the VN3 font shows anyway.
    out += b !== undefined && cp <= 0xff ? decodeByte(b, VN3) : ch;
  }
  out = out.normalize('NFC');
  return capitals ? out.toLocaleUpperCase('vi') : out;
}
