/**
 * VNI-Windows (fonts VNI-Times, VNI-Helve…) ↔ Unicode, table written for bantin.
 *
 * VNI writes most letters as an ASCII base followed by one modifier byte ("Vieät" = Việt): the modifier's
 * meaning depends on the base (after "a", "ê" means breve; after "e", "â" means circumflex…). A few letters
 * are single bytes: ơ = ô, ư = ö, đ = ñ and the toned i / ỵ. Capitals use the capital forms of the same bytes.
 */
import { invert, withTone } from './marks.ts';

/** Modifier letters (as Latin-1 chars) for: no tone, grave, hook, tilde, acute, dot below. */
const PLAIN_TONES = ['ø', 'û', 'õ', 'ù', 'ï'] as const;
const CIRCUMFLEX = ['â', 'à', 'å', 'ã', 'á', 'ä'] as const;
const BREVE = ['ê', 'è', 'ú', 'ü', 'é', 'ë'] as const;

type Spelling = readonly [unicodeBase: string, vniBase: string, ownModifier: string, toneModifiers: readonly string[]];

/** How each lower-case vowel base is spelled: VNI base, its own modifier (circumflex/breve), tone modifiers. */
const SPELLINGS: readonly Spelling[] = [
  ['a', 'a', '', PLAIN_TONES],
  ['ă', 'a', BREVE[0], BREVE.slice(1)],
  ['â', 'a', CIRCUMFLEX[0], CIRCUMFLEX.slice(1)],
  ['e', 'e', '', PLAIN_TONES],
  ['ê', 'e', CIRCUMFLEX[0], CIRCUMFLEX.slice(1)],
  ['o', 'o', '', PLAIN_TONES],
  ['ô', 'o', CIRCUMFLEX[0], CIRCUMFLEX.slice(1)],
  ['ơ', 'ô', '', PLAIN_TONES],
  ['u', 'u', '', PLAIN_TONES],
  ['ư', 'ö', '', PLAIN_TONES],
  ['y', 'y', '', PLAIN_TONES],
];

/** Letters VNI writes as one byte: i with tones, ỵ, đ. */
const SINGLE: readonly (readonly [string, string])[] = [
  [withTone('i', 0), 'ì'], [withTone('i', 1), 'æ'], [withTone('i', 2), 'ó'], [withTone('i', 3), 'í'], [withTone('i', 4), 'ò'],
  [withTone('y', 4), 'î'], ['đ', 'ñ'],
];

function buildLowerTable(): Map<string, string> {
  const table = new Map<string, string>(); // VNI spelling → Unicode letter
  for (const [uni, base, own, tones] of SPELLINGS) {
    if (own || base !== uni) table.set(base + own, uni);
    tones.forEach((modifier, tone) => {
      // ỵ is the single byte î, never "yï".
      if (uni === 'y' && tone === 4) return;
      table.set(base + modifier, withTone(uni, tone));
    });
  }
  for (const [uni, vni] of SINGLE) table.set(vni, uni);
  return table;
}

const LOWER = buildLowerTable();
const DECODE = new Map<string, string>();
for (const [vni, uni] of LOWER) {
  DECODE.set(vni, uni);
  DECODE.set(vni.toUpperCase(), uni.toUpperCase());
}
const ENCODE = invert(DECODE);
const MAX_SPELLING = Math.max(...[...DECODE.keys()].map((k) => k.length));

/** Base letters that can start a two-byte spelling, and the modifier bytes, both cases. */
const MODIFIERS = new Set([...PLAIN_TONES, ...CIRCUMFLEX, ...BREVE].flatMap((m) => [m, m.toUpperCase()]));

interface Token {
  /** index in the source text where this letter starts */
  start: number;
  text: string;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    let consumed = 1;
    let letter: string = text[i] ?? '';
    // Longest spelling first: "oâ" (ô) before "o".
    for (let len = Math.min(MAX_SPELLING, text.length - i); len >= 1; len--) {
      const chunk = text.slice(i, i + len);
      const found = DECODE.get(chunk) ?? (len === 2 && MODIFIERS.has(chunk[1] ?? '') ? foldModifierCase(chunk) : undefined);
      if (found !== undefined) {
        letter = found;
        consumed = len;
        break;
      }
    }
    out.push({ start: i, text: letter });
    i += consumed;
  }
  return out;
}

/**
 * VNI text (a string whose characters are the font's byte values, e.g. Latin-1 decoded bytes) → NFC
 * Unicode. The modifier takes its case from the base letter, as VNI fonts draw it ("Vieät", "VIEÄT").
 */
export function decodeVniText(text: string): string {
  return tokenize(text).map((t) => t.text).join('').normalize('NFC');
}

/**
 * Decodes VNI text split over several pieces (Word runs) as one text, so a base letter in one run and its
 * modifier in the next still make one letter; each letter goes to the piece where it starts.
 */
export function decodeVniPieces(pieces: readonly string[]): string[] {
  const out = pieces.map(() => '');
  const starts: number[] = [];
  let offset = 0;
  for (const p of pieces) {
    starts.push(offset);
    offset += p.length;
  }
  let piece = 0;
  for (const token of tokenize(pieces.join(''))) {
    while (piece + 1 < pieces.length && (starts[piece + 1] ?? Infinity) <= token.start) piece++;
    out[piece] += token.text;
  }
  return out.map((t) => t.normalize('NFC'));
}

/** "Aù" (capital base, small modifier) happens when only the first letter was capitalised. */
function foldModifierCase(chunk: string): string | undefined {
  const base = chunk[0] ?? '';
  const modifier = chunk[1] ?? '';
  const isUpper = base !== base.toLowerCase();
  const normalized = isUpper ? base + modifier.toUpperCase() : base + modifier.toLowerCase();
  return DECODE.get(normalized);
}

/** VNI bytes → NFC Unicode (bytes below 0x80 are ASCII; the rest are read as Latin-1 glyph positions). */
export function decodeVni(bytes: Uint8Array): string {
  // Buffer's latin1 is ISO-8859-1 (one char per byte); spreading bytes into fromCharCode overflows the stack on big files.
  return decodeVniText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/** NFC Unicode → VNI text (Latin-1 characters). Throws RangeError naming a character VNI cannot hold. */
export function encodeVniText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const spelled = ENCODE.get(ch);
    if (spelled !== undefined) out += spelled;
    else if ((ch.codePointAt(0) ?? 0x10000) <= 0xff) out += ch;
    else throw new RangeError(`VNI cannot encode "${ch}" (U+${ch.codePointAt(0)?.toString(16).toUpperCase()})`);
  }
  return out;
}

/** NFC Unicode → VNI bytes. */
export function encodeVni(text: string): Uint8Array {
  return Uint8Array.from(encodeVniText(text), (c) => c.charCodeAt(0));
}
