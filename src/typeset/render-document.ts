/**
 * One HTML document through Paged.js in its own Chromium page, in two phases so several documents can
 * be paginated side by side and then stitched:
 *   layOutDocument  loads and paginates; reports its page count and where its anchors landed;
 *   finish          once every document's page count is known: numbers the pages from `firstPage`,
 *                   drops unneeded speculative padding pages, writes TOC numbers that point into other
 *                   documents, reads the page map back, checks fonts, and prints the PDF.
 * Must run inside BrowserHost.run() (timeout, crash relaunch).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import type { BrowserHost } from './browser.ts';
import { collectFallbackFonts, type FallbackFontUse } from './font-check.ts';
import { pageOffsetCss } from './html-document.ts';
import { captureThumbnails } from './thumbnails.ts';
import type { PageInfo, PlacedImage } from './model.ts';

const require = createRequire(import.meta.url);
/**
 * The non-polyfill bundle: exposes window.Paged.Previewer and does nothing on its own.
 * pagedjs' package.json "exports" hides dist/; resolve its CommonJS entry (lib/) and step over to dist/.
 */
export const PAGED_JS = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.js');
/** The same bundle minified (global `PagedModule`): half the bytes for Chromium to parse in every tab. */
const PAGED_MIN_JS = path.join(path.dirname(PAGED_JS), 'paged.min.js');
export const IN_PAGE_JS = fileURLToPath(new URL('./in-page/bantin-page.js', import.meta.url));

export interface DocumentRequest {
  /** The HTML file to load (inside an allowed dir) */
  file: string;
  baseHref: string;
  allowDirs: string[];
  anchorIds: string[];
  articleIds: string[];
  label: string;
  /** The layout's Paged.js handler scripts (RenderedIssue.pagedHandlers), injected before pagination */
  handlers?: string[];
  /** Paged.js' own overflow-check cadence instead of bantin's deferred one (see bantin-page.js); for tests */
  exactOverflowChecks?: boolean;
  /** Set when the document does not start the issue; startOnLeft when its first page has an even number */
  continuation?: { startOnLeft: boolean };
  onPage?: (pagesSoFar: number) => void;
}

export interface FinishOptions {
  /** Printed number of this document's first page (after dropping) */
  firstPage: number;
  /** Leading pages to remove (padding pages laid out speculatively but not needed) */
  dropFirstPages: number;
  /** Final page numbers of anchors in other documents, for this document's TOC links */
  tocNumbers: Record<string, number>;
  /** Also capture a JPEG thumbnail of every page, after printing */
  thumbnails?: boolean;
}

export interface DocumentRender {
  pages: Array<Omit<PageInfo, 'chunkId'>>;
  images: PlacedImage[];
  widows: Array<{ page: number; anchorId?: string; text: string }>;
  tocNumbers: Record<string, number>;
  lostText: Array<{ anchorId: string; sourceChars: number; pagedChars: number }>;
  /** Source text (non-space characters) minus what the pages show; > 0 means content was dropped */
  missingChars: number;
  fallbackFonts: FallbackFontUse[];
  blocked: string[];
  pdf: Uint8Array;
  /** One JPEG per page, when FinishOptions.thumbnails */
  thumbnails?: Uint8Array[];
}

export interface LaidOutDocument {
  label: string;
  totalPages: number;
  /** Anchor → page, local to this document (1-based) */
  anchorPages: Record<string, number>;
  /** Which side the first page is on now */
  startsOnLeft: boolean;
  /**
   * Turns every page to the other side (left ↔ right), for a document laid out on a guessed parity.
   * False when the side changes the layout (see bantin-page.js turnPages); nothing changed then.
   */
  turnPages(): Promise<boolean>;
  finish(opts: FinishOptions): Promise<DocumentRender>;
  close(): Promise<void>;
}

interface InPagePaginateResult {
  total: number;
  articleChars: Record<string, number>;
  sourceChars: number;
}

interface InPageMap {
  pages: Array<Omit<PageInfo, 'chunkId'>>;
  images: PlacedImage[];
  widows: Array<{ page: number; anchorId?: string; text: string }>;
  tocNumbers: Record<string, number>;
  pagedArticleChars: Record<string, number>;
  pagedChars: number;
  refs: Record<string, string>;
}

const FRAME_SHIM = `(() => {
  const channel = new MessageChannel();
  const queue = [];
  channel.port1.onmessage = () => { const cb = queue.shift(); if (cb) cb(performance.now()); };
  const later = (cb) => { queue.push(cb); channel.port2.postMessage(0); return queue.length; };
  window.requestAnimationFrame = later;
  window.requestIdleCallback = (cb) => later(() => cb({ didTimeout: false, timeRemaining: () => 50 }));
})()`;

/** `window.bantin.fn(arg)` as an expression: plain JS strings, since tsx-compiled functions do not survive serialization. */
function call(fn: string, arg: unknown): string {
  return `window.bantin.${fn}(${JSON.stringify(arg)})`;
}

/** A document loaded in its tab (HTML, fonts, images, Paged.js), ready to paginate. */
export interface PreparedDocument {
  layOut(continuation?: { startOnLeft: boolean }): Promise<LaidOutDocument>;
  close(): Promise<void>;
}

/** Loads and paginates in one go. */
export async function layOutDocument(browser: BrowserHost, req: DocumentRequest): Promise<LaidOutDocument> {
  const prepared = await prepareDocument(browser, req);
  return prepared.layOut(req.continuation);
}

/**
 * Opens a tab and loads the document and Paged.js, without paginating yet: the caller prepares the next
 * document while the current one paginates, and decides its left/right parity only when it starts.
 */
export async function prepareDocument(browser: BrowserHost, req: DocumentRequest): Promise<PreparedDocument> {
  const allowDirs = [...req.allowDirs, path.dirname(PAGED_JS), path.dirname(IN_PAGE_JS), path.dirname(req.file)];
  // A tab kept from an earlier build when there is one: no new renderer process, Paged.js compiles faster.
  const { page, blocked, close, expose } = await browser.openPage({ allowDirs }, { reuse: true });
  try {
    if (req.onPage) {
      const onPage = req.onPage;
      await expose('bantinOnPage', (n: number) => onPage(n));
    }
    await page.goto(pathToFileURL(req.file).href, { waitUntil: 'load' });
    // Paged.js paces itself with requestAnimationFrame/requestIdleCallback, which Chromium withholds from
    // tabs it considers hidden (all but one when several paginate at once). Pagination needs no painted
    // frames, so both become plain macrotasks. Must precede paged.js, which captures them when it loads.
    await page.evaluate(FRAME_SHIM);
    await page.addScriptTag({ path: PAGED_MIN_JS });
    // Layout handlers (and our own script) expect the global name of the unminified build.
    await page.evaluate('window.Paged = window.Paged || window.PagedModule');
    for (const handler of req.handlers ?? []) await page.addScriptTag({ path: handler });
    await page.addScriptTag({ path: IN_PAGE_JS });
  } catch (err) {
    await close();
    throw err;
  }
  return {
    close,
    layOut: async (continuation) => {
      try {
        return await layOutPrepared(browser, req, page, blocked, close, continuation);
      } catch (err) {
        await close();
        throw err;
      }
    },
  };
}

async function layOutPrepared(
  browser: BrowserHost,
  req: DocumentRequest,
  page: Page,
  blocked: string[],
  close: () => Promise<void>,
  continuation: { startOnLeft: boolean } | undefined,
): Promise<LaidOutDocument> {
  const paged = (await page.evaluate(call('paginate', { exactOverflowChecks: req.exactOverflowChecks ?? false, baseHref: req.baseHref, articleIds: req.articleIds, continuation: Boolean(continuation), startOnLeft: continuation?.startOnLeft ?? false }))) as InPagePaginateResult;
  const anchorPages = (await page.evaluate(call('anchorPages', { anchorIds: req.anchorIds }))) as Record<string, number>;

  const finish = async (opts: FinishOptions): Promise<DocumentRender> => {
    if (opts.dropFirstPages > 0) await page.evaluate(call('dropFirstPages', opts.dropFirstPages));
    if (opts.firstPage !== 1 || opts.dropFirstPages > 0) await page.addStyleTag({ content: pageOffsetCss(opts.firstPage) });
    if (Object.keys(opts.tocNumbers).length > 0) await page.evaluate(call('fillTocNumbers', opts.tocNumbers));
    const map = (await page.evaluate(call('pageMap', { anchorIds: req.anchorIds, articleIds: req.articleIds, firstPage: opts.firstPage }))) as InPageMap;
    const fallbackFonts = await collectFallbackFonts(page, req.articleIds, opts.firstPage);
    // Untagged: the structure tree of a Paged.js DOM costs a third of the print time and neither the
    // print shop nor poppler's text extraction uses it; navigation comes from the bookmarks instead.
    // Before printing: the pages are laid out for the screen now; after printing Chromium would lay them
    // all out again for the screen.
    const thumbnails = opts.thumbnails ? await browser.foreground(page, () => captureThumbnails(page)) : undefined;
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: false, timeout: browser.timeoutMs });
    const lostText = Object.entries(paged.articleChars)
      .map(([anchorId, sourceChars]) => ({ anchorId, sourceChars, pagedChars: map.pagedArticleChars[anchorId] ?? 0 }))
      .filter((a) => a.pagedChars < a.sourceChars);
    return {
      pages: map.pages,
      images: map.images,
      widows: map.widows,
      tocNumbers: map.tocNumbers,
      lostText,
      // Dropped padding pages take their text with them on purpose; only count losses otherwise.
      missingChars: opts.dropFirstPages > 0 ? 0 : Math.max(0, paged.sourceChars - map.pagedChars),
      fallbackFonts,
      blocked: [...blocked],
      pdf,
      thumbnails,
    };
  };
  const doc: LaidOutDocument = {
    label: req.label,
    totalPages: paged.total,
    anchorPages,
    startsOnLeft: continuation?.startOnLeft ?? false,
    turnPages: async () => {
      const turned = (await page.evaluate(call('turnPages', null))) as boolean;
      if (turned) doc.startsOnLeft = !doc.startsOnLeft;
      return turned;
    },
    finish,
    close,
  };
  return doc;
}
