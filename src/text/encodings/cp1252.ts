/**
 * Windows-1252 upper half (0x80–0x9F). Word stores text typed in a legacy 8-bit font (.VnTime, VNI-Times)
 * as the Windows-1252 reading of its bytes, so turning such text back into bytes needs this table.
 */
export const CP1252_HIGH: ReadonlyMap<number, string> = new Map([
  [0x80, '€'], [0x82, '‚'], [0x83, 'ƒ'], [0x84, '„'], [0x85, '…'], [0x86, '†'], [0x87, '‡'], [0x88, 'ˆ'],
  [0x89, '‰'], [0x8a, 'Š'], [0x8b, '‹'], [0x8c, 'Œ'], [0x8e, 'Ž'], [0x91, '‘'], [0x92, '’'], [0x93, '“'],
  [0x94, '”'], [0x95, '•'], [0x96, '–'], [0x97, '—'], [0x98, '˜'], [0x99, '™'], [0x9a, 'š'], [0x9b, '›'],
  [0x9c, 'œ'], [0x9e, 'ž'], [0x9f, 'Ÿ'],
]);

const CP1252_BYTE = new Map<string, number>([...CP1252_HIGH].map(([b, c]) => [c, b]));

/**
 * The byte a legacy-font character stands for, or undefined when the character cannot come from an
 * 8-bit font (then the text is real Unicode). Symbol-font text sometimes lands in U+F000–U+F0FF.
 */
export function legacyByteOf(ch: string): number | undefined {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0xff) return cp;
  if (cp >= 0xf000 && cp <= 0xf0ff) return cp - 0xf000;
  return CP1252_BYTE.get(ch);
}
