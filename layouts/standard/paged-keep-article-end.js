/*
 * Paged.js handler of the "standard" layout: an article's last lines stay together (runs INSIDE Chromium
 * after paged.js and paged-handlers.js; src/typeset/layout.ts lists it).
 *
 * A closing note (a pull quote or note box with the editors' address, an italic "(Ban biên tập)", a
 * signature) or a short final paragraph could be all that is left of an article at the top of a page,
 * with only the byline under it (sample issue page 30: the Q&A's closing note). Bulletins never print an
 * article's end alone: the last KEEP_LINES lines of the paragraph before go over with it. Paged.js breaks
 * where the page is full and knows no keep-with-previous, so when the overflow starts at such a tail the
 * break is moved back into the paragraph before it (or before that paragraph, when it is too short to
 * leave ORPHAN_LINES behind). The byline already keeps to the text inside the columns (article.hbs).
 */
(function () {
  'use strict';
  const Paged = window.Paged;
  if (!Paged || typeof Paged.registerHandlers !== 'function') return;

  /** Lines of the paragraph before a closing note that go over with it… */
  const KEEP_LINES = 2;
  /** …as long as this many stay behind; otherwise the whole paragraph goes over. */
  const ORPHAN_LINES = 2;
  /** A final paragraph of at most this many lines counts as a tail that must not stand alone. */
  const SHORT_LINES = 3;
  /** Blocks that close an article: notes, boxes, quotes, signatures, sources. */
  const CLOSING = ['blockquote', '.note', '.box', '.pull-quote', '.source', '.signature', '.right'];

  function nodeAtStart(range) {
    const c = range.startContainer;
    return c.nodeType === 1 ? c.childNodes[range.startOffset] || c : c.parentElement;
  }

  function isRunOrBody(el) {
    return el && el.classList && (el.classList.contains('column-run') || el.classList.contains('article-body'));
  }

  /** The block of the article text (a child of a column run or of the body) that holds `node`. */
  function textBlockOf(node) {
    let el = node && node.nodeType === 1 ? node : node && node.parentElement;
    while (el && !isRunOrBody(el.parentElement)) el = el.parentElement;
    return el;
  }

  const isByline = (el) => el.classList.contains('article-byline');
  const isClosing = (el) => CLOSING.some((sel) => el.matches(sel));

  /** Nothing but a byline follows the block in the source, in its column run or after it in the body. */
  function endsArticle(sourceBlock) {
    const rest = [];
    for (let el = sourceBlock.nextElementSibling; el; el = el.nextElementSibling) rest.push(el);
    if (isRunOrBody(sourceBlock.parentElement) && sourceBlock.parentElement.classList.contains('column-run')) {
      for (let el = sourceBlock.parentElement.nextElementSibling; el; el = el.nextElementSibling) rest.push(el);
    }
    return rest.every((el) => isByline(el) || !el.textContent.trim());
  }

  /** Where each line of a block starts (text node + offset), in reading order, columns included. */
  function lineStarts(block) {
    const starts = [];
    const range = document.createRange();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let lastTop;
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const s = text.textContent;
      for (let i = 0; i < s.length; i++) {
        // Lines break between words only (no hyphenation in this layout).
        if (/\s/.test(s[i]) || (i > 0 && !/\s/.test(s[i - 1]))) continue;
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getBoundingClientRect();
        if (!rect.height) continue;
        if (lastTop === undefined || Math.abs(rect.top - lastTop) > rect.height / 2) starts.push({ node: text, offset: i });
        lastTop = rect.top;
      }
    }
    return starts;
  }

  function hasContentBefore(el, rendered) {
    const before = document.createRange();
    before.setStart(rendered, 0);
    before.setEndBefore(el);
    return before.toString().trim().length > 0;
  }

  class KeepArticleEnd extends Paged.Handler {
    onOverflow(overflow, rendered) {
      if (!overflow) return undefined;
      const block = textBlockOf(nodeAtStart(overflow));
      if (!block || !block.closest('.article-body') || !rendered.contains(block)) return undefined;
      // Photos and tables have handlers of their own (paged-photos.js, paged-handlers.js).
      if (block.tagName === 'FIGURE' || block.tagName === 'TABLE') return undefined;
      // The whole block goes over (the break is before it), and it is a closing note, the byline or a few lines.
      const breakBefore = overflow.startContainer === block.parentElement || overflow.startContainer === block;
      if (!breakBefore) return undefined;
      if (!isClosing(block) && !isByline(block) && lineStarts(block).length > SHORT_LINES) return undefined;
      const ref = block.getAttribute('data-ref');
      const source = ref && this.chunker && this.chunker.source ? this.chunker.source.querySelector('[data-ref="' + ref + '"]') : null;
      if (!source || !endsArticle(source)) return undefined;
      // Notes and the byline before the block travel with it; the paragraph before them gives lines.
      let first = block;
      while (first.previousElementSibling && (isClosing(first.previousElementSibling) || isByline(first.previousElementSibling))) first = first.previousElementSibling;
      const paragraph = first.previousElementSibling;
      if (!paragraph || paragraph.tagName !== 'P') return undefined;
      const lines = lineStarts(paragraph);
      const moved = document.createRange();
      if (lines.length >= KEEP_LINES + ORPHAN_LINES) {
        const at = lines[lines.length - KEEP_LINES];
        moved.setStart(at.node, at.offset);
      } else if (hasContentBefore(paragraph, rendered)) {
        moved.setStartBefore(paragraph);
      } else {
        return undefined;
      }
      moved.setEndAfter(rendered.lastChild);
      return moved;
    }
  }

  Paged.registerHandlers(KeepArticleEnd);
})();
