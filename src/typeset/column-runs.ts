/**
 * Two-column article bodies as runs of columns between full-width blocks (pure, part of renderHtml).
 *
 *   <div class="article-body body-columns-2">            <div class="article-body body-columns-2">
 *     <p>…</p><p>…</p>                                     <div class="column-run"><p>…</p><p>…</p></div>
 *     <h3>…</h3>                                  →        <h3>…</h3>
 *     <p>…</p><footer class="article-byline">…</footer>    <div class="column-run"><p>…</p><footer …>…</footer></div>
 *
 * Why not one multicol body with `column-span: all` subheads, tables and wide photos: Paged.js lays each
 * page out as a column of its own, so an article body is a multicol nested in a fragmented one, and there
 * Chromium moves the whole body to the next page when its part before the first spanner cannot be
 * completed on the current one — the sample issue had pages 30–65 % empty before articles (pages 8, 31
 * and 37), their titles pushed along. Nested multicols without spanners break line by line. Each run is
 * balanced on its own, so the page looks the same and text extraction reads the columns in the same order.
 */
import { parseDocument } from 'htmlparser2';
import { Element, isTag, isText, type ChildNode } from 'domhandler';
import render from 'dom-serializer';

export const COLUMN_RUN_CLASS = 'column-run';
const TWO_COLUMN_BODY = 'body-columns-2';
const BYLINE = 'article-byline';

function hasClass(node: ChildNode, cls: string): boolean {
  return isTag(node) && (node.attribs.class ?? '').split(/\s+/).includes(cls);
}

/** Blocks set across the full text width: subheads, tables and photos marked `wide`. */
function isFullWidth(node: ChildNode): boolean {
  if (!isTag(node)) return false;
  return /^h[2-6]$/.test(node.name) || node.name === 'table' || (node.name === 'figure' && hasClass(node, 'wide'));
}

function isBlank(node: ChildNode): boolean {
  return isText(node) && node.data.trim() === '';
}

/**
 * Rewrites every `.body-columns-2` element of a rendered HTML fragment. Markup outside them is left byte for
 * byte; inside, text and attributes too, only void elements lose their XHTML slash (`<img />` → `<img>`).
 */
export function wrapColumnRuns(html: string): string {
  if (!html.includes(TWO_COLUMN_BODY)) return html;
  // No entity decoding: text and attributes are written back exactly as the templates escaped them.
  const doc = parseDocument(html, { decodeEntities: false });
  let changed = false;
  const visit = (node: ChildNode): void => {
    if (!isTag(node)) return;
    if (hasClass(node, TWO_COLUMN_BODY)) {
      regroup(node);
      changed = true;
      return;
    }
    node.children.forEach(visit);
  };
  doc.children.forEach(visit);
  return changed ? render(doc, { decodeEntities: false, encodeEntities: false }) : html;
}

function regroup(body: Element): void {
  const out: ChildNode[] = [];
  let run: Element | undefined;
  for (const node of body.children) {
    // The byline closes the text: it stays in the last run, or stands alone (right-aligned) after a
    // full-width block rather than opening a run of its own, where it would sit in the left column.
    const joinsRun = !isFullWidth(node) && !(hasClass(node, BYLINE) && !run);
    if (!joinsRun) {
      run = undefined;
      out.push(node);
    } else if (run) {
      run.children.push(node);
    } else if (isBlank(node)) {
      out.push(node);
    } else {
      run = new Element('div', { class: COLUMN_RUN_CLASS }, [node]);
      out.push(run);
    }
  }
  for (const node of out) node.parent = body;
  for (const node of out) if (isTag(node) && hasClass(node, COLUMN_RUN_CLASS)) for (const child of node.children) child.parent = node;
  body.children = out;
}
