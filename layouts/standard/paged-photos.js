/*
 * Paged.js handler of the "standard" layout: photos across the text width and the holes they would leave
 * (runs INSIDE Chromium after paged.js and paged-handlers.js; src/typeset/layout.ts lists it).
 */
(function () {
  'use strict';
  const Paged = window.Paged;
  if (!Paged || typeof Paged.registerHandlers !== 'function') return;

  function nodeAtStart(range) {
    const c = range.startContainer;
    return c.nodeType === 1 ? c.childNodes[range.startOffset] || c : c.parentElement;
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
   * less leaves room for a caption that wraps once more at that width. (The sample issue's Núi Bà Đen needs
   * 0.45, and whether its caption is laid out before or after Paged.js' check moves that by a pixel.)
   */
  const COLUMN_SCALE = 0.42;
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
   * may wrap onto more lines: the photo is then measured again and set smaller by that much. `last` is the
   * last thing that has to fit with it (the photo, or the byline that keeps to it).
   */
  function shrinkToFit(figure, img, free, other, minHeight, bounds, last) {
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
      const end = last.getBoundingClientRect();
      if (r.left < bounds.right && end.left < bounds.right && end.bottom <= bounds.bottom && r.top >= bounds.top) return true;
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

  /** A copy for measuring only: without data-ref, so Paged.js never takes it for the node it copies. */
  function inertCopy(el) {
    const copy = el.cloneNode(true);
    for (const node of [copy, ...copy.querySelectorAll('[data-ref]')]) node.removeAttribute('data-ref');
    return copy;
  }

  /**
   * What travels with the photo, in place even when Paged.js has not laid it out yet (it checks for
   * overflow every so many characters, so the caption may not be there): the caption and, when the photo
   * ends the article, the byline, which keeps to it (break-before: avoid) and goes to the next page with
   * it if it does not fit too. Copies are added for measuring and removed afterwards.
   */
  function withCompanions(figure, sourceFigure) {
    const added = [];
    const sourceCaption = sourceFigure.querySelector('figcaption');
    if (sourceCaption && !figure.querySelector('figcaption')) added.push(figure.appendChild(inertCopy(sourceCaption)));
    let last = figure;
    const sourceNext = sourceFigure.nextElementSibling;
    if (sourceNext && sourceNext.classList.contains('article-byline')) {
      const renderedNext = figure.nextElementSibling;
      if (renderedNext && renderedNext.classList.contains('article-byline')) {
        last = renderedNext;
      } else {
        last = inertCopy(sourceNext);
        figure.after(last);
        added.push(last);
      }
    }
    return { last, remove: () => added.forEach((el) => el.remove()) };
  }

  /**
   * A photo that ends its article moves up before the last item of text (a column run, with the subhead
   * leading into it), which it usually illustrates, when it then fits at full size and fills the page:
   * the item goes to the next page with the byline. On the page and in the source. Returns the new
   * overflow (at the moved text) or undefined with nothing changed.
   */
  function movePhotoUp(figure, img, minHeight, sourceFigure, rendered, bounds, layout) {
    const run = figure.previousElementSibling;
    if (!run || !run.classList.contains('column-run') || run.hasAttribute('data-split-from')) return undefined;
    const lead = run.previousElementSibling;
    const first = lead && lead.getAttribute('data-break-after') === 'avoid' ? lead : run;
    if (!first.previousElementSibling) return undefined;
    const sourceFirst = first.getAttribute('data-ref') ? sourceFigure.parentNode.querySelector(':scope > [data-ref="' + first.getAttribute('data-ref') + '"]') : null;
    if (!sourceFirst) return undefined;
    const next = figure.nextSibling;
    const before = { maxHeight: img.style.maxHeight, width: figure.style.width, margin: figure.style.margin };
    // The page will end after the photo: what Paged.js has not laid out of it yet (its caption) is added
    // now as Paged.js would, or it would never be.
    const missing = Array.from(sourceFigure.children).filter((el) => !figure.querySelector(':scope > [data-ref="' + el.getAttribute('data-ref') + '"]'));
    const completed = missing.map((el) => figure.appendChild(el.cloneNode(true)));
    first.before(figure);
    // Up there it may still be set a little smaller (not below minHeight), as anywhere else.
    const free = bounds.bottom - figure.previousElementSibling.getBoundingClientRect().bottom;
    const other = figure.getBoundingClientRect().height - img.getBoundingClientRect().height + parseFloat(getComputedStyle(figure).marginTop || '0');
    const fits = shrinkToFit(figure, img, free, other, minHeight, bounds, figure);
    const fills = fits && bounds.bottom - figure.getBoundingClientRect().bottom < bounds.height * MIN_HOLE;
    const overflow = fills ? layout.findOverflow(rendered, bounds) : undefined;
    const at = overflow && nodeAtStart(overflow);
    if (!at || (at !== first && !first.contains(at))) {
      for (const el of completed) el.remove();
      figure.parentNode.insertBefore(figure, next);
      img.style.maxHeight = before.maxHeight;
      figure.style.width = before.width;
      figure.style.margin = before.margin;
      return undefined;
    }
    for (const el of completed) indexRefs(rendered, el);
    sourceFirst.before(sourceFigure);
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
      const source = this.chunker && this.chunker.source;
      const ref = figure.getAttribute('data-ref');
      const sourceFigure = ref && source ? source.querySelector('[data-ref="' + ref + '"]') : null;
      if (!sourceFigure) return undefined;
      const endsArticle = !hasTextAfter(sourceFigure);
      const companions = withCompanions(figure, sourceFigure);
      // What the heading + photo (+ byline) need besides the picture itself has to fit in the free space too.
      const needed = companions.last.getBoundingClientRect().bottom - start.getBoundingClientRect().top + parseFloat(getComputedStyle(start).marginTop || '0');
      const other = needed - imgHeight;
      const shrink = (scale) => shrinkToFit(figure, img, free, other, fullHeight * scale, bounds, companions.last);
      let shrunk = shrink(MIN_SCALE);
      companions.remove();
      // It fits now. Whatever came after it may still overflow: look again, so that is broken normally
      // (null: nothing overflows, Paged.js goes on filling the page).
      if (shrunk) return layout.findOverflow(rendered, bounds) || null;
      const movedUp = endsArticle && start === figure ? movePhotoUp(figure, img, fullHeight * MIN_SCALE, sourceFigure, rendered, bounds, layout) : undefined;
      if (movedUp) return movedUp;
      if (endsArticle) {
        const again = withCompanions(figure, sourceFigure);
        shrunk = shrinkToFit(figure, img, free, other, fullHeight * COLUMN_SCALE, bounds, again.last);
        again.remove();
        if (shrunk) return layout.findOverflow(rendered, bounds) || null;
      }
      if (start === figure && !endsArticle) return flowTextBeforePhoto(figure, sourceFigure, prev, rendered, bounds, layout);
      return undefined;
    }
  }

  Paged.registerHandlers(FitFullWidthPhoto);
})();
