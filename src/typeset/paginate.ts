/**
 * RenderedIssue → PaginatedIssue. Every chunk starts on a new page, so the body is cut into groups of
 * consecutive chunks, each paginated as its own document: Paged.js' cost grows faster than linearly
 * with document length, so several short documents beat one long one. They are paginated one after
 * another (a document's left/right parity depends on the pages before it), and each finished one is
 * numbered and printed in a second tab while the next paginates. The closing part ("Ghi chú" padding
 * pages + colophon) is laid out at the start, in parallel, with the most padding it could need; the
 * unneeded padding pages are dropped once the body's page count is known. The front matter is printed
 * last, when its TOC can be given the page of every article. The PDFs are stitched in order.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { BrowserHost } from './browser.ts';
import { bleedCss, continuationBody, CONTINUATION_CSS, dirHref, htmlDocument } from './html-document.ts';
import type { PageInfo, PaginatedIssue, RenderedChunk, RenderedIssue } from './model.ts';
import { layOutDocument, prepareDocument, type DocumentRender, type DocumentRequest, type FinishOptions, type LaidOutDocument } from './render-document.ts';

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
  /**
   * Body documents are cut at chunk boundaries once a group reaches this weight (text characters plus
   * IMAGE_WEIGHT per image; about 2,000 per page in the standard layout). Infinity = one document.
   */
  groupWeight?: number;
  onProgress?: ProgressListener;
}

/**
 * About 60 pages of the standard layout. Measured on the 2-core machine (bench/RESULTS.md, idle): each
 * extra document costs a tab load and the chain of parities, which outweighs Paged.js' superlinearity
 * below ~60 pages (60-page issue: one document 2.8 s, 16-page documents 4.4 s); at 116 pages two
 * documents beat one (4.8 s vs 5.6 s). So a legal issue (≤ 64 pages) is usually one body document.
 */
export const DEFAULT_GROUP_WEIGHT = 128_000;
const IMAGE_WEIGHT = 2_000;

export async function paginate(rendered: RenderedIssue, browser: BrowserHost, opts: PaginateOptions): Promise<PaginatedIssue> {
  const multiple = opts.pageMultiple ?? 4;
  const { body, tail } = splitClosingChunks(rendered.chunks);
  const groups = groupChunks(body, opts.groupWeight ?? DEFAULT_GROUP_WEIGHT);
  const base = {
    baseHref: dirHref(rendered.baseDir),
    allowDirs: [rendered.baseDir, rendered.fontsDir],
    anchorIds: rendered.toc.map((t) => t.anchorId),
    articleIds: [...new Set(rendered.toc.flatMap((t) => (t.kind === 'article' ? [t.anchorId] : [])))],
    handlers: rendered.pagedHandlers ?? [],
  };
  const counts = new Map<string, number>();
  const progress = (label: string) => (n: number) => {
    counts.set(label, n);
    const pages = [...counts.values()].reduce((a, b) => a + b, 0);
    opts.onProgress?.({ stage: 'paginate', message: `paginated ${pages} pages`, pages });
  };

  const requests: DocumentRequest[] = [];
  for (const [i, group] of groups.entries()) {
    const file = await writeDoc(opts.workDir, `body-${i + 1}.html`, rendered, [bleedCss(opts.bleedMm)], group.map((c) => c.html).join('\n'));
    requests.push({ ...base, file, label: `pages of ${group.map((c) => c.id).join(', ')}`, onPage: progress(`body-${i}`) });
  }
  // Padding pages are dropped from the front of the closing part; keeping the parity of the pages that
  // stay (left/right margins) needs an odd number of spares when the closing part has an odd page count.
  const expectedTail = tail.length;
  const spare = (multiple - 1) % 2 === expectedTail % 2 ? multiple - 1 : multiple;
  const closingFile = await writeClosing(opts.workDir, rendered, opts.bleedMm, tail, spare);
  const closingRequest: DocumentRequest = { ...base, file: closingFile, label: 'the closing pages' };

  return browser.run('pagination of the issue', async () => {
    const open: Array<{ close(): Promise<void> }> = [];
    const track = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => {
      const d = await p;
      open.push(d);
      return d;
    };
    try {
      // The closing part does not depend on the body: lay it out in a second tab right away.
      const closingLaid = track(layOutDocument(browser, { ...closingRequest, continuation: { startOnLeft: false } }));
      closingLaid.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled

      // Body documents one after another (each one's left/right parity depends on the pages before it);
      // the next one loads while the current one paginates, and each finished document is numbered and
      // printed while the next one paginates.
      const bodyDocs: LaidOutDocument[] = [];
      const firstPages: number[] = [];
      const printed: Array<Promise<DocumentRender>> = [];
      const prepare = (req: DocumentRequest | undefined) => {
        const p = req ? track(prepareDocument(browser, req)) : undefined;
        p?.catch(() => {}); // awaited in the loop; this only keeps an early failure from going unhandled
        return p;
      };
      let upcoming = prepare(requests[0]);
      let next = 1;
      for (const [i] of requests.entries()) {
        const prepared = await upcoming;
        if (!prepared) break;
        upcoming = prepare(requests[i + 1]);
        const doc = await track(prepared.layOut(i === 0 ? undefined : { startOnLeft: next % 2 === 0 }));
        bodyDocs.push(doc);
        firstPages.push(next);
        // Closed as soon as it is printed: each open tab holds its whole laid-out document in memory.
        if (i > 0) printed.push(finishAndClose(doc, { firstPage: next, dropFirstPages: 0, tocNumbers: {} }));
        next += doc.totalPages;
      }
      const bodyPages = next - 1;

      let closing = await closingLaid;
      let spareUsed = spare;
      let tailPages = closing.totalPages - spare;
      if (tailPages % 2 !== expectedTail % 2) {
        // The colophon took an unexpected number of pages: lay the closing part out again with the exact padding.
        spareUsed = padding(bodyPages + tailPages, multiple);
        const file = await writeClosing(opts.workDir, rendered, opts.bleedMm, tail, spareUsed);
        closing = await track(layOutDocument(browser, { ...closingRequest, file, continuation: { startOnLeft: bodyPages % 2 === 1 } }));
        tailPages = closing.totalPages - spareUsed;
      }
      const notesPages = padding(bodyPages + tailPages, multiple);

      // The front matter's TOC needs every document's anchors, so the first document is printed last.
      const anchorPages: Record<string, number> = {};
      bodyDocs.forEach((d, i) => {
        for (const [a, p] of Object.entries(d.anchorPages)) anchorPages[a] ??= p + (firstPages[i] ?? 1) - 1;
      });
      const first = bodyDocs[0];
      const firstRender = first ? finishAndClose(first, { firstPage: 1, dropFirstPages: 0, tocNumbers: anchorPages }) : undefined;
      const closingRender = finishAndClose(closing, { firstPage: bodyPages + 1, dropFirstPages: spareUsed - notesPages, tocNumbers: {} });
      const bodies = await Promise.all([...(firstRender ? [firstRender] : []), ...printed]);
      const total = bodyPages + notesPages + tailPages;
      opts.onProgress?.({ stage: 'paginate', message: `paginated ${total} pages`, pages: total });
      return combine(rendered, groups, bodies, await closingRender, notesPages);
    } finally {
      await Promise.all(open.map((d) => d.close()));
    }
  });
}

async function finishAndClose(doc: LaidOutDocument, opts: FinishOptions): Promise<DocumentRender> {
  const render = await doc.finish(opts);
  await doc.close();
  return render;
}

/** Trailing 'back' chunks (the colophon) must stay the last pages. */
function splitClosingChunks(chunks: RenderedChunk[]): { body: RenderedChunk[]; tail: RenderedChunk[] } {
  let i = chunks.length;
  while (i > 0 && chunks[i - 1]?.kind === 'back') i--;
  return { body: chunks.slice(0, i), tail: chunks.slice(i) };
}

function chunkWeight(c: RenderedChunk): number {
  const text = c.html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').length;
  return text + IMAGE_WEIGHT * (c.html.match(/<img\b/gi)?.length ?? 0);
}

/**
 * Consecutive chunks packed up to `maxWeight`. The front matter always shares its document with the
 * first section, so the TOC has local targets whose resolved numbers show how to format the others.
 */
export function groupChunks(chunks: RenderedChunk[], maxWeight: number): RenderedChunk[][] {
  const groups: RenderedChunk[][] = [];
  let current: RenderedChunk[] = [];
  let weight = 0;
  for (const c of chunks) {
    const w = chunkWeight(c);
    const frontOnly = current.length > 0 && current.every((x) => x.kind === 'front');
    if (current.length > 0 && weight + w > maxWeight && !frontOnly) {
      groups.push(current);
      current = [];
      weight = 0;
    }
    current.push(c);
    weight += w;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function padding(pages: number, multiple: number): number {
  return (multiple - (pages % multiple)) % multiple;
}

async function writeClosing(dir: string, rendered: RenderedIssue, bleedMm: number, tail: RenderedChunk[], notesPages: number): Promise<string> {
  const html = continuationBody(rendered.notesPageHtml, notesPages, tail.map((c) => c.html).join('\n'));
  return writeDoc(dir, `closing-${notesPages}.html`, rendered, [bleedCss(bleedMm), CONTINUATION_CSS], html);
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

async function combine(rendered: RenderedIssue, groups: RenderedChunk[][], bodies: DocumentRender[], closing: DocumentRender, notesPages: number): Promise<PaginatedIssue> {
  const bodyPageCount = bodies.reduce((n, d) => n + d.pages.length, 0);
  const chunkOf = chunkLocator(groups, bodies);
  const lastChunk = rendered.chunks.at(-1)?.id ?? 'back';
  const pages: PageInfo[] = [
    ...bodies.flatMap((d) => d.pages.map((p) => ({ ...p, chunkId: chunkOf(p) }))),
    ...closing.pages.map((p, i) => ({ ...p, chunkId: i < notesPages ? 'notes' : lastChunk })),
  ];
  const anchorPages: Record<string, number> = {};
  for (const p of pages) for (const a of p.anchors) anchorPages[a] ??= p.number;
  const all = [...bodies, closing];
  const pdf = await mergePdfs(all.map((d) => d.pdf));
  return {
    pages,
    addedPages: Array.from({ length: notesPages }, (_, i) => bodyPageCount + 1 + i),
    anchorPages,
    tocNumbers: Object.assign({}, ...all.map((d) => d.tocNumbers)) as Record<string, number>,
    blockedRequests: [...new Set(all.flatMap((d) => d.blocked))],
    fontsUsed: [],
    printPdfBytes: pdf,
    // Printed once: postprocess derives the screen PDF from the same pages (crop to trim, smaller images).
    screenPdfBytes: pdf,
    images: all.flatMap((d) => d.images),
    widowTitles: all.flatMap((d) => d.widows),
    lostText: all.flatMap((d) => d.lostText),
    fallbackFonts: all.flatMap((d) => d.fallbackFonts),
    missingChars: all.reduce((n, d) => n + d.missingChars, 0),
    outline: rendered.toc.flatMap((t) => {
      const page = anchorPages[t.anchorId];
      return page === undefined ? [] : [{ title: t.title, page, level: t.kind === 'section' ? (0 as const) : (1 as const) }];
    }),
  };
}

/** The chunk a body page belongs to: the last chunk of its group whose first anchored element starts at or before it. */
function chunkLocator(groups: RenderedChunk[][], bodies: DocumentRender[]): (p: Omit<PageInfo, 'chunkId'>) => string {
  const starts: Array<{ id: string; page: number }> = [];
  groups.forEach((group, g) => {
    const doc = bodies[g];
    const first = doc?.pages[0]?.number ?? 1;
    const anchorPage = new Map<string, number>();
    for (const p of doc?.pages ?? []) for (const a of p.anchors) if (!anchorPage.has(a)) anchorPage.set(a, p.number);
    group.forEach((chunk, i) => {
      const ids = [...chunk.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? '');
      const page = i === 0 ? first : ids.map((id) => anchorPage.get(id)).find((n): n is number => n !== undefined);
      if (page !== undefined) starts.push({ id: chunk.id, page });
    });
  });
  return (p) => {
    let id = starts[0]?.id ?? '';
    for (const s of starts) if (s.page <= p.number) id = s.id;
    return id;
  };
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
