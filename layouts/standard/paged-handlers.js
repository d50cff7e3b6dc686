/*
 * Paged.js handlers of the "standard" layout. Runs INSIDE Chromium after paged.js (which exposes
 * window.Paged) and before pagination; RenderedIssue.pagedHandlers lists this file.
 *
 * Repeated table header rows: Paged.js 0.4.3 does not repeat <thead> on the next page. Handlers that add
 * the header after a page is laid out push rows past the page bottom, where they are cut (see
 * pagedjs/pagedjs#160 and #112). So the header is inserted in renderNode, while the continuation page is
 * being laid out, and Paged.js measures the page with the header already in place.
 */
(function () {
  'use strict';
  const Paged = window.Paged;
  if (!Paged || typeof Paged.registerHandlers !== 'function') return;

  class RepeatTableHeader extends Paged.Handler {
    renderNode(clone, node) {
      if (!clone || clone.nodeType !== 1 || !node || node.nodeType !== 1) return;
      const table = clone.closest('table');
      if (!table || !table.hasAttribute('data-split-from') || table.querySelector(':scope > thead')) return;
      const sourceTable = node.closest('table');
      const sourceHead = sourceTable && sourceTable.querySelector(':scope > thead');
      // Nothing to repeat, or the header itself is what is being continued.
      if (!sourceHead || sourceHead.contains(node)) return;
      const head = sourceHead.cloneNode(true);
      // A clone must not carry the original's data-ref: Paged.js finds nodes by it.
      for (const el of [head, ...head.querySelectorAll('[data-ref]')]) el.removeAttribute('data-ref');
      head.setAttribute('data-repeated-header', '');
      const caption = table.querySelector(':scope > caption');
      table.insertBefore(head, caption ? caption.nextSibling : table.firstChild);
    }
  }

  /*
   * Table rows kept together at page breaks. Paged.js breaks a table after any row, so a table could
   * start at a page bottom with its header row and one body row (a print shop sends that back), or end
   * with one lone row on the next page. Paged.js offers no break control for rows, so the overflow it
   * found is moved before the break is made:
   *   - fewer than MIN_ROWS body rows of a table's first part fit: the table moves to the next page, with
   *     the heading (or article head) that leads into it (elements marked break-after: avoid);
   *   - fewer than MIN_ROWS rows would continue on the next page: rows move over until MIN_ROWS do.
   * Nothing moves when it would leave the page without content (a table taller than a page still breaks).
   */
  const MIN_ROWS = 2;

  function nodeAtStart(range) {
    const c = range.startContainer;
    return c.nodeType === 1 ? c.childNodes[range.startOffset] || c : c.parentElement;
  }

  function bodyRows(table) {
    return Array.from(table.querySelectorAll(':scope > tbody > tr'));
  }

  /** The element that has to move with `el`: its lead-in (break-after: avoid), or its parent when it comes first. */
  function withLeadIn(el, rendered) {
    let from = el;
    for (;;) {
      const prev = from.previousElementSibling;
      if (prev) {
        if (prev.getAttribute('data-break-after') !== 'avoid') return from;
        from = prev;
        continue;
      }
      const parent = from.parentElement;
      if (!parent || parent === rendered || !rendered.contains(parent)) return from;
      from = parent;
    }
  }

  function hasContentBefore(el, rendered) {
    const before = document.createRange();
    before.setStart(rendered, 0);
    before.setEndBefore(el);
    return before.toString().trim().length > 0 || before.cloneContents().querySelector('img') !== null;
  }

  function overflowFrom(el, overflow) {
    const moved = document.createRange();
    moved.setStartBefore(el);
    moved.setEnd(overflow.endContainer, overflow.endOffset);
    return moved;
  }

  class KeepTableRows extends Paged.Handler {
    onOverflow(overflow, rendered) {
      if (!overflow) return undefined;
      const start = nodeAtStart(overflow);
      const row = start && start.closest ? start.closest('tr') : null;
      if (!row || !row.parentElement || row.parentElement.tagName !== 'TBODY') return undefined;
      const table = row.closest('table');
      const rows = bodyRows(table);
      const staying = rows.indexOf(row);
      if (staying < 0) return undefined;

      if (staying < MIN_ROWS && !table.hasAttribute('data-split-from')) {
        const from = withLeadIn(table, rendered);
        return hasContentBefore(from, rendered) ? overflowFrom(from, overflow) : undefined;
      }

      const ref = row.getAttribute('data-ref');
      const source = ref && this.chunker && this.chunker.source ? this.chunker.source.querySelector('[data-ref="' + ref + '"]') : null;
      const sourceRows = source ? Array.from(source.parentElement.children) : [];
      const continuing = sourceRows.length - sourceRows.indexOf(source);
      if (source && continuing < MIN_ROWS) {
        const keep = staying - (MIN_ROWS - continuing);
        if (keep >= MIN_ROWS) return overflowFrom(rows[keep], overflow);
      }
      return undefined;
    }
  }

  /*
   * A photo across the text width that does not fit under the text before it would move to the next
   * page and leave a hole of up to a third of this one (sample issue pages 19, 34, 45, 46). When the hole
   * is large, what a bulletin's make-up editor does, in this order:
   *   1. the photo fits at MIN_SCALE of its height or more: it is set smaller on this page (centred; a
   *      smaller print only raises its resolution);
   *   2. text follows it in the article: up to MAX_FLOW_BLOCKS of the next paragraphs move before it and
   *      fill the hole, the photo (with its caption) goes to the top of the next page, where the text
   *      continues after it — never past a subhead, table, other photo or the byline;
   *   3. nothing to flow (the photo ends the article): it is set smaller down to about one column's width,
   *      the size it would have had as a column photo;
   * otherwise it moves whole. Only full-width photos, the article body's own children: a photo inside a
   * column run is a column's business.
   */
  const MIN_SCALE = 0.6;
  /**
   * About a column photo's size: one column is 0.48 of the text width (6 mm gap over ~157 mm); a little
   * less leaves room for a caption that wraps once more at that width (sample issue, Núi Bà Đen).
   */
  const COLUMN_SCALE = 0.45;
  /** Holes smaller than this share of the page area are left alone: moving the photo is fine then. */
  const MIN_HOLE = 0.12;
  /** The photo stays within this many paragraphs of where the author put it. */
  const MAX_FLOW_BLOCKS = 5;
  const FLOWING_TAGS = ['P', 'UL', 'OL'];

  function fullWidthFigureAt(start) {
    let el = start;
    // The overflow starts at the heading that leads into the photo when the photo carries it along.
    while (el && el.nodeType === 1 && el.tagName !== 'FIGURE' && el.getAttribute('data-break-after') === 'avoid') el = el.nextElementSibling;
    if (!el || el.tagName !== 'FIGURE' || !el.parentElement || !el.parentElement.classList.contains('article-body')) return null;
    return el;
  }

  /**
   * Sets the photo smaller so that it and what it carries (`other` px: caption, margins, a lead-in heading)
   * fit in `free` px, no lower than `minHeight`; undoes it when it still does not fit. Narrower, the caption
   * may wrap onto more lines: the photo is then measured again and set smaller by that much.
   */
  function shrinkToFit(figure, img, free, other, minHeight, bounds) {
    const before = { maxHeight: img.style.maxHeight, width: figure.style.width, margin: figure.style.margin };
    const carried = () => figure.getBoundingClientRect().height - img.getBoundingClientRect().height;
    let extra = 0;
    const base = carried();
    for (let attempt = 0; attempt < 3; attempt++) {
      const target = Math.floor(free - other - extra) - 2;
      if (target < minHeight) break;
      img.style.maxHeight = target + 'px';
      // The caption keeps to the (now narrower, centred) photo's width.
      figure.style.width = Math.ceil(img.getBoundingClientRect().width) + 'px';
      figure.style.margin = getComputedStyle(figure).marginTop + ' auto ' + getComputedStyle(figure).marginBottom;
      const r = figure.getBoundingClientRect();
      if (r.left < bounds.right && r.bottom <= bounds.bottom && r.top >= bounds.top) return true;
      const grown = carried() - base;
      if (grown <= extra) break;
      extra = grown;
    }
    img.style.maxHeight = before.maxHeight;
    figure.style.width = before.width;
    figure.style.margin = before.margin;
    return false;
  }

  /**
   * The paragraphs that may move before a photo (source nodes, in order) and where they go: the end of
   * the column run before the photo (two columns), or before the photo itself (one column).
   */
  function flowableAfter(sourceFigure) {
    const prev = sourceFigure.previousElementSibling;
    const next = sourceFigure.nextElementSibling;
    if (!prev || !next) return null;
    const twoColumns = prev.classList.contains('column-run');
    if (twoColumns !== next.classList.contains('column-run')) return null;
    const candidates = twoColumns ? Array.from(next.children) : (() => {
      const after = [];
      for (let el = next; el; el = el.nextElementSibling) after.push(el);
      return after;
    })();
    const blocks = [];
    for (const el of candidates) {
      if (blocks.length === MAX_FLOW_BLOCKS || !FLOWING_TAGS.includes(el.tagName)) break;
      blocks.push(el);
    }
    return blocks.length ? { blocks, twoColumns, run: twoColumns ? next : null } : null;
  }

  function indexRefs(rendered, el) {
    if (!rendered.indexOfRefs) return;
    for (const node of [el, ...el.querySelectorAll('[data-ref]')]) {
      const ref = node.getAttribute('data-ref');
      if (ref) rendered.indexOfRefs[ref] = node;
    }
  }

  /**
   * Moves the paragraphs after a photo before it, on the page being laid out (copies of the source
   * paragraphs, measured) and in the source Paged.js reads on from, when that makes them fill the page.
   * Returns the new overflow (inside the moved text, so the page ends there and the photo opens the next
   * page), or undefined with nothing changed.
   */
  function flowTextBeforePhoto(figure, sourceFigure, prev, rendered, bounds, layout) {
    const flow = flowableAfter(sourceFigure);
    if (!flow) return undefined;
    // As few paragraphs as fill the page: the photo stays as close to its place as it can.
    const copies = [];
    let overflow;
    for (const el of flow.blocks) {
      const copy = el.cloneNode(true);
      copies.push(copy);
      if (flow.twoColumns) prev.appendChild(copy);
      else figure.parentNode.insertBefore(copy, figure);
      overflow = layout.findOverflow(rendered, bounds);
      const at = overflow && nodeAtStart(overflow);
      if (at && (flow.twoColumns ? prev.contains(at) : copies.some((c) => c === at || c.contains(at)))) break;
      overflow = undefined;
    }
    if (!overflow) {
      for (const copy of copies) copy.remove();
      return undefined;
    }
    for (const copy of copies) indexRefs(rendered, copy);
    // The source follows: Paged.js continues the next page from it (the rest of the text, then the photo).
    for (const el of flow.blocks.slice(0, copies.length)) {
      if (flow.twoColumns) sourceFigure.previousElementSibling.appendChild(el);
      else sourceFigure.parentNode.insertBefore(el, sourceFigure);
    }
    const rest = flow.run && Array.from(flow.run.children);
    if (rest && rest.length === 0) flow.run.remove();
    // A byline left alone stands after the photo, as column-runs.ts places it after any full-width block.
    else if (rest && rest.length === 1 && rest[0].classList.contains('article-byline')) flow.run.replaceWith(rest[0]);
    return overflow;
  }

  /** Whether the article's text goes on after the photo (in the source: it may not be laid out yet). */
  function hasTextAfter(sourceFigure) {
    for (let el = sourceFigure.nextElementSibling; el; el = el.nextElementSibling) {
      if (!el.classList.contains('article-byline') && el.textContent.trim()) return true;
    }
    return false;
  }

  class FitFullWidthPhoto extends Paged.Handler {
    onOverflow(overflow, rendered, bounds, layout) {
      if (!overflow) return undefined;
      const start = nodeAtStart(overflow);
      const figure = start && start.nodeType === 1 ? fullWidthFigureAt(start) : null;
      const img = figure && figure.querySelector('img');
      if (!img || !img.complete || img.naturalHeight === 0) return undefined;
      const prev = start.previousElementSibling;
      if (!prev) return undefined;
      const free = bounds.bottom - prev.getBoundingClientRect().bottom;
      if (free < bounds.height * MIN_HOLE) return undefined;
      const imgHeight = img.getBoundingClientRect().height;
      // Called again as the caption arrives: the limit stays relative to the photo's own layout height.
      if (!img.hasAttribute('data-layout-height')) img.setAttribute('data-layout-height', String(imgHeight));
      const fullHeight = Number(img.getAttribute('data-layout-height'));
      // What the heading + photo need besides the picture itself has to fit in the free space too.
      const needed = figure.getBoundingClientRect().bottom - start.getBoundingClientRect().top + parseFloat(getComputedStyle(start).marginTop || '0');
      const other = needed - imgHeight;
      // It fits now. Whatever came after it may still overflow: look again, so that is broken normally
      // (null: nothing overflows, Paged.js goes on filling the page).
      if (shrinkToFit(figure, img, free, other, fullHeight * MIN_SCALE, bounds)) return layout.findOverflow(rendered, bounds) || null;
      const source = this.chunker && this.chunker.source;
      const ref = figure.getAttribute('data-ref');
      const sourceFigure = ref && source ? source.querySelector('[data-ref="' + ref + '"]') : null;
      if (!sourceFigure) return undefined;
      const flowed = start === figure ? flowTextBeforePhoto(figure, sourceFigure, prev, rendered, bounds, layout) : undefined;
      if (flowed) return flowed;
      if (!hasTextAfter(sourceFigure) && shrinkToFit(figure, img, free, other, fullHeight * COLUMN_SCALE, bounds)) return layout.findOverflow(rendered, bounds) || null;
      return undefined;
    }
  }

  /*
   * The rule and space that separate an article from the one above it mean nothing at the top of a
   * page: an article that starts a page is marked while it is laid out, so the layout drops them and the
   * page is measured without them.
   */
  class ArticleAtPageTop extends Paged.Handler {
    renderNode(clone) {
      if (!clone || clone.nodeType !== 1 || !clone.classList.contains('article') || clone.hasAttribute('data-split-from')) return;
      const page = clone.closest('.pagedjs_page_content');
      if (page && !hasContentBefore(clone, page)) clone.classList.add('at-page-top');
    }
  }

  Paged.registerHandlers(RepeatTableHeader, KeepTableRows, FitFullWidthPhoto, ArticleAtPageTop);
})();
