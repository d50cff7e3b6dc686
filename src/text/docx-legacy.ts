/**
 * Converts legacy-font text (TCVN3, VNI, VISCII, VPS) inside the XML parts of a .docx (document, footnotes,
 * endnotes) to Unicode, run by run, before mammoth sees it. Per paragraph, the runs of one legacy font are
 * judged together: text that already holds Unicode Vietnamese (someone typed Unicode in a .VnTime font) is
 * left alone, otherwise the conversion is kept only if it does not make the text less Vietnamese. Then
 * Word's All caps / Small caps are applied to the converted text.
 */
import { decodeTcvn3FontText } from './encodings/tcvn3.ts';
import { decodeVniPieces } from './encodings/vni.ts';
import type { Encoding, EncodingChoice } from './encodings/index.ts';
import { toUnicode } from './encodings/index.ts';
import { detectText, scoreText, suspiciousWords } from './detect.ts';
import { effectiveRun, encodingOfFont, looksLikeOtherLegacyFont, W_NS, type FontContext } from './docx-fonts.ts';
import { addEncodingUse, type ImportReport } from './report.ts';

interface RunText {
  font: string | undefined;
  /** ".VnTimeH"-style font: its lower-case codes draw capitals */
  capitals: boolean;
  /** Word's All caps or Small caps: shown in capitals whatever was typed */
  caps: boolean;
  /** the w:t elements of the run */
  texts: Element[];
}

/** Characters no 8-bit font can produce: their presence means the run is Unicode already. */
const UNICODE_VIETNAMESE = /[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]|\p{Mn}/u; // ă Ă đ Đ ơ Ơ ư Ư, the Vietnamese block, combining marks

const LATIN1_VIETNAMESE = new Set([...'àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ']);

/** True when every Latin-1 character of the text is a Vietnamese letter (no µ ¸ ® ª legacy symbols). */
function latin1IsVietnameseOnly(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x80 && cp <= 0xff && !LATIN1_VIETNAMESE.has(ch)) return false;
  }
  return true;
}

function closestParagraph(node: Node): Element | undefined {
  for (let p = node.parentNode; p; p = p.parentNode) {
    if (p.nodeType === 1 && (p as Element).localName === 'p' && (p as Element).namespaceURI === W_NS) return p as Element;
  }
  return undefined;
}

function textsOf(run: Element): Element[] {
  const out: Element[] = [];
  for (let n = run.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === 't' && (n as Element).namespaceURI === W_NS) out.push(n as Element);
  }
  return out;
}

function nonAsciiCount(text: string): number {
  let n = 0;
  for (const ch of text) if ((ch.codePointAt(0) ?? 0) > 0x7f) n++;
  return n;
}

function setText(t: Element, value: string): void {
  while (t.firstChild) t.removeChild(t.firstChild);
  t.appendChild(t.ownerDocument.createTextNode(value));
}

/** Word sometimes keeps text of a non-Unicode font in the private-use "symbol" range U+F020–U+F0FF. */
function fromSymbolRange(text: string): string {
  return text.replace(/[\uf020-\uf0ff]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xf000));
}

function convertPieces(encoding: Encoding, runs: RunText[]): string[][] {
  if (encoding === 'vni') {
    const flat = runs.flatMap((r) => r.texts.map((t) => fromSymbolRange(t.textContent ?? '')));
    const decoded = decodeVniPieces(flat);
    let i = 0;
    return runs.map((r) => r.texts.map(() => decoded[i++] ?? ''));
  }
  if (encoding === 'tcvn3') return runs.map((r) => r.texts.map((t) => decodeTcvn3FontText(fromSymbolRange(t.textContent ?? ''), r.capitals)));
  return runs.map((r) => r.texts.map((t) => toUnicode(t.textContent ?? '', encoding)));
}

function apply(runs: RunText[], converted: string[][]): number {
  let changed = 0;
  runs.forEach((r, i) =>
    r.texts.forEach((t, j) => {
      const before = t.textContent ?? '';
      const after = converted[i]?.[j] ?? before;
      if (after !== before) {
        changed += nonAsciiCount(before) || 1;
        setText(t, after);
      }
    }),
  );
  return changed;
}

/** Groups runs per paragraph, in document order. */
function paragraphsOf(doc: Document, ctx: FontContext): Map<Element | undefined, RunText[]> {
  const byParagraph = new Map<Element | undefined, RunText[]>();
  // A snapshot: xmldom's live list would be re-collected after every text change (quadratic).
  const runs = Array.from(doc.getElementsByTagNameNS(W_NS, 'r'));
  for (const run of runs) {
    const texts = textsOf(run);
    if (texts.length === 0) continue;
    const paragraph = closestParagraph(run);
    const { font, caps, smallCaps } = effectiveRun(run, paragraph, ctx);
    const fe = encodingOfFont(font);
    const list = byParagraph.get(paragraph) ?? [];
    list.push({ font, capitals: fe.encoding === 'tcvn3' && fe.capitals, caps: caps || smallCaps, texts });
    byParagraph.set(paragraph, list);
  }
  return byParagraph;
}

/**
 * Converts the legacy text of one XML part in place and records what it did in `report`.
 * `choice` other than "auto" forces one encoding for every run (the font names are then ignored).
 */
export function convertLegacyRuns(doc: Document, ctx: FontContext, choice: EncodingChoice, report: ImportReport, unknownFonts: Set<string>): void {
  const paragraphs = paragraphsOf(doc, ctx);
  for (const runs of paragraphs.values()) convertParagraph(runs, choice, report, unknownFonts);
  // After conversion: upper-casing legacy bytes first would turn TCVN3 "µ" into Greek "Μ".
  for (const runs of paragraphs.values()) for (const r of runs) if (r.caps) applyCaps(r);
}

/**
 * Word's All caps / Small caps only change how text is drawn; mammoth passes the typed text through, so a
 * heading typed "Nghị quyết" with All caps would lose the capitals readers saw. The HTML allow-list keeps
 * no styles, so small caps become capitals too.
 */
function applyCaps(run: RunText): void {
  for (const t of run.texts) {
    const before = t.textContent ?? '';
    const after = before.toLocaleUpperCase('vi');
    if (after !== before) setText(t, after);
  }
}

function convertParagraph(runs: RunText[], choice: EncodingChoice, report: ImportReport, unknownFonts: Set<string>): void {
  // Runs of the same font judged together: one run can be a single letter.
  const byFont = new Map<string, RunText[]>();
  for (const r of runs) {
    const key = r.font ?? '';
    byFont.set(key, [...(byFont.get(key) ?? []), r]);
  }
  for (const [font, group] of byFont) {
    const text = group.flatMap((r) => r.texts.map((t) => t.textContent ?? '')).join('');
    if (choice !== 'auto') {
      const changed = choice === 'unicode' ? 0 : apply(group, convertPieces(choice, group));
      addEncodingUse(report, { encoding: choice, font: font || undefined, decidedBy: 'option' }, group.length, 1, changed);
      continue;
    }
    const fe = encodingOfFont(font || undefined);
    if (fe.encoding === 'unicode') {
      if (font && looksLikeOtherLegacyFont(font)) unknownFonts.add(font);
      // No font anywhere, or a Unicode font showing broken words ("ViÖt" after someone changed the font
      // of a TCVN3 text): let the syllable scoring decide; it converts only on a clear win.
      const detection = !font || suspiciousWords(text).length > 0 ? detectText(text) : undefined;
      if (detection && detection.encoding !== 'unicode') {
        const converted = convertPieces(detection.encoding, group);
        const changed = apply(group, converted);
        addEncodingUse(report, { encoding: detection.encoding, font: font || undefined, decidedBy: 'detection' }, group.length, 1, changed);
        report.suspicious.push(...suspiciousWords(converted.flat().join('')));
      } else {
        addEncodingUse(report, { encoding: 'unicode', font: font || undefined, decidedBy: font ? 'font' : 'detection' }, group.length, 1, 0);
        report.suspicious.push(...suspiciousWords(text));
      }
      continue;
    }
    if (UNICODE_VIETNAMESE.test(text)) {
      // Unicode typed in a legacy-named font: converting again would garble it.
      addEncodingUse(report, { encoding: 'unicode', font, decidedBy: 'detection' }, group.length, 1, 0);
      continue;
    }
    const converted = convertPieces(fe.encoding, group);
    const convertedText = converted.flat().join('');
    const asIs = scoreText(text).score;
    const after = scoreText(convertedText).score;
    // "Cà phê" typed in Unicode reads as TCVN3 "Cà phờ" — equally valid. Legacy text nearly always holds
    // symbols (µ ¸ ®) among its letters; text whose every Latin-1 character is a Vietnamese letter and
    // that is at least as Vietnamese as the conversion is Unicode already.
    if (nonAsciiCount(text) > 0 && (after < asIs || (after === asIs && latin1IsVietnameseOnly(text)))) {
      addEncodingUse(report, { encoding: 'unicode', font, decidedBy: 'detection' }, group.length, 1, 0);
      report.suspicious.push(...suspiciousWords(text));
      continue;
    }
    const changed = apply(group, converted);
    addEncodingUse(report, { encoding: fe.encoding, font, decidedBy: 'font' }, group.length, 1, changed);
    report.suspicious.push(...suspiciousWords(convertedText));
  }
}
