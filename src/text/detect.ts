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

/** Non-ASCII words only count when the text has some: pure-ASCII words (names, abbreviations) score the same everywhere. */
export function scoreText(text: string): { score: number; words: number } {
  const list = words(text);
  if (list.length === 0) return { score: 0, words: 0 };
  let valid = 0;
  for (const w of list) if (isVietnameseSyllable(w)) valid++;
  return { score: valid / list.length, words: list.length };
}

/** Words with characters outside Vietnamese letters, or with letters in an impossible order. */
export function suspiciousWords(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
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
