/**
 * Which fonts actually drew the text, from Chromium itself (CDP CSS.getPlatformFontsForNode). The layout's
 * fonts all come from @font-face (isCustomFont); a glyph drawn by any platform font means the layout font
 * lacks it and Chromium fell back — a preflight error naming article and page.
 *
 * Asking about every text element of a 60-page document took about a second, so it is done in two steps:
 * the page script gathers every distinct grapheme per computed font into one probe element each, and
 * Chromium is asked about those few probes. Only when a probe shows a fallback are the graphemes and then
 * the page elements containing them asked about one by one, to name pages and articles.
 */
import type { CDPSession, Page } from 'puppeteer';

export interface FallbackFontUse {
  familyName: string;
  page: number;
  anchorId?: string;
  glyphCount: number;
  /** The characters the layout fonts lack, so the editor knows what to replace */
  characters: string[];
}

interface PlatformFont {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/** Pages are numbered from `firstPage` in document order (the document may continue another one). */
export async function collectFallbackFonts(page: Page, articleIds: string[], firstPage = 1): Promise<FallbackFontUse[]> {
  const probes = (await page.evaluate('window.bantin.addFontProbes()')) as number;
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const fontsOf = async (selector: string) => {
      const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
      return Promise.all(nodeIds.map((nodeId) => platformFonts(cdp, nodeId)));
    };
    // The probes and marks are taken out again whatever happens: they must never reach the PDF.
    try {
      return await fallbacks(page, probes, fontsOf, articleIds, firstPage);
    } finally {
      await page.evaluate('window.bantin.removeFontProbes(), window.bantin.unmarkFontSuspects()');
    }
  } finally {
    await cdp.detach();
  }
}

async function fallbacks(
  page: Page,
  probes: number,
  fontsOf: (selector: string) => Promise<PlatformFont[][]>,
  articleIds: string[],
  firstPage: number,
): Promise<FallbackFontUse[]> {
  const perProbe = probes > 0 ? await fontsOf('#bantin-font-probe > span') : [];
  const suspects: string[] = [];
  for (const [i, fonts] of perProbe.entries()) {
    if (fonts.every((f) => f.isCustomFont)) continue;
    const graphemes = (await page.evaluate(`window.bantin.splitFontProbe(${i})`)) as string[];
    const each = await fontsOf(`#bantin-font-probe > span:nth-child(${i + 1}) > span`);
    graphemes.forEach((g, j) => {
      if (each[j]?.some((f) => !f.isCustomFont)) suspects.push(g);
    });
  }
  if (suspects.length === 0) return [];

  const where = (await page.evaluate(`window.bantin.markFontSuspects(${JSON.stringify({ graphemes: suspects, articleIds })})`)) as Array<{ page: number; anchorId?: string; graphemes: string[] }>;
  const fonts = await fontsOf('[data-bantin-font-suspect]');
  const byKey = new Map<string, FallbackFontUse>();
  fonts.forEach((used, i) => {
    const at = where[i];
    if (!at) return;
    const pageNumber = firstPage + at.page - 1;
    for (const f of used) {
      if (f.isCustomFont) continue;
      const key = `${f.familyName}|${pageNumber}|${at.anchorId ?? ''}`;
      const prev = byKey.get(key);
      if (prev) {
        prev.glyphCount += f.glyphCount;
        for (const g of at.graphemes) if (!prev.characters.includes(g)) prev.characters.push(g);
      } else byKey.set(key, { familyName: f.familyName, page: pageNumber, anchorId: at.anchorId, glyphCount: f.glyphCount, characters: [...at.graphemes] });
    }
  });
  return [...byKey.values()];
}

async function platformFonts(cdp: CDPSession, nodeId: number): Promise<PlatformFont[]> {
  return (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts;
}
