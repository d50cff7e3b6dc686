/**
 * Paginates ONE HTML document with Paged.js in a Chromium page and prints it: the unit of work of
 * paginate.ts. Returns the page map as the page itself saw it (page numbers local to this document),
 * the fonts that drew each text run, and Chromium's PDF.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserHost } from './browser.ts';
import { collectFallbackFonts, type FallbackFontUse } from './font-check.ts';
import type { PageInfo, PlacedImage } from './model.ts';

const require = createRequire(import.meta.url);
/** The non-polyfill bundle: exposes window.Paged.Previewer and does nothing on its own. */
// pagedjs' package.json "exports" hides dist/; resolve its CommonJS entry (lib/) and step over to dist/.
export const PAGED_JS = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.js');
export const IN_PAGE_JS = fileURLToPath(new URL('./in-page/bantin-page.js', import.meta.url));

export interface DocumentRender {
  totalPages: number;
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
}

export interface RenderRequest {
  /** The HTML file to load (inside an allowed dir) */
  file: string;
  baseHref: string;
  allowDirs: string[];
  anchorIds: string[];
  articleIds: string[];
  label: string;
  /** CSS added once pagination is done, before printing (page-number offset of a continuation) */
  afterPaginationCss?: string;
  onPage?: (pagesSoFar: number) => void;
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

export async function renderDocument(browser: BrowserHost, req: RenderRequest): Promise<DocumentRender> {
  const allowDirs = [...req.allowDirs, path.dirname(PAGED_JS), path.dirname(IN_PAGE_JS), path.dirname(req.file)];
  return browser.withPage({ allowDirs }, `pagination of ${req.label}`, async ({ page, blocked }) => {
    if (req.onPage) {
      const onPage = req.onPage;
      await page.exposeFunction('bantinOnPage', (n: number) => onPage(n));
    }
    await page.goto(pathToFileURL(req.file).href, { waitUntil: 'load' });
    await page.addScriptTag({ path: PAGED_JS });
    await page.addScriptTag({ path: IN_PAGE_JS });
    const paged = (await page.evaluate(
      `window.bantin.paginate(${JSON.stringify({ baseHref: req.baseHref, articleIds: req.articleIds })})`,
    )) as InPagePaginateResult;
    const map = (await page.evaluate(
      `window.bantin.pageMap(${JSON.stringify({ anchorIds: req.anchorIds, articleIds: req.articleIds })})`,
    )) as InPageMap;
    if (req.afterPaginationCss) await page.addStyleTag({ content: req.afterPaginationCss });
    const fallbackFonts = await collectFallbackFonts(page, map.refs);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: browser.timeoutMs });
    const lostText = Object.entries(paged.articleChars)
      .map(([anchorId, sourceChars]) => ({ anchorId, sourceChars, pagedChars: map.pagedArticleChars[anchorId] ?? 0 }))
      .filter((a) => a.pagedChars < a.sourceChars);
    return {
      totalPages: paged.total,
      pages: map.pages,
      images: map.images,
      widows: map.widows,
      tocNumbers: map.tocNumbers,
      lostText,
      missingChars: Math.max(0, paged.sourceChars - map.pagedChars),
      fallbackFonts,
      blocked: [...blocked],
      pdf,
    };
  });
}
