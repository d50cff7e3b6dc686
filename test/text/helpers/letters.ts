/** Test-side derivation of the Vietnamese letters with diacritics (independent of src/). */
const BASES = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const TONE_MARKS = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

export const LOWER_LETTERS = [
  ...BASES.flatMap((b) => TONE_MARKS.map((t) => (b + t).normalize('NFC'))),
  ...BASES.filter((b) => !/^[a-z]$/.test(b)),
  'đ',
];
export const UPPER_LETTERS = LOWER_LETTERS.map((l) => l.toUpperCase());
export const ALL_LETTERS = [...LOWER_LETTERS, ...UPPER_LETTERS];

/** Bytes → the string Word keeps for text typed in an 8-bit font (Latin-1 reading of the bytes). */
export function fontText(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
