/**
 * RenderedIssue → PaginatedIssue. The body (front matter + sections) is paginated as one document so
 * the TOC's target-counter() sees every article; the closing part (the "Ghi chú" padding pages and the
 * colophon) is a second, tiny document that starts numbering where the body stopped. That way the
 * padding needed for saddle stitching is known before the closing part is laid out, and the colophon
 * stays on the last page without paginating the body twice.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { BrowserHost } from './browser.ts';
import { bleedCss, continuationBody, CONTINUATION_CSS, dirHref, htmlDocument, pageOffsetCss } from './html-document.ts';
import type { PageInfo, PaginatedIssue, RenderedChunk, RenderedIssue } from './model.ts';
import { renderDocument, type DocumentRender } from './render-document.ts';

export interface ProgressEvent {
  stage: 'load' | 'render' | 'paginate' | 'postprocess' | 'preflight' | 'write';
  message: string;
  pages?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

export interface PaginateOptions {
  bleedMm: number;
  /** A private, empty directory for the HTML files Chromium loads; removed by the caller */
  workDir: string;
  /** Saddle stitching needs a multiple of 4 */
  pageMultiple?: number;
  onProgress?: ProgressListener;
}

export async function paginate(rendered: RenderedIssue, browser: BrowserHost, opts: PaginateOptions): Promise<PaginatedIssue> {
  const multiple = opts.pageMultiple ?? 4;
  const { body, tail } = splitClosingChunks(rendered.chunks);
  const anchorIds = rendered.toc.map((t) => t.anchorId);
  const articleIds = [...new Set(rendered.toc.flatMap((t) => (t.kind === 'article' && t.articleId ? [t.anchorId] : [])))];
  const common = {
    baseHref: dirHref(rendered.baseDir),
    allowDirs: [rendered.baseDir, rendered.fontsDir],
    anchorIds,
    articleIds,
  };
  const report = (pages: number) => opts.onProgress?.({ stage: 'paginate', message: `paginated ${pages} pages`, pages });

  const bodyFile = await writeDoc(opts.workDir, 'body.html', rendered, [bleedCss(opts.bleedMm)], body.map((c) => c.html).join('\n'));
  const main = await renderDocument(browser, { ...common, file: bodyFile, label: 'the issue body', onPage: report });

  let closing: DocumentRender | undefined;
  let notesPages = 0;
  if (tail.length > 0 || main.totalPages % multiple !== 0) {
    // Most colophons are one page per closing chunk; if the guess is wrong, lay the closing part out again.
    let expected = tail.length;
    for (let attempt = 0; attempt < 3; attempt++) {
      notesPages = padding(main.totalPages + expected, multiple);
      closing = await renderClosing(rendered, browser, opts, common, tail, main.totalPages + 1, notesPages);
      const closingPages = closing.totalPages - notesPages;
      if (closingPages === expected) break;
      expected = closingPages;
    }
  }

  report(main.totalPages + (closing?.totalPages ?? 0));
  return combine(rendered, main, closing, notesPages);
}

/** Trailing 'back' chunks (the colophon) must stay the last pages. */
function splitClosingChunks(chunks: RenderedChunk[]): { body: RenderedChunk[]; tail: RenderedChunk[] } {
  let i = chunks.length;
  while (i > 0 && chunks[i - 1]?.kind === 'back') i--;
  return { body: chunks.slice(0, i), tail: chunks.slice(i) };
}

export function padding(pages: number, multiple: number): number {
  return (multiple - (pages % multiple)) % multiple;
}

async function renderClosing(
  rendered: RenderedIssue,
  browser: BrowserHost,
  opts: PaginateOptions,
  common: { baseHref: string; allowDirs: string[]; anchorIds: string[]; articleIds: string[] },
  tail: RenderedChunk[],
  firstPage: number,
  notesPages: number,
): Promise<DocumentRender> {
  const html = continuationBody(rendered.notesPageHtml, notesPages, tail.map((c) => c.html).join('\n'));
  const file = await writeDoc(opts.workDir, `closing-${notesPages}.html`, rendered, [bleedCss(opts.bleedMm), CONTINUATION_CSS], html);
  return renderDocument(browser, { ...common, file, label: 'the closing pages', afterPaginationCss: pageOffsetCss(firstPage) });
}

async function writeDoc(dir: string, name: string, rendered: RenderedIssue, engineCss: string[], body: string): Promise<string> {
  const file = path.join(dir, name);
  const html = htmlDocument({
    title: rendered.title,
    lang: rendered.lang,
    // One sheet: Paged.js computes the page box once per sheet, so a bleed in a second sheet would be ignored.
    css: [[rendered.css, ...engineCss.filter(Boolean)].join('\n')],
    body,
    baseHref: dirHref(rendered.baseDir),
  });
  await fs.writeFile(file, html, 'utf8');
  return file;
}

function combine(rendered: RenderedIssue, main: DocumentRender, closing: DocumentRender | undefined, notesPages: number): Promise<PaginatedIssue> {
  const offset = main.totalPages;
  const shift = (n: number) => n + offset;
  const chunkStarts = chunkStartPages(rendered, main);
  const pages: PageInfo[] = [
    ...main.pages.map((p) => ({ ...p, chunkId: chunkAt(chunkStarts, p.number) })),
    ...(closing?.pages ?? []).map((p, i) => ({
      ...p,
      number: shift(p.number),
      chunkId: i < notesPages ? 'notes' : (rendered.chunks.at(-1)?.id ?? 'back'),
    })),
  ];
  const anchorPages: Record<string, number> = {};
  for (const p of pages) for (const a of p.anchors) anchorPages[a] ??= p.number;
  const addedPages = Array.from({ length: notesPages }, (_, i) => offset + 1 + i);
  return mergePdfs([main.pdf, ...(closing ? [closing.pdf] : [])]).then((pdf) => ({
    pages,
    addedPages,
    anchorPages,
    tocNumbers: { ...main.tocNumbers },
    blockedRequests: [...new Set([...main.blocked, ...(closing?.blocked ?? [])])],
    fontsUsed: [],
    printPdfBytes: pdf,
    // Printed once: postprocess derives the screen PDF from the same pages (crop to trim, smaller images).
    screenPdfBytes: pdf,
    images: [...main.images, ...(closing?.images ?? []).map((im) => ({ ...im, page: shift(im.page) }))],
    widowTitles: [...main.widows, ...(closing?.widows ?? []).map((w) => ({ ...w, page: shift(w.page) }))],
    lostText: [...main.lostText, ...(closing?.lostText ?? [])],
    fallbackFonts: [...main.fallbackFonts, ...(closing?.fallbackFonts ?? []).map((f) => ({ ...f, page: shift(f.page) }))],
    missingChars: main.missingChars + (closing?.missingChars ?? 0),
    outline: rendered.toc.flatMap((t) => {
      const page = anchorPages[t.anchorId];
      return page === undefined ? [] : [{ title: t.title, page, level: t.kind === 'section' ? (0 as const) : (1 as const) }];
    }),
  }));
}

/** Where each body chunk begins: the page of the first anchored element in its HTML. */
function chunkStartPages(rendered: RenderedIssue, main: DocumentRender): Array<{ id: string; page: number }> {
  const firstIdPage = new Map<string, number>();
  for (const p of main.pages) for (const a of p.anchors) if (!firstIdPage.has(a)) firstIdPage.set(a, p.number);
  const starts: Array<{ id: string; page: number }> = [];
  let lastPage = 1;
  for (const [i, chunk] of rendered.chunks.entries()) {
    const ids = [...chunk.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? '');
    const page = ids.map((id) => firstIdPage.get(id)).find((n): n is number => n !== undefined);
    if (i > 0 && page !== undefined) lastPage = page;
    starts.push({ id: chunk.id, page: lastPage });
  }
  return starts;
}

function chunkAt(starts: Array<{ id: string; page: number }>, page: number): string {
  let id = starts[0]?.id ?? '';
  for (const s of starts) if (s.page <= page) id = s.id;
  return id;
}

async function mergePdfs(parts: Uint8Array[]): Promise<Uint8Array> {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = await PDFDocument.create();
  for (const bytes of parts) {
    const doc = await PDFDocument.load(bytes);
    const copied = await out.copyPages(doc, doc.getPageIndices());
    for (const p of copied) out.addPage(p);
  }
  return out.save();
}
