/**
 * Small repairs on a .docx part before mammoth reads it, for damage real documents carry:
 * - a hyperlink whose relationship is missing (copied between documents) makes mammoth crash on the whole
 *   file; the link is dropped, its text kept, and the report says so;
 * - a combining tone mark at the start of a run (the base letter ended the previous run, e.g. "Viê" +
 *   bold "̣t" after a formatting change mid-word) would be left without its letter in HTML; it moves back
 *   onto the letter, so the syllable composes (NFC) and shows.
 */
import { W_NS } from './docx-fonts.ts';
import type { ImportReport } from './report.ts';

const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const LEADING_MARKS = /^\p{M}+/u;

export function repairLinks(doc: Document, part: string, relationshipIds: ReadonlySet<string>, report: ImportReport): void {
  const links = Array.from(doc.getElementsByTagNameNS(W_NS, 'hyperlink'));
  for (const link of links) {
    const id = link.getAttributeNS(R_NS, 'id');
    if (!id || relationshipIds.has(id)) continue;
    link.removeAttributeNS(R_NS, 'id');
    report.warnings.push({ code: 'broken-link', message: `${part}: a hyperlink points to relationship "${id}", which the document does not have; its text was kept without the link` });
  }
}

/** Run after the legacy conversion, which can itself produce a run that starts with a tone mark (TCVN3 0xB0–0xB4). */
export function reattachMarks(doc: Document): void {
  for (const paragraph of Array.from(doc.getElementsByTagNameNS(W_NS, 'p'))) reattachMarksIn(paragraph);
}

function reattachMarksIn(paragraph: Element): void {
  let previous: Element | undefined;
  for (const t of Array.from(paragraph.getElementsByTagNameNS(W_NS, 't'))) {
    const text = t.textContent ?? '';
    const marks = LEADING_MARKS.exec(text)?.[0];
    if (marks && previous) {
      setText(previous, ((previous.textContent ?? '') + marks).normalize('NFC'));
      setText(t, text.slice(marks.length));
    }
    if ((t.textContent ?? '') !== '') previous = t;
  }
}

function setText(t: Element, value: string): void {
  while (t.firstChild) t.removeChild(t.firstChild);
  t.appendChild(t.ownerDocument.createTextNode(value));
}
