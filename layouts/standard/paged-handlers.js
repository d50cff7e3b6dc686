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

  Paged.registerHandlers(RepeatTableHeader);
})();
