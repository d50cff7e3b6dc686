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

  Paged.registerHandlers(RepeatTableHeader, KeepTableRows, ArticleAtPageTop);
})();
