/**
 * Which fonts actually drew the text, per page, from Chromium itself (CDP CSS.getPlatformFontsForNode).
 * The layout's fonts all come from @font-face (isCustomFont); a glyph drawn by any platform font means
 * the layout font lacks it and Chromium fell back — a preflight error naming article and page.
 */
import type { Page, Protocol } from 'puppeteer';

export interface FallbackFontUse {
  familyName: string;
  page: number;
  anchorId?: string;
  glyphCount: number;
}

interface TextHolder {
  nodeId: number;
  page: number;
  anchorId?: string;
}

/**
 * `refs` maps Paged.js data-ref values of article wrappers to article ids; pages are numbered from
 * `firstPage` in document order (the document may continue another one).
 */
export async function collectFallbackFonts(page: Page, refs: Record<string, string>, firstPage = 1): Promise<FallbackFontUse[]> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: false });
    const holders: TextHolder[] = [];
    collectTextHolders(root, { page: 0, anchorId: undefined }, { refs, next: firstPage }, holders);
    const usages = await Promise.all(
      holders.map((h) => cdp.send('CSS.getPlatformFontsForNode', { nodeId: h.nodeId }).then((r) => ({ h, fonts: r.fonts }))),
    );
    const byKey = new Map<string, FallbackFontUse>();
    for (const { h, fonts } of usages) {
      for (const f of fonts) {
        if (f.isCustomFont) continue;
        const key = `${f.familyName}|${h.page}|${h.anchorId ?? ''}`;
        const prev = byKey.get(key);
        if (prev) prev.glyphCount += f.glyphCount;
        else byKey.set(key, { familyName: f.familyName, page: h.page, anchorId: h.anchorId, glyphCount: f.glyphCount });
      }
    }
    return [...byKey.values()];
  } finally {
    await cdp.detach();
  }
}

function attr(node: Protocol.DOM.Node, name: string): string | undefined {
  const a = node.attributes;
  if (!a) return undefined;
  for (let i = 0; i + 1 < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

function collectTextHolders(
  node: Protocol.DOM.Node,
  ctx: { page: number; anchorId: string | undefined },
  doc: { refs: Record<string, string>; next: number },
  out: TextHolder[],
): void {
  let here = ctx;
  if (node.nodeType === 1) {
    const cls = attr(node, 'class') ?? '';
    if (/(^|\s)pagedjs_page(\s|$)/.test(cls)) here = { ...here, page: doc.next++ };
    const ref = attr(node, 'data-ref');
    if (ref && doc.refs[ref]) here = { ...here, anchorId: doc.refs[ref] };
    // Only paginated pages count; the <template> with the source and <head> are not drawn.
    if (node.nodeName === 'HEAD' || node.nodeName === 'TEMPLATE' || node.nodeName === 'SCRIPT' || node.nodeName === 'STYLE') return;
    const hasText = (node.children ?? []).some((c) => c.nodeType === 3 && /\S/.test(c.nodeValue ?? ''));
    if (hasText && here.page > 0) out.push({ nodeId: node.nodeId, page: here.page, anchorId: here.anchorId });
  }
  for (const child of node.children ?? []) collectTextHolders(child, here, doc, out);
}
