/**
 * RenderedIssue → PaginatedIssue. Every chunk starts on a new page, so the body is cut at chunk
 * boundaries into a few documents of about equal weight, and all of them are paginated AT ONCE in their
 * own tabs (one renderer process each, so they share the cores): one document per core, side by side.
 *
 * A document's left/right parity depends on the pages before it, which are not known while it is being
 * laid out. The standard layout mirrors its margins, so left and right pages have the same content width
 * and line breaking does not depend on the side: each document is laid out as if it started on a right
 * page, and one whose guess proves wrong has its pages turned to the other side afterwards. Turning is
 * checked in the page (content size and margin-box content must not change); a layout for which the side
 * matters gets that document paginated again on the right parity.
 *
 * The closing part ("Ghi chú" padding pages + colophon) is laid out alongside with the most padding it
 * could need; the unneeded padding pages are dropped once the body's page count is known. Each body
 * document is numbered and printed as soon as the pages before it are counted; the front matter is
 * printed last, when its TOC can be given the page of every article. The PDFs are stitched in order.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import type { BrowserHost } from './browser.ts';
import { bleedCss, continuationBody, CONTINUATION_CSS, dirHref, htmlDocument } from './html-document.ts';
import type { PageInfo, PaginatedIssue, RenderedChunk, RenderedIssue } from './model.ts';
import { layOutDocument, type DocumentRender, type DocumentRequest, type FinishOptions, type LaidOutDocument } from './render-document.ts';

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
   * How many documents the body is cut into (at chunk boundaries, of about equal weight: text characters
   * plus IMAGE_WEIGHT per image), all paginated at once. Default: see defaultDocuments(). 1 = one document.
   */
  documents?: number;
  /** Also a JPEG thumbnail of every final page (PaginatedIssue.thumbnails) */
  thumbnails?: boolean;
  /** Paged.js' own overflow-check cadence (slower; see bantin-page.js deferOverflowChecks); for tests */
  exactOverflowChecks?: boolean;
  onProgress?: ProgressListener;
}

const IMAGE_WEIGHT = 2_000;
/**
 * About 44 pages of the standard layout (the generated issues weigh about 2,900 per page). Paged.js' cost
 * per page is the same in a 16-page and a 60-page document (the 60-page issue as one document took 0.9×
 * the Chromium CPU of two), so this only bounds what one tab holds in memory; every extra document costs
 * a fixed ~0.5 s of CPU (loading, Paged.js reading the CSS, font check): 116 pages in 3 documents took
 * 0.85× the CPU of 6 (paired runs, load 14-34).
 */
const MAX_DOCUMENT_WEIGHT = 128_000;

/**
 * One document per core (at least two, at most four), more for issues long enough that a document would
 * exceed MAX_DOCUMENT_WEIGHT. Side by side they use idle cores; on a saturated machine each extra
 * document is wasted CPU, so no more than needed.
 */
export function defaultDocuments(bodyWeight: number, cores = os.availableParallelism()): number {
  return Math.max(2, Math.min(cores, 4), Math.ceil(bodyWeight / MAX_DOCUMENT_WEIGHT));
}

export async function paginate(rendered: RenderedIssue, browser: BrowserHost, opts: PaginateOptions): Promise<PaginatedIssue> {
  const multiple = opts.pageMultiple ?? 4;
  const { body, tail } = splitClosingChunks(rendered.chunks);
  const documents = opts.documents ?? defaultDocuments(body.reduce((n, c) => n + chunkWeight(c), 0));
  const groups = groupChunks(body, documents);
  const base = {
    baseHref: dirHref(rendered.baseDir),
    allowDirs: [rendered.baseDir, rendered.fontsDir],
    anchorIds: rendered.toc.map((t) => t.anchorId),
    articleIds: [...new Set(rendered.toc.flatMap((t) => (t.kind === 'article' ? [t.anchorId] : [])))],
    handlers: rendered.pagedHandlers ?? [],
    exactOverflowChecks: opts.exactOverflowChecks,
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
    // Every document but the first continues the issue; each is laid out as if it started on a right page.
    const continuation = i === 0 ? undefined : { startOnLeft: false };
    requests.push({ ...base, file, continuation, label: `pages of ${group.map((c) => c.id).join(', ')}`, onPage: progress(`body-${i}`) });
  }
  // Padding pages are dropped from the front of the closing part; keeping the parity of the pages that
  // stay (left/right margins) needs an odd number of spares when the closing part has an odd page count.
  const expectedTail = tail.length;
  const spare = (multiple - 1) % 2 === expectedTail % 2 ? multiple - 1 : multiple;
  const closingFile = await writeClosing(opts.workDir, rendered, opts.bleedMm, tail, spare);
  const closingRequest: DocumentRequest = { ...base, file: closingFile, label: 'the closing pages' };

  return browser.run('pagination of the issue', async () => {
    const open: Array<{ close(): Promise<void> }> = [];
    const started: Array<Promise<unknown>> = [];
    const track = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => {
      started.push(p);
      const d = await p;
      open.push(d);
      return d;
    };
    try {
      const closingLaid = track(layOutDocument(browser, { ...closingRequest, continuation: { startOnLeft: false } }));
      closingLaid.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
      const laid = requests.map((req) => track(layOutDocument(browser, req)));
      for (const p of laid) p.catch(() => {}); // awaited in order below

      // In order: each document's first page number is known once the one before it is laid out. Those
      // that continue the issue are printed right away, while the later ones are still being laid out.
      const bodyDocs: LaidOutDocument[] = [];
      const firstPages: number[] = [];
      const printed: Array<Promise<DocumentRender>> = [];
      let next = 1;
      for (const [i, req] of requests.entries()) {
        let doc = await laid[i];
        if (!doc) break;
        if (i > 0) {
          const startOnLeft = next % 2 === 0;
          doc = await onSide(doc, startOnLeft, () => {
            // Worth knowing for layout designers: a layout whose left and right pages differ costs a second pass.
            opts.onProgress?.({ stage: 'paginate', message: `paginating ${req.label} again: it starts on a ${startOnLeft ? 'left' : 'right'} page and this layout's left and right pages differ` });
            return track(layOutDocument(browser, { ...req, continuation: { startOnLeft } }));
          });
        }
        bodyDocs.push(doc);
        firstPages.push(next);
        // Closed as soon as it is printed: each open tab holds its whole laid-out document in memory.
        if (i > 0) printed.push(awaitedLater(finishAndClose(doc, { firstPage: next, dropFirstPages: 0, tocNumbers: {}, thumbnails: opts.thumbnails })));
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
      const firstRender = first ? awaitedLater(finishAndClose(first, { firstPage: 1, dropFirstPages: 0, tocNumbers: anchorPages, thumbnails: opts.thumbnails })) : undefined;
      const closingRender = awaitedLater(finishAndClose(closing, { firstPage: bodyPages + 1, dropFirstPages: spareUsed - notesPages, tocNumbers: {}, thumbnails: opts.thumbnails }));
      const bodies = await Promise.all([...(firstRender ? [firstRender] : []), ...printed]);
      const total = bodyPages + notesPages + tailPages;
      opts.onProgress?.({ stage: 'paginate', message: `paginated ${total} pages`, pages: total });
      return combine(rendered, groups, bodies, await closingRender, notesPages);
    } finally {
      // After a failure, documents still being laid out would leave their tabs open: let them settle first.
      await Promise.allSettled(started);
      await Promise.all(open.map((d) => d.close()));
    }
  });
}

/**
 * A print started now and awaited later. When Chromium dies, all of them reject at once; those not awaited
 * yet (a later Promise.all, or none because an earlier step failed) would be unhandled rejections, which
 * end the whole server process (seen: SIGKILL of Chromium mid-print killed `bantin serve`).
 */
function awaitedLater<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/** The document with its first page on the wanted side: turned if that is harmless, else laid out again. */
async function onSide(doc: LaidOutDocument, startOnLeft: boolean, layOutAgain: () => Promise<LaidOutDocument>): Promise<LaidOutDocument> {
  if (doc.startsOnLeft === startOnLeft || (await doc.turnPages())) return doc;
  await doc.close();
  return layOutAgain();
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
 * Consecutive chunks cut into at most `parts` groups of about equal weight. The front matter always
 * shares its document with the first section, so the TOC has local targets whose resolved numbers show
 * how to format the others.
 */
export function groupChunks(chunks: RenderedChunk[], parts: number): RenderedChunk[][] {
  // Units that cannot be cut apart: the front matter fused with the chunk after it.
  const units: RenderedChunk[][] = [];
  for (const c of chunks) {
    const last = units.at(-1);
    if (last && last.every((x) => x.kind === 'front')) last.push(c);
    else units.push([c]);
  }
  const weights = units.map((u) => u.reduce((n, c) => n + chunkWeight(c), 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const groups: RenderedChunk[][] = [];
  let current: RenderedChunk[] = [];
  let done = 0;
  units.forEach((unit, i) => {
    const w = weights[i] ?? 0;
    // Cut before this unit when the group is closer to its share of the total without it than with it.
    const target = (total * (groups.length + 1)) / Math.max(1, parts);
    const cut = current.length > 0 && groups.length < parts - 1 && Math.abs(done - target) < Math.abs(done + w - target);
    if (cut) {
      groups.push(current);
      current = [];
    }
    current.push(...unit);
    done += w;
  });
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
    body: inertContent(body),
    baseHref: dirHref(rendered.baseDir),
  });
  await fs.writeFile(file, html, 'utf8');
  return file;
}

/**
 * The content inside Paged.js' own source <template>, where Paged.js looks for it first: the browser then
 * parses it as an inert fragment (no style, layout, font or image work on load) and Paged.js takes it as
 * it is, instead of serializing the laid-out body and parsing it again. Halved the load CPU of a 25-page
 * document (0.72 → 0.37 s) with identical pages (test: "same pages from a plain body").
 */
export function inertContent(body: string): string {
  return `<template data-ref="pagedjs-content">\n${body}\n</template>`;
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
    printPdfBytes: pdf,
    // Printed once: postprocess derives the screen PDF from the same pages (crop to trim, smaller images).
    screenPdfBytes: pdf,
    images: all.flatMap((d) => d.images),
    widowTitles: all.flatMap((d) => d.widows),
    lostText: all.flatMap((d) => d.lostText),
    fallbackFonts: all.flatMap((d) => d.fallbackFonts),
    missingChars: all.reduce((n, d) => n + d.missingChars, 0),
    thumbnails: all.every((d) => d.thumbnails) ? all.flatMap((d) => d.thumbnails ?? []) : undefined,
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

/**
 * pdf-lib yields to the event loop every few dozen objects by default, which only adds waiting on a busy
 * machine: the merge is one short job, parsed and written in one go (same bytes; about a third less CPU
 * for three 24-page parts, measured four times each way).
 */
async function mergePdfs(parts: Uint8Array[]): Promise<Uint8Array> {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = await PDFDocument.create();
  for (const bytes of parts) {
    const doc = await PDFDocument.load(bytes, { parseSpeed: ParseSpeeds.Fastest });
    const copied = await out.copyPages(doc, doc.getPageIndices());
    for (const p of copied) out.addPage(p);
  }
  return out.save({ objectsPerTick: Infinity });
}
