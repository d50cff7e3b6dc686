/**
 * VIQR (RFC 1456, "Vie^.t Nam") ↔ Unicode, written for bantin. A vowel is followed by its shape mark
 * ( ( breve, ^ circumflex, + horn ) and then its tone mark ( ` grave, ? hook, ~ tilde, ' acute, . dot );
 * "dd" is đ. A backslash makes the next mark literal ("ca\." is "ca."), as RFC 1456 prescribes.
 */
import { TONES, VOWEL_BASES } from './marks.ts';

const TONE_MARKS = ['`', '?', '~', "'", '.'] as const;
const SHAPE_MARKS: Readonly<Record<string, string>> = { 'a(': 'ă', 'a^': 'â', 'e^': 'ê', 'o^': 'ô', 'o+': 'ơ', 'u+': 'ư' };
const SHAPE_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SHAPE_MARKS).map(([k, v]) => [v, k]));
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
/** RFC 1456 also allows the "alternate" acute mark. */
const TONE_ALIASES: Readonly<Record<string, string>> = { '\u00b4': "'" };

function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase();
}

function caseLike(model: string, text: string): string {
  return isUpper(model) ? text.toUpperCase() : text;
}

/** VIQR text → NFC Unicode. */
export function decodeViqr(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    const lower = ch.toLowerCase();
    // A backslash between two d letters keeps them from becoming đ (the encoder writes "ad\dress").
    if (ch === '\\' && i + 1 < text.length && (isMark(text[i + 1] ?? '') || (/[dD]/.test(text[i + 1] ?? '') && /[dD]/.test(text[i - 1] ?? '')))) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (lower === 'd' && (text[i + 1] ?? '').toLowerCase() === 'd') {
      out += caseLike(ch, 'đ');
      i += 2;
      continue;
    }
    if (!VOWELS.has(lower)) {
      out += ch;
      i += 1;
      continue;
    }
    let letter = lower;
    let j = i + 1;
    const shaped = SHAPE_MARKS[lower + (text[j] ?? '')];
    if (shaped !== undefined) {
      letter = shaped;
      j += 1;
    }
    const mark = TONE_ALIASES[text[j] ?? ''] ?? text[j] ?? '';
    const tone = (TONE_MARKS as readonly string[]).indexOf(mark);
    if (tone >= 0) {
      letter = (letter + (TONES[tone] ?? '')).normalize('NFC');
      j += 1;
    }
    out += caseLike(ch, letter);
    i = j;
  }
  return out.normalize('NFC');
}

function isMark(ch: string): boolean {
  return (TONE_MARKS as readonly string[]).includes(ch) || ch === '(' || ch === '^' || ch === '+' || ch === '\\';
}

const TONE_BY_MARK = new Map<string, string>(TONES.map((t, i) => [t, TONE_MARKS[i] ?? '']));
const BASES = new Set<string>(VOWEL_BASES);

/** NFC Unicode → VIQR. Literal marks right after a vowel (or after "d" for "d" + "d") are escaped. */
export function encodeViqr(text: string): string {
  let out = '';
  let previousWasLetterEnd = false; // true when a mark char here would be read as part of the previous letter
  let previousD = false;
  for (const ch of text.normalize('NFC')) {
    if (isMark(ch) && (previousWasLetterEnd || ch === '\\')) {
      out += '\\' + ch;
      previousWasLetterEnd = false;
      previousD = false;
      continue;
    }
    if ((ch === 'd' || ch === 'D') && previousD) {
      // "dd" in the source would read back as đ: keep the two letters apart.
      out += '\\' + ch;
      previousD = false;
      previousWasLetterEnd = false;
      continue;
    }
    const parts = [...ch.normalize('NFD')];
    const tone = parts.find((p) => TONE_BY_MARK.has(p));
    const base = parts.filter((p) => !TONE_BY_MARK.has(p)).join('').normalize('NFC');
    const lowerBase = base.toLowerCase();
    if (lowerBase === 'đ') {
      out += isUpper(base) ? 'DD' : 'dd';
      previousWasLetterEnd = false;
      previousD = false;
      continue;
    }
    if (BASES.has(lowerBase)) {
      const shape = SHAPE_OF[lowerBase] ?? lowerBase;
      const spelled = shape + (tone !== undefined ? (TONE_BY_MARK.get(tone) ?? '') : '');
      out += isUpper(base) ? spelled[0]?.toUpperCase() + spelled.slice(1) : spelled;
      previousWasLetterEnd = true;
      previousD = false;
      continue;
    }
    out += ch;
    previousWasLetterEnd = false;
    previousD = ch === 'd' || ch === 'D';
  }
  return out;
}
