/**
 * Side-by-side rendering of a word diff: the left pane shows the old text with removed words struck
 * through, the right pane the new text with added words highlighted. Every value is escaped here,
 * because the panes are inserted with {{{…}}}.
 */
import { diffWords } from 'diff';
import Handlebars from 'handlebars';
import { htmlToText } from '../../domain/html-text.ts';

export interface DiffPart {
  value: string;
  added: boolean;
  removed: boolean;
}

const esc = (s: string) => Handlebars.escapeExpression(s);

export function sideBySide(parts: readonly DiffPart[]): { left: string; right: string; changed: boolean } {
  let left = '';
  let right = '';
  for (const p of parts) {
    if (p.removed) left += `<del class="diff">${esc(p.value)}</del>`;
    else if (p.added) right += `<ins class="diff">${esc(p.value)}</ins>`;
    else {
      left += esc(p.value);
      right += esc(p.value);
    }
  }
  return { left, right, changed: parts.some((p) => p.added || p.removed) };
}

/** Word diff of two article bodies, compared as text (one paragraph per line). */
export function bodyDiff(oldHtml: string, newHtml: string): { left: string; right: string; changed: boolean } {
  return sideBySide(diffWords(htmlToText(oldHtml), htmlToText(newHtml)).map((c) => ({ value: c.value, added: c.added, removed: c.removed })));
}
