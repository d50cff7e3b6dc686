/**
 * Assembles the HTML documents Paged.js paginates (and `--html` writes) from a RenderedIssue. Pure.
 * The engine adds only print concerns the layout leaves to it (bleed) and the page-number start of a
 * document that continues another one; everything else comes from the layout's CSS unchanged.
 */
import { pathToFileURL } from 'node:url';
import type { RenderedIssue } from './model.ts';

export interface DocumentParts {
  title: string;
  lang: string;
  /** Style sheets in order; each becomes one <style> element */
  css: string[];
  body: string;
  /** Where relative URLs resolve (the issue directory); omitted for exported HTML next to copied assets */
  baseHref?: string;
  /** Script URLs (only preview.html has any) */
  scripts?: string[];
}

export function htmlDocument(parts: DocumentParts): string {
  const head = [
    '<meta charset="utf-8">',
    parts.baseHref ? `<base href="${escapeAttr(parts.baseHref)}">` : '',
    `<title>${escapeText(parts.title)}</title>`,
    ...parts.css.map((css) => `<style>\n${css}\n</style>`),
    ...(parts.scripts ?? []).map((src) => `<script src="${escapeAttr(src)}"></script>`),
  ].filter(Boolean);
  return `<!DOCTYPE html>\n<html lang="${escapeAttr(parts.lang)}">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${parts.body}\n</body>\n</html>\n`;
}

/** `@page { bleed }` for print; the layout CSS describes the trimmed page only. */
export function bleedCss(bleedMm: number): string {
  return bleedMm > 0 ? `@page { bleed: ${bleedMm}mm; }` : '';
}

/** Padding pages each start a new page; the closing chunks bring their own page breaks. */
export const CONTINUATION_CSS = '.bantin-notes { break-before: page; }';

/**
 * Numbers the pages of a document that continues another from `firstPage`. Applied after pagination:
 * Paged.js' own `counter-reset: page N` support resets only the first page in current Chromium (counter
 * scope no longer reaches sibling pages), so the engine resets the counter on the pages container.
 * `pages` is kept as Paged.js sets it, so `counter(pages)` still works.
 */
export function pageOffsetCss(firstPage: number): string {
  return `.pagedjs_pages.pagedjs_pages { counter-reset: page ${firstPage - 1} pages var(--pagedjs-page-count); }`;
}

export function continuationBody(notesPageHtml: string, notesPages: number, tailHtml: string): string {
  const notes = Array.from({ length: notesPages }, () => `<div class="bantin-notes">${notesPageHtml}</div>`);
  return [...notes, tailHtml].join('\n');
}

export function dirHref(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}

/** The whole issue as one document (what `--html` exports and what any other paginator can be given). */
export function singleDocumentBody(rendered: RenderedIssue): string {
  return rendered.chunks.map((c) => c.html).join('\n');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
