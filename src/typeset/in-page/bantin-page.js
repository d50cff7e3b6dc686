/* global window, document, getComputedStyle */
/*
 * Runs INSIDE Chromium, after paged.js (the non-polyfill bundle exposing window.Paged) was injected.
 * Plain JavaScript on purpose: functions serialized from TypeScript by tsx/esbuild carry helper calls
 * (__name) that do not exist in the page. Exposes window.bantin.{paginate, pageMap}; paginate.ts
 * calls them with page.evaluate and receives plain JSON.
 */
(function () {
  'use strict';

  const PX_PER_MM = 96 / 25.4;
  // Chromium lays out in fractional pixels; a box is "outside" only beyond this tolerance.
  const TOLERANCE_PX = 2;
  const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, figure, img, table, tr, pre, figcaption, dd, dt, aside, .pull-quote';
  const HEADINGS = 'h1, h2, h3, h4, h5, h6';

  function visibleChars(node) {
    return (node.textContent || '').replace(/\s+/g, '').length;
  }

  /** Paginates document.body with Paged.js; styles are taken out of the document and resolved against baseHref. */
  async function paginate(opts) {
    // The content arrives inert in Paged.js' own <template> (see paginate.ts writeDoc); a plain body works too.
    const template = document.querySelector('body > template[data-ref="pagedjs-content"]');
    const source = template ? template.content : document.body;
    const articleChars = {};
    for (const id of opts.articleIds) {
      const el = (template ? template.content : document).getElementById(id);
      if (el) articleChars[id] = visibleChars(el);
    }
    const sourceChars = visibleChars(source);
    const styles = Array.from(document.querySelectorAll('style'));
    const sheets = styles.map((s) => ({ [opts.baseHref]: s.textContent || '' }));
    styles.forEach((s) => s.remove());
    const previewer = new window.Paged.Previewer();
    if (opts.continuation) {
      // This document continues the issue: no page of it is the first page, and its first page is
      // a left page when it follows an odd page count. Re-index each new page before Paged.js lays it out,
      // so margins, running heads and folio positions follow the final left/right parity.
      const chunker = previewer.chunker;
      const addPage = chunker.addPage.bind(chunker);
      chunker.addPage = function (blank) {
        const page = addPage(blank);
        if (opts.startOnLeft) page.index(page.position + 1);
        page.element.classList.remove('pagedjs_first_page');
        return page;
      };
    }
    if (!opts.exactOverflowChecks) deferOverflowChecks(previewer);
    let pages = 0;
    previewer.on('page', () => {
      pages += 1;
      if (typeof window.bantinOnPage === 'function') void window.bantinOnPage(pages);
    });
    const flow = await previewer.preview(undefined, sheets, document.body);
    await document.fonts.ready;
    // Images that are still decoding would print blank: wait for them.
    await Promise.all(Array.from(document.images).map((img) => (img.complete ? null : img.decode().catch(() => null))));
    return { total: flow.total, articleChars, sourceChars };
  }

  /** Share of an average page's text appended between two overflow checks (see deferOverflowChecks). */
  const CHECK_STEP = 0.5;

  /**
   * Paged.js checks a page for overflow (a forced layout of the page) once its text reaches the average
   * length of a page, and then after EVERY further node until the page overflows: 471 checks for 30 pages
   * of the standard layout. After a check that finds no overflow, this moves that page's threshold
   * CHECK_STEP of a page further (checks for 30 pages: 471 → about 120). It never skips a check Paged.js
   * asks for at a forced break or at the end of the content, and the break point is still found by
   * Paged.js' own findBreakToken, which locates the first overflowing node however much was appended:
   * the 64-page and the sample issue print the same text at the same places either way (test: "same
   * pages with Paged.js' own overflow checks").
   */
  function deferOverflowChecks(previewer) {
    let patched = false;
    previewer.chunker.hooks.layout.register((wrapper, layout) => {
      if (patched || !layout) return;
      patched = true;
      const proto = Object.getPrototypeOf(layout);
      const append = proto.append;
      proto.append = function (...args) {
        const rendered = append.apply(this, args);
        this.bantinLength = (this.bantinLength || 0) + ((rendered && rendered.textContent) || '').length;
        return rendered;
      };
      const find = proto.findBreakToken;
      proto.findBreakToken = function (...args) {
        const token = find.apply(this, args);
        if (!this.bantinBase) this.bantinBase = this.maxChars;
        if (!token && (this.bantinLength || 0) >= this.maxChars) this.maxChars = this.bantinLength + Math.max(100, this.bantinBase * CHECK_STEP);
        return token;
      };
    });
  }

  function pageEls() {
    return Array.from(document.querySelectorAll('.pagedjs_page'));
  }

  /** First page (1-based, local to this document) of each wanted anchor: what other documents need to know. */
  function anchorPages(opts) {
    const wanted = new Set(opts.anchorIds);
    const out = {};
    pageEls().forEach((pageEl, i) => {
      for (const el of pageEl.querySelectorAll('.pagedjs_page_content [id]')) {
        if (wanted.has(el.id) && !(el.id in out) && !el.hasAttribute('data-split-from')) out[el.id] = i + 1;
      }
    });
    return out;
  }

  /** Removes the first n pages (unneeded padding pages of a speculatively laid-out closing part). */
  function dropFirstPages(n) {
    pageEls().slice(0, n).forEach((p) => p.remove());
  }

  /**
   * Writes page numbers into TOC links whose target lives in another document. Paged.js resolved the
   * local ones by giving the link a data-target-counter-* attribute and a counter-reset rule on its
   * pseudo element; the same mechanism is reused so the printed number looks identical.
   */
  function fillTocNumbers(numbers) {
    const links = Array.from(document.querySelectorAll('.pagedjs_pages a.toc-link[href^="#"]'));
    const varAttr = (el) => el.getAttributeNames().find((n) => n.startsWith('data-target-counter-'));
    const resolved = links.find((l) => varAttr(l));
    if (!resolved) return 0;
    const attr = varAttr(resolved);
    const variable = attr.slice('data-'.length);
    const pseudo = ['::after', '::before'].find((ps) => (getComputedStyle(resolved, ps).counterReset || '').includes(variable)) || '::after';
    const style = document.createElement('style');
    document.head.appendChild(style);
    let filled = 0;
    links.forEach((link, i) => {
      const anchor = decodeURIComponent(link.getAttribute('href').slice(1));
      if (varAttr(link) || !(anchor in numbers)) return;
      const key = 'bantin-fill-' + i;
      link.setAttribute(attr, key);
      style.sheet.insertRule('[' + attr + '="' + key + '"]' + pseudo + ' { counter-reset: ' + variable + ' ' + numbers[anchor] + '; }', style.sheet.cssRules.length);
      filled += 1;
    });
    return filled;
  }

  /** Maps each Paged.js data-ref of an article's wrapper to the article id, so fragments can be traced back. */
  function articleRefs(articleIds) {
    const refs = new Map();
    for (const id of articleIds) {
      const el = document.getElementById(id);
      const ref = el && el.getAttribute('data-ref');
      if (ref) refs.set(ref, id);
    }
    return refs;
  }

  function articleOf(el, refs) {
    let cur = el;
    while (cur && cur.nodeType === 1) {
      const ref = cur.getAttribute('data-ref');
      if (ref && refs.has(ref)) return refs.get(ref);
      cur = cur.parentElement;
    }
    return undefined;
  }

  function describe(el) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'img') return 'image ' + (el.getAttribute('src') || '');
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    return tag + (text ? ' "' + text.slice(0, 60) + (text.length > 60 ? '…' : '') + '"' : '');
  }

  /** A target-counter() number lives in a pseudo element's counter-reset, e.g. "target-counter-x 12". */
  function printedTargetNumber(link) {
    const candidates = [link, ...link.querySelectorAll('*')];
    for (const el of candidates) {
      for (const pseudo of ['::after', '::before']) {
        const reset = getComputedStyle(el, pseudo).counterReset;
        const m = reset && /target-counter\S*\s+(-?\d+)/.exec(reset);
        if (m) return Number(m[1]);
      }
    }
    // A number filled in as text (chunked pagination) lives in an element marked .toc-page.
    const filled = link.querySelector('.toc-page') || link.parentElement?.querySelector('.toc-page');
    if (filled && /^\s*\d+\s*$/.test(filled.textContent || '')) return Number(filled.textContent);
    return undefined;
  }

  /** Reads the paginated DOM back: anchors per page, overflow, images, TOC numbers, titles left at page bottoms. */
  function pageMap(opts) {
    const refs = articleRefs(opts.articleIds);
    const wanted = new Set(opts.anchorIds);
    const all = pageEls();
    const firstPage = opts.firstPage || 1;
    const pages = [];
    const images = [];
    const widows = [];
    const pagedArticleChars = {};

    for (const [index, pageEl] of all.entries()) {
      const number = firstPage + index;
      const content = pageEl.querySelector('.pagedjs_page_content');
      const area = (pageEl.querySelector('.pagedjs_area') || content).getBoundingClientRect();
      const info = { number, anchors: [], overflow: [] };
      pages.push(info);
      if (!content) continue;

      for (const el of content.querySelectorAll('[id]')) {
        if (wanted.has(el.id) && !el.hasAttribute('data-split-from')) info.anchors.push(el.id);
      }

      // Report only the outermost box that sticks out: its rows and cells would repeat the same finding.
      const flagged = [];
      let lowest = null;
      for (const el of content.querySelectorAll(BLOCKS)) {
        if (flagged.some((f) => f.contains(el))) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (!lowest || r.bottom > lowest.bottom) lowest = { bottom: r.bottom, el };
        const out = r.bottom > area.bottom + TOLERANCE_PX || r.right > area.right + TOLERANCE_PX || r.left < area.left - TOLERANCE_PX;
        if (out) {
          flagged.push(el);
          const over = Math.max(r.bottom - area.bottom, r.right - area.right, area.left - r.left);
          info.overflow.push({
            anchorId: articleOf(el, refs),
            description: describe(el) + ' extends ' + (over / PX_PER_MM).toFixed(1) + ' mm beyond the page content area' +
              (r.height > area.height + TOLERANCE_PX ? ' (it is taller than the page: ' + (r.height / PX_PER_MM).toFixed(0) + ' mm vs ' + (area.height / PX_PER_MM).toFixed(0) + ' mm)' : ''),
          });
        }
      }

      // How far down the page area the content reaches, and whose it is (preflight: near-empty pages).
      info.fill = lowest ? Math.max(0, Math.round(((lowest.bottom - area.top) / area.height) * 100) / 100) : 0;
      if (lowest && articleOf(lowest.el, refs)) info.lastArticle = articleOf(lowest.el, refs);

      for (const img of content.querySelectorAll('img')) {
        const r = img.getBoundingClientRect();
        images.push({
          src: img.getAttribute('src') || '',
          page: number,
          anchorId: articleOf(img, refs),
          naturalWidth: img.naturalWidth,
          naturalHeight: img.naturalHeight,
          widthMm: r.width / PX_PER_MM,
          heightMm: r.height / PX_PER_MM,
          broken: img.complete && img.naturalWidth === 0,
        });
      }

      for (const id of opts.articleIds) pagedArticleChars[id] = pagedArticleChars[id] || 0;
      for (const frag of content.querySelectorAll('[data-ref]')) {
        const id = refs.get(frag.getAttribute('data-ref'));
        if (id !== undefined) pagedArticleChars[id] += visibleChars(frag);
      }

      const blocks = Array.from(content.querySelectorAll(BLOCKS)).filter((b) => visibleChars(b) > 0 || b.tagName === 'IMG');
      const last = blocks[blocks.length - 1];
      if (last && last.matches(HEADINGS) && index !== all.length - 1) {
        widows.push({ page: number, anchorId: articleOf(last, refs), text: (last.textContent || '').trim().slice(0, 80) });
      }
    }

    const tocNumbers = {};
    for (const link of document.querySelectorAll('.pagedjs_pages a.toc-link[href^="#"]')) {
      const anchor = decodeURIComponent(link.getAttribute('href').slice(1));
      const n = printedTargetNumber(link);
      if (n !== undefined && !(anchor in tocNumbers)) tocNumbers[anchor] = n;
    }

    let pagedChars = 0;
    for (const c of document.querySelectorAll('.pagedjs_page_content')) pagedChars += visibleChars(c);

    return { pages, images, widows, tocNumbers, pagedArticleChars, pagedChars, refs: Object.fromEntries(refs) };
  }


  /**
   * What a page's layout could depend on its side: the content area's size (line breaking) and what each
   * margin box shows and how it aligns. Used to prove that turning pages to the other side is harmless.
   */
  function sideSnapshot(pages) {
    return pages.map((p) => {
      const c = p.querySelector('.pagedjs_page_content');
      const r = c ? c.getBoundingClientRect() : { width: 0, height: 0 };
      const boxes = Array.from(p.querySelectorAll('.pagedjs_margin-content')).map((m) => {
        const box = m.parentElement ? getComputedStyle(m.parentElement) : null;
        return getComputedStyle(m, '::before').content + '|' + getComputedStyle(m, '::after').content + '|' + (box ? box.textAlign + ' ' + box.display : '');
      });
      return Math.round(r.width * 10) + 'x' + Math.round(r.height * 10) + '\n' + boxes.join('\n');
    });
  }

  function swapSides(pages) {
    for (const p of pages) {
      const left = p.classList.contains('pagedjs_left_page');
      p.classList.toggle('pagedjs_left_page', !left);
      p.classList.toggle('pagedjs_right_page', left);
    }
  }

  /**
   * Turns every page to the other side (left ↔ right), for a document paginated in parallel on a guessed
   * parity that proved wrong. Refused (false, nothing changed) when the side matters for this document:
   * a different content width or margin-box content on left and right pages, or blank pages that a
   * left/right break inserted. The caller then paginates it again on the right parity.
   */
  function turnPages() {
    const pages = pageEls();
    if (pages.some((p) => p.classList.contains('pagedjs_blank_page'))) return false;
    const before = sideSnapshot(pages);
    swapSides(pages);
    const after = sideSnapshot(pages);
    if (after.some((s, i) => s !== before[i])) {
      swapSides(pages);
      return false;
    }
    return true;
  }

  const FONT_PROBE_ID = 'bantin-font-probe';

  function fontKey(style) {
    return [style.fontFamily, style.fontWeight, style.fontStyle, style.fontStretch, style.fontVariantCaps, style.textTransform].join('|');
  }

  /** Text nodes shown on the pages (not the source template, not head/script/style). */
  function pageTextElements() {
    const out = [];
    for (const content of document.querySelectorAll('.pagedjs_page')) {
      const walker = document.createTreeWalker(content, 4 /* NodeFilter.SHOW_TEXT */);
      let node = walker.nextNode();
      let lastParent = null;
      while (node) {
        const parent = node.parentElement;
        if (parent && parent !== lastParent && /\S/.test(node.nodeValue || '')) {
          out.push(parent);
          lastParent = parent;
        }
        node = walker.nextNode();
      }
    }
    return Array.from(new Set(out));
  }

  function ownText(el) {
    let t = '';
    for (const n of el.childNodes) if (n.nodeType === 3) t += n.nodeValue;
    return t;
  }

  /**
   * Font fallback is decided per character and computed font, so instead of asking Chromium about every
   * element of every page, one probe element per distinct font (family, weight, style, stretch) holds every
   * distinct grapheme drawn in it; Chromium is asked about the probes only. Returns the probe count.
   */
  function addFontProbes() {
    const byFont = new Map();
    const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('vi', { granularity: 'grapheme' }) : null;
    for (const el of pageTextElements()) {
      const style = getComputedStyle(el);
      const key = fontKey(style);
      let entry = byFont.get(key);
      if (!entry) {
        entry = { style, graphemes: new Set() };
        byFont.set(key, entry);
      }
      const text = ownText(el).replace(/\s+/g, '');
      for (const g of segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text)) entry.graphemes.add(g);
    }
    const holder = document.createElement('div');
    holder.id = FONT_PROBE_ID;
    holder.setAttribute('style', 'position: absolute; left: -100000px; top: 0; width: 10000px;');
    for (const { style, graphemes } of byFont.values()) {
      const probe = document.createElement('span');
      probe.style.fontFamily = style.fontFamily;
      probe.style.fontWeight = style.fontWeight;
      probe.style.fontStyle = style.fontStyle;
      probe.style.fontStretch = style.fontStretch;
      probe.style.fontVariantCaps = style.fontVariantCaps;
      probe.style.textTransform = style.textTransform;
      probe.textContent = Array.from(graphemes).join(' ');
      holder.appendChild(probe);
    }
    document.body.appendChild(holder);
    layOutNow();
    return byFont.size;
  }

  /**
   * Chromium reports the fonts of a node (CSS.getPlatformFontsForNode) from its layout objects without
   * laying out first: a probe added since the last layout has none yet and is reported with no fonts at
   * all, i.e. no fallback. Tabs in the background get no frames, so nothing lays them out meanwhile (seen:
   * the fallback in a kept tab, and in every document but the front one, went unreported).
   */
  function layOutNow() {
    void document.body.offsetHeight;
  }

  /** Replaces probe `index`'s text with one span per grapheme, so each can be asked about; returns them. */
  function splitFontProbe(index) {
    const probe = document.querySelectorAll('#' + FONT_PROBE_ID + ' > span')[index];
    if (!probe) return [];
    const graphemes = (probe.textContent || '').split(' ').filter(Boolean);
    probe.textContent = '';
    for (const g of graphemes) {
      const span = document.createElement('span');
      span.textContent = g;
      probe.appendChild(span);
    }
    layOutNow();
    return graphemes;
  }

  function removeFontProbes() {
    const holder = document.getElementById(FONT_PROBE_ID);
    if (holder) holder.remove();
  }

  /**
   * Marks (data-bantin-font-suspect) the page elements whose own text contains one of `graphemes`, in
   * document order, and returns where each one is: page (1-based in this document) and article.
   */
  function markFontSuspects(opts) {
    const wanted = new Set(opts.graphemes);
    const refs = articleRefs(opts.articleIds);
    const pages = pageEls();
    const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('vi', { granularity: 'grapheme' }) : null;
    const found = new Map();
    for (const el of pageTextElements()) {
      const text = ownText(el);
      const gs = segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text);
      const here = [...new Set(gs.filter((g) => wanted.has(g)))];
      if (here.length === 0) continue;
      el.setAttribute('data-bantin-font-suspect', '');
      found.set(el, here);
    }
    layOutNow();
    // Document order, as Chromium's querySelectorAll returns the same elements.
    return Array.from(document.querySelectorAll('[data-bantin-font-suspect]'), (el) => ({
      page: pages.indexOf(el.closest('.pagedjs_page')) + 1,
      anchorId: articleOf(el, refs),
      graphemes: found.get(el) || [],
    }));
  }

  function unmarkFontSuspects() {
    for (const el of document.querySelectorAll('[data-bantin-font-suspect]')) el.removeAttribute('data-bantin-font-suspect');
  }

  /** Each page's trim box (Paged.js' .pagedjs_pagebox: no bleed, no marks) in document pixels, in page order. */
  function trimBoxes() {
    return pageEls().map((p) => {
      const box = (p.querySelector('.pagedjs_pagebox') || p).getBoundingClientRect();
      return { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height };
    });
  }

  window.bantin = { paginate, pageMap, anchorPages, dropFirstPages, fillTocNumbers, turnPages, addFontProbes, splitFontProbe, removeFontProbes, markFontSuspects, unmarkFontSuspects, trimBoxes };
})();
