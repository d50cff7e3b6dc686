/**
 * Cleans what word processors and web pages leave in text, without dropping content: NFC, no-break and
 * odd spaces → space, soft hyphens and zero-width characters removed (Vietnamese is never hyphenated),
 * quote variants → the Vietnamese “…” / ‘…’. Counts every change for the import report.
 */

export interface NormalizeCounts {
  /** Pieces of text (documents, text nodes) that were not NFC */
  nfc: number;
  spaces: number;
  softHyphens: number;
  zeroWidth: number;
  quotes: number;
}

export function emptyCounts(): NormalizeCounts {
  return { nfc: 0, spaces: 0, softHyphens: 0, zeroWidth: 0, quotes: 0 };
}

const ODD_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/gu;
const SOFT_HYPHEN = /\u00ad/gu;
// ZWSP, ZWNJ, ZWJ, word joiner, BOM. (ZWJ/ZWNJ matter in some scripts, never in Vietnamese.)
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/gu;
const DOUBLE_QUOTE_VARIANTS: Readonly<Record<string, string>> = { '„': '“', '‟': '“', '〝': '“', '〞': '”', '＂': '"', '″': '"' };
const SINGLE_QUOTE_VARIANTS: Readonly<Record<string, string>> = { '‚': '‘', '‛': '‘' };

function countReplace(text: string, re: RegExp, by: string, add: (n: number) => void): string {
  let n = 0;
  const out = text.replace(re, () => {
    n++;
    return by;
  });
  add(n);
  return out;
}

/** State carried across the text pieces of one paragraph, so a quote opened in one run closes in another. */
export interface QuoteState {
  open: boolean;
}

/**
 * Normalizes one piece of text. `quotes` carries the open/closed state of straight double quotes across
 * pieces of the same paragraph; pass a fresh `{ open: false }` per paragraph.
 */
export function normalizeText(text: string, counts: NormalizeCounts, quotes: QuoteState = { open: false }): string {
  let out = text;
  const nfc = out.normalize('NFC');
  if (nfc !== out) counts.nfc += 1;
  out = nfc;
  out = countReplace(out, ODD_SPACES, ' ', (n) => (counts.spaces += n));
  out = countReplace(out, SOFT_HYPHEN, '', (n) => (counts.softHyphens += n));
  out = countReplace(out, ZERO_WIDTH, '', (n) => (counts.zeroWidth += n));
  out = out.replace(/[„‟〝〞＂″‚‛]/gu, (q) => {
    counts.quotes++;
    return DOUBLE_QUOTE_VARIANTS[q] ?? SINGLE_QUOTE_VARIANTS[q] ?? q;
  });
  // Straight double quotes alternate: the first in a paragraph opens, the next closes.
  out = out.replace(/"/gu, () => {
    counts.quotes++;
    quotes.open = !quotes.open;
    return quotes.open ? '“' : '”';
  });
  return out;
}
