/**
 * Shared machinery for the one-byte Vietnamese code pages whose every toned letter has its own byte
 * (VISCII, VPS): a table written as rows of (base letter, its own byte, bytes for the five tones) becomes a
 * byte → letter decoder and a letter → byte encoder. Bytes a table does not use keep their Latin-1 meaning,
 * so nothing is dropped.
 */
import { legacyByteOf } from './cp1252.ts';
import { invert, withTone } from './marks.ts';

/** base letter, its own byte (undefined = ASCII), then bytes for grave, hook, tilde, acute, dot below */
export type ToneRow = readonly [base: string, own: number | undefined, tones: readonly [number, number, number, number, number]];

export interface SingleByteCodec {
  readonly name: string;
  /** byte → letter for every byte the code page gives a Vietnamese letter */
  readonly letters: ReadonlyMap<number, string>;
  decode(bytes: Uint8Array): string;
  /** Text as Word or a browser shows it (one character per byte, Windows-1252 punctuation) → NFC Unicode */
  decodeFontText(text: string): string;
  encode(text: string): Uint8Array;
}

export function singleByteCodec(name: string, rows: readonly ToneRow[], extra: readonly (readonly [number, string])[]): SingleByteCodec {
  const letters = new Map<number, string>();
  for (const [base, own, tones] of rows) {
    if (own !== undefined) letters.set(own, base);
    tones.forEach((code, tone) => letters.set(code, withTone(base, tone)));
  }
  for (const [code, letter] of extra) letters.set(code, letter);
  if (letters.size !== 134) throw new Error(`${name} table holds ${letters.size} letters, expected 134 (a byte is used twice)`);
  const encodeTable = invert(letters);

  const decodeByte = (b: number): string => letters.get(b) ?? String.fromCharCode(b);
  return {
    name,
    letters,
    decode(bytes) {
      let out = '';
      for (const b of bytes) out += decodeByte(b);
      return out.normalize('NFC');
    },
    decodeFontText(text) {
      let out = '';
      for (const ch of text) {
        const b = legacyByteOf(ch);
        const letter = b === undefined ? undefined : letters.get(b);
        // Not a letter of the code page: Windows punctuation (‘ ’ “ ”) and real Unicode stay; only text Word
        // parked in the symbol range U+F0xx goes back to its byte.
        out += letter ?? ((ch.codePointAt(0) ?? 0) >= 0xf000 && b !== undefined ? String.fromCharCode(b) : ch);
      }
      return out.normalize('NFC');
    },
    encode(text) {
      const out: number[] = [];
      for (const ch of text.normalize('NFC')) {
        const cp = ch.codePointAt(0) ?? 0x10000;
        // Bytes the code page leaves to ASCII / Latin-1 symbols keep them.
        const code = encodeTable.get(ch) ?? (cp <= 0xff && !letters.has(cp) ? cp : undefined);
        if (code === undefined) throw new RangeError(`${name} cannot encode "${ch}" (U+${cp.toString(16).toUpperCase()})`);
        out.push(code);
      }
      return Uint8Array.from(out);
    },
  };
}
