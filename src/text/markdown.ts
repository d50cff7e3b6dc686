/**
 * Sanitized article HTML → the Markdown body of article.md, so the files people keep in git read like
 * text. Only blocks Markdown expresses exactly are converted (paragraphs with bold/italic/line breaks,
 * headings, flat lists, a picture on its own); anything richer (tables, footnotes, links, nested lists)
 * stays an HTML block, which CommonMark passes through unchanged. Text is escaped so Markdown never
 * reads it as syntax.
 */
import { parseDocument } from 'htmlparser2';
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import render from 'dom-serializer';

const INLINE_MARK: Readonly<Record<string, string>> = { strong: '**', b: '**', em: '*', i: '*' };

/** Escapes characters Markdown could read as syntax anywhere in a line. */
function escapeInline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (c) => '\\' + c)
    .replace(/&/g, '&amp;');
}

/** Escapes what would start a block construct at the beginning of a line. */
function escapeLineStart(line: string): string {
  return line
    .replace(/^(\s*)([#+=-])/u, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/u, '$1\\$2');
}

/** Inline Markdown for simple inline content, or undefined when it holds something Markdown cannot say. */
function inline(nodes: ChildNode[]): string | undefined {
  let out = '';
  for (const n of nodes) {
    if (isText(n)) {
      out += escapeInline(n.data.replace(/\s+/gu, ' '));
      continue;
    }
    if (!isTag(n) || Object.keys(n.attribs).length > 0) return undefined;
    if (n.name === 'br') {
      out += '\\\n';
      continue;
    }
    const mark = INLINE_MARK[n.name];
    if (!mark) return undefined;
    const inner = inline(n.children);
    if (inner === undefined) return undefined;
    // Emphasis must hug its text ("** a **" is not bold): keep outer spaces outside the marks.
    const m = /^(\s*)([\s\S]*?)(\s*)$/u.exec(inner);
    if (!m?.[2]) {
      out += inner;
      continue;
    }
    // Nested same-kind marks or marks touching letters on both sides are ambiguous: leave it to HTML.
    if (m[2].startsWith('*') || m[2].endsWith('*')) return undefined;
    out += `${m[1]}${mark}${m[2]}${mark}${m[3]}`;
  }
  return out;
}

function lines(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => escapeLineStart(l.trim()))
    .join('\n');
}

function blockToMarkdown(el: Element): string | undefined {
  const heading = /^h([1-6])$/.exec(el.name);
  if (heading && Object.keys(el.attribs).length === 0) {
    const text = inline(el.children);
    return text && !text.includes('\n') ? `${'#'.repeat(Number(heading[1]))} ${text.trim()}` : undefined;
  }
  if (el.name === 'p' && Object.keys(el.attribs).length === 0) {
    const meaningful = el.children.filter((c) => !(isText(c) && c.data.trim() === ''));
    const only = meaningful[0];
    if (meaningful.length === 1 && only && isTag(only) && only.name === 'img') {
      const { src, alt, ...rest } = only.attribs;
      if (!src || Object.keys(rest).length > 0 || /[\s()<>]/.test(src)) return undefined;
      return `![${escapeInline(alt ?? '')}](${src})`;
    }
    const text = inline(el.children);
    return text?.trim() ? lines(text) : undefined;
  }
  if ((el.name === 'ul' || el.name === 'ol') && Object.keys(el.attribs).length === 0) {
    const items = el.children.filter((c) => !(isText(c) && c.data.trim() === ''));
    const out: string[] = [];
    for (const [i, item] of items.entries()) {
      if (!isTag(item) || item.name !== 'li' || Object.keys(item.attribs).length > 0) return undefined;
      const text = inline(item.children);
      if (!text?.trim() || text.includes('\n')) return undefined;
      out.push(`${el.name === 'ul' ? '-' : `${i + 1}.`} ${escapeLineStart(text.trim())}`);
    }
    return out.join('\n');
  }
  return undefined;
}

/** Markdown body for sanitized HTML: one block per paragraph, blank lines between. */
export function htmlToMarkdown(html: string): string {
  const blocks: string[] = [];
  for (const node of parseDocument(html).children) {
    if (isText(node)) {
      if (node.data.trim()) blocks.push(lines(escapeInline(node.data)));
      continue;
    }
    if (!isTag(node)) continue;
    // An HTML block must start a line and not contain blank lines (CommonMark ends it there).
    blocks.push(blockToMarkdown(node) ?? render(node, { encodeEntities: 'utf8' }).replace(/\n\s*\n/g, '\n'));
  }
  return blocks.join('\n\n');
}
