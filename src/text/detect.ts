/**
 * Picks the encoding of a text when nothing (font name, --encoding) says it: every candidate decoding is
 * scored by the share of its words that are valid Vietnamese syllables. A legacy decoding must beat the
 * text as it stands by a clear margin; when no candidate is convincing, the text stays as it is and the
 * words that look broken are reported instead of guessed at.
 */
import { decodeBytes, isUnicodeBytes, toUnicode, decodeUnicodeBytes, type Encoding } from './encodings/index.ts';
import { isVietnameseSyllable } from './syllable.ts';

export interface Candidate {
  encoding: Encoding;
  text: string;
  /** Share of scored words that are valid Vietnamese syllables, 0..1 */
  score: number;
  /** Words that were scored (letters only, Vietnamese-looking or not) */
  words: number;
}

export interface Detection {
  encoding: Encoding;
  text: string;
  /** How sure: "high" when a clear winner, "low" when kept as is for lack of a convincing candidate */
  confidence: 'high' | 'low';
  candidates: { encoding: Encoding; score: number }[];
  /** Words that do not look like Vietnamese (or English/abbreviations) in the chosen text, first few */
  suspicious: string[];
}

/** A legacy decoding must be this much better than keeping the text as it is. */
const MARGIN = 0.15;
/** Below this share of valid syllables nothing is convincing. */
const MIN_SCORE = 0.5;
/** A reading this good is trusted even with a few odd words (names, loanwords). */
const SURE_SCORE = 0.7;
const MAX_SUSPICIOUS = 20;
/** The 8-bit encodings tried when nothing names one; on a tie the one listed first wins (most common first). */
const LEGACY_8BIT = ['tcvn3', 'vni', 'viscii', 'vps'] as const satisfies readonly Encoding[];

const EDGE_PUNCTUATION = /^[\s"'“”‘’«»()[\]{}.,;:!?…–—\-*/]+|[\s"'“”‘’«»()[\]{}.,;:!?…–—\-*/]+$/gu;

function words(text: string): string[] {
  return text
    .split(/\s+/u)
    .map((w) => w.replace(EDGE_PUNCTUATION, ''))
    .filter((w) => w.length > 0 && /\p{L}/u.test(w) && !/\d/u.test(w));
}

/** Words scored per candidate: an even sample of a long text judges its encoding as well as every word does. */
const MAX_SCORED_WORDS = 4000;

/** A long text's evenly spread slices (whole words): enough to judge an encoding, cheap to split into words. */
function sample(text: string): string {
  const SLICES = 40;
  const SLICE = 4000;
  if (text.length <= SLICES * SLICE * 1.5) return text;
  const out: string[] = [];
  for (let k = 0; k < SLICES; k++) {
    const start = Math.floor((k * (text.length - SLICE)) / (SLICES - 1));
    // Drop the words cut at both ends of the slice.
    out.push(text.slice(start, start + SLICE).replace(/^\S*\s/u, '').replace(/\s\S*$/u, ''));
  }
  return out.join(' ');
}

/** Share of the text's words (an even sample of a long text) that are Vietnamese syllables. */
export function scoreText(text: string): { score: number; words: number } {
  const list = words(sample(text));
  if (list.length === 0) return { score: 0, words: 0 };
  // Five candidate readings of a 500 KB file scored word by word took seconds; a sample takes milliseconds.
  const step = Math.max(1, list.length / MAX_SCORED_WORDS);
  let valid = 0;
  let scored = 0;
  for (let i = 0; i < list.length; i += step) {
    scored++;
    if (isVietnameseSyllable(list[Math.floor(i)] ?? '')) valid++;
  }
  return { score: valid / scored, words: list.length };
}

/** Words with characters outside Vietnamese letters, or with letters in an impossible order. */
export function suspiciousWords(text: string): string[] {
  const out: string[] = [];
  // A text repeats its words: each distinct one is checked once.
  const checked = new Set<string>();
  for (const w of words(text)) {
    if (checked.has(w)) continue;
    checked.add(w);
    if (/[^\p{ASCII}]/u.test(w) && !isVietnameseSyllable(w)) out.push(w);
    if (out.length >= MAX_SUSPICIOUS) break;
  }
  return out;
}

function candidate(encoding: Encoding, text: string): Candidate {
  return { encoding, text, ...scoreText(text) };
}

/** VIQR is only guessed when marks sit inside words often ("Vie^.t", "DDa?ng"): ordinary text has few. */
export function looksLikeViqr(text: string): boolean {
  const marks = text.match(/[aeiouyAEIOUY][(^+]?[`?~'.][a-zA-Z]|[aeoAEO][(^+]|[dD][dD][aeiouyAEIOUY]/g)?.length ?? 0;
  const wordCount = text.split(/\s+/u).length;
  return marks >= 3 && marks / Math.max(1, wordCount) > 0.15 && !/[^\p{ASCII}]/u.test(text);
}

function choose(asIs: Candidate, legacy: Candidate[]): Detection {
  const ranked = [asIs, ...legacy].sort((a, b) => b.score - a.score);
  const best = ranked[0] ?? asIs;
  const wins = best !== asIs && best.score >= MIN_SCORE && best.score >= asIs.score + MARGIN;
  const chosen = wins ? best : asIs;
  const suspicious = suspiciousWords(chosen.text);
  const confident = chosen.words === 0 || suspicious.length === 0 || chosen.score >= SURE_SCORE;
  return {
    encoding: chosen.encoding,
    text: chosen.text,
    confidence: confident ? 'high' : 'low',
    candidates: ranked.map((c) => ({ encoding: c.encoding, score: Math.round(c.score * 1000) / 1000 })),
    suspicious,
  };
}

/**
 * A Unicode string that may hold legacy text read the wrong way ("ViÖt Nam" pasted from a .VnTime
 * document, VNI "Vieät", VIQR "Vie^.t") → the best reading, or the text unchanged.
 */
export function detectText(text: string, asIsEncoding: Encoding = 'unicode'): Detection {
  const asIs = candidate(asIsEncoding, text.normalize('NFC'));
  const legacy: Candidate[] = [];
  // Legacy bytes read as Windows text show up as Latin-1 letters ("ViÖt", "Vieät").
  if (/[\u00a0-\u00ff]/u.test(text)) {
    legacy.push(...LEGACY_8BIT.map((e) => candidate(e, toUnicode(text, e))));
  }
  if (looksLikeViqr(text)) legacy.push(candidate('viqr', toUnicode(text, 'viqr')));
  return choose(asIs, legacy);
}

/** File bytes of unknown encoding → the best decoding (UTF-8/16, Windows-1258, TCVN3, VNI, VISCII, VPS, VIQR). */
export function detectBytes(bytes: Uint8Array): Detection {
  if (isUnicodeBytes(bytes)) return detectText(decodeUnicodeBytes(bytes));
  // Not UTF-8: one of the 8-bit encodings. Windows-1258 is what Windows would show, so it is the fallback.
  const asIs = candidate('cp1258', decodeBytes(bytes, 'cp1258'));
  return choose(asIs, LEGACY_8BIT.map((e) => candidate(e, decodeBytes(bytes, e))));
}

/** Letters no 8-bit Vietnamese font produces from a Windows code page (ă đ ơ ư, the Vietnamese block, combining marks). */
const UNICODE_ONLY = /[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]|\p{Mn}/u;

export interface LineRepair {
  text: string;
  /** Lines read in another encoding than the file's, per encoding */
  repaired: Map<Encoding, number>;
  suspicious: string[];
}

/**
 * A file stitched together from several sources (a TCVN3 report with a VNI paragraph pasted in, a UTF-8
 * page with "ViÖt Nam" lines copied from an old document): after the file's encoding is chosen, each line
 * that still reads badly is judged on its own, and read in another encoding only on a clear win.
 */
export function repairLines(bytes: Uint8Array, file: Detection): LineRepair {
  const repaired = new Map<Encoding, number>();
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const unicode = isUnicodeBytes(bytes);
  // A UTF-8 file read as legacy text as a whole may still hold lines that are Unicode beyond doubt.
  const unicodeLinesPossible = unicode && file.encoding !== 'unicode';
  if (utf16 || (!file.suspicious.length && !unicodeLinesPossible)) return { text: file.text, repaired, suspicious: file.suspicious };
  const rawLines = unicode ? decodeUnicodeBytes(bytes).split('\n') : splitBytes(bytes, 0x0a);
  const lines = rawLines.map((raw) => {
    if (typeof raw === 'string' && unicodeLinesPossible && UNICODE_ONLY.test(raw)) {
      repaired.set('unicode', (repaired.get('unicode') ?? 0) + 1);
      return raw.normalize('NFC');
    }
    const current = typeof raw === 'string' ? toUnicode(raw, file.encoding) : decodeBytes(raw, file.encoding);
    if (suspiciousWords(current).length === 0) return current;
    const alone = typeof raw === 'string' ? detectText(raw) : detectBytes(raw);
    if (alone.encoding === file.encoding || alone.confidence !== 'high' || scoreText(alone.text).score < scoreText(current).score + MARGIN) return current;
    repaired.set(alone.encoding, (repaired.get(alone.encoding) ?? 0) + 1);
    return alone.text;
  });
  const text = lines.join('\n');
  return { text, repaired, suspicious: repaired.size ? suspiciousWords(text) : file.suspicious };
}

function splitBytes(bytes: Uint8Array, separator: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === separator) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}
