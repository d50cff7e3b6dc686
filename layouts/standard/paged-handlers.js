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
   * page and leave a hole of up to a third of this one (sample issue pages 19, 34, 46). When the hole
   * would be large and the photo still fits at MIN_SCALE of its height or more, it is set smaller on this
   * page instead (centred; a smaller print only raises its resolution). Only full-width photos, the
   * article body's own children: a photo inside a column run is a column's business.
   */
  const MIN_SCALE = 0.6;
  /** Holes smaller than this share of the page area are left alone: moving the photo is fine then. */
  const MIN_HOLE = 0.12;

  function fullWidthFigureAt(start) {
    let el = start;
    // The overflow starts at the heading that leads into the photo when the photo carries it along.
    while (el && el.nodeType === 1 && el.tagName !== 'FIGURE' && el.getAttribute('data-break-after') === 'avoid') el = el.nextElementSibling;
    if (!el || el.tagName !== 'FIGURE' || !el.parentElement || !el.parentElement.classList.contains('article-body')) return null;
    return el;
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
      const before = { maxHeight: img.style.maxHeight, width: figure.style.width, margin: figure.style.margin };
      // Shrink by what the heading + photo need beyond the free space, then check it really fits.
      const needed = figure.getBoundingClientRect().bottom - start.getBoundingClientRect().top + parseFloat(getComputedStyle(start).marginTop || '0');
      const target = Math.floor(imgHeight - (needed - free)) - 2;
      if (target < fullHeight * MIN_SCALE) return undefined;
      img.style.maxHeight = target + 'px';
      // The caption keeps to the (now narrower, centred) photo's width.
      figure.style.width = Math.ceil(img.getBoundingClientRect().width) + 'px';
      figure.style.margin = getComputedStyle(figure).marginTop + ' auto ' + getComputedStyle(figure).marginBottom;
      const r = figure.getBoundingClientRect();
      // It fits now. Whatever came after it may still overflow: look again, so that is broken normally
      // (null: nothing overflows, Paged.js goes on filling the page).
      if (r.left < bounds.right && r.bottom <= bounds.bottom && r.top >= bounds.top) return layout.findOverflow(rendered, bounds) || null;
      img.style.maxHeight = before.maxHeight;
      figure.style.width = before.width;
      figure.style.margin = before.margin;
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
