/**
 * Turns sanitized body HTML into an article: text cleaned (normalize.ts), and title / author / unit taken
 * out of the body where the document makes them clear — the first heading is the title, a "Tác giả:"
 * line names the author (and often the unit after a dash), a "Đơn vị:" line names the unit. Anything
 * less clear is left in the body for the editor.
 */
import { parseDocument } from 'htmlparser2';
import { isTag, isText, type ChildNode } from 'domhandler';
import render from 'dom-serializer';
import { normalizeText, type NormalizeCounts, type QuoteState } from './normalize.ts';

export interface ArticleParts {
  title?: string;
  subtitle?: string;
  /** Only with ExtractOptions.lead */
  lead?: string;
  author?: string;
  unit?: string;
  bodyHtml: string;
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'td', 'th', 'caption', 'figcaption', 'blockquote']);
const HEADINGS = new Set(['h1', 'h2', 'h3']);
const AUTHOR_LINE = /^(?:tác giả|người viết|bài(?: và ảnh)?|tin(?: và ảnh)?)\s*:\s*(.+)$/iu;
const UNIT_LINE = /^(?:đơn vị|cơ quan)\s*:\s*(.+)$/iu;
/** Words a unit name starts with, to split "Nguyễn Văn A – Đảng ủy xã Phước Vinh". */
const UNIT_START = /^(?:đảng ủy|đảng uỷ|đảng bộ|chi bộ|ban |huyện ủy|huyện uỷ|thành ủy|thành uỷ|tỉnh ủy|tỉnh uỷ|thị ủy|thị uỷ|ubnd|ủy ban|uỷ ban|hội |đoàn |mặt trận|trường |sở |phòng |văn phòng|công an|bộ chỉ huy|trung tâm|báo |đài |cộng tác viên|ctv)/iu;

function textOf(node: ChildNode): string {
  if (isText(node)) return node.data;
  if (isTag(node)) return node.children.map(textOf).join('');
  return '';
}

/** Cleans every text node; straight quotes pair up within each block. */
function normalizeTree(nodes: ChildNode[], counts: NormalizeCounts, quotes: QuoteState): void {
  for (const node of nodes) {
    if (isText(node)) node.data = normalizeText(node.data, counts, quotes);
    else if (isTag(node)) normalizeTree(node.children, counts, BLOCKS.has(node.name) ? { open: false } : quotes);
  }
}

function plain(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function splitAuthorUnit(value: string): { author: string; unit?: string } {
  const parts = value.split(/\s+[–—-]\s+|,\s+/u);
  const unitIndex = parts.findIndex((p, i) => i > 0 && UNIT_START.test(p));
  if (unitIndex > 0) return { author: parts.slice(0, unitIndex).join(', '), unit: parts.slice(unitIndex).join(' – ') };
  return { author: value };
}

function isEmptyBlock(node: ChildNode): boolean {
  return isTag(node) && node.name === 'p' && plain(textOf(node)) === '' && !node.children.some((c) => isTag(c) && c.name === 'img');
}

export interface ExtractOptions {
  /** Take a wholly bold first paragraph after the title as the lead (sa-pô) and out of the body */
  lead?: boolean;
}

function wholly(node: ChildNode, tags: string[]): boolean {
  if (!isTag(node)) return false;
  const meaningful = node.children.filter((c) => !(isText(c) && c.data.trim() === ''));
  const only = meaningful[0];
  return meaningful.length === 1 && only !== undefined && isTag(only) && tags.includes(only.name);
}

/** A lead is a full sentence or more (not a bold sub-heading) set wholly in bold. */
function isLeadParagraph(node: ChildNode): boolean {
  if (!isTag(node) || node.name !== 'p') return false;
  const text = plain(textOf(node));
  return text.length >= 80 && /[.!?…”"]$/u.test(text) && wholly(node, ['strong', 'b']);
}

/**
 * Without heading styles, a title is still clear when the first paragraph is short, has no final
 * punctuation and is all bold or all capitals (the usual centred ".VnTimeH" title line).
 */
function looksLikeTitleParagraph(node: ChildNode): boolean {
  if (!isTag(node) || node.name !== 'p') return false;
  const text = plain(textOf(node));
  if (!text || text.length > 200 || /[.;:,]$/u.test(text)) return false;
  const allCaps = /\p{Lu}/u.test(text) && text === text.toLocaleUpperCase('vi');
  return allCaps || wholly(node, ['strong', 'b']);
}

/**
 * Cleans the text of sanitized body HTML and extracts the article's metadata; `counts` receives what the
 * cleanup changed. `fallbackTitle` is used when the HTML has no heading (e.g. a <title> element).
 */
export function extractArticle(html: string, counts: NormalizeCounts, fallbackTitle?: string, opts: ExtractOptions = {}): ArticleParts {
  const doc = parseDocument(html);
  normalizeTree(doc.children, counts, { open: false });
  const top = doc.children.filter((n) => !(isText(n) && n.data.trim() === '') && !isEmptyBlock(n));
  const out: ArticleParts = { bodyHtml: '' };
  const remove = new Set<ChildNode>();

  const first = top[0];
  if (first && isTag(first) && HEADINGS.has(first.name) && plain(textOf(first))) {
    out.title = plain(textOf(first));
    remove.add(first);
    const second = top[1];
    if (second && isTag(second) && second.name === 'h2' && (second.attribs.class ?? '').includes('subtitle')) {
      out.subtitle = plain(textOf(second));
      remove.add(second);
    }
  } else if (first && top.length > 1 && looksLikeTitleParagraph(first)) {
    out.title = plain(textOf(first));
    remove.add(first);
  } else if (fallbackTitle && plain(fallbackTitle)) {
    out.title = plain(normalizeText(fallbackTitle, counts));
  }

  for (const node of top) {
    if (!isTag(node) || node.name !== 'p' || remove.has(node)) continue;
    const line = plain(textOf(node));
    const authorMatch = out.author === undefined ? AUTHOR_LINE.exec(line) : null;
    if (authorMatch?.[1]) {
      const { author, unit } = splitAuthorUnit(authorMatch[1].trim());
      out.author = author;
      if (unit && out.unit === undefined) out.unit = unit;
      remove.add(node);
      continue;
    }
    const unitMatch = out.unit === undefined ? UNIT_LINE.exec(line) : null;
    if (unitMatch?.[1]) {
      out.unit = unitMatch[1].trim();
      remove.add(node);
    }
  }

  if (opts.lead && out.title !== undefined) {
    // The sa-pô: the paragraph right after the title (and byline) set wholly in bold, as newspapers do.
    const next = top.find((n) => !remove.has(n));
    if (next && isLeadParagraph(next)) {
      out.lead = plain(textOf(next));
      remove.add(next);
    }
  }

  const body = top.filter((n) => !remove.has(n));
  out.bodyHtml = body.map((n) => render(n, { encodeEntities: 'utf8' })).join('\n');
  return out;
}

/** Builds paragraphs from plain text: one paragraph per line, blank lines ignored. */
export function textToHtml(text: string): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/u).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 0) return '';
  // The first line of a plain-text article is its title when it is short and has no final full stop.
  const [first, ...rest] = lines;
  const titleLike = first !== undefined && first.length <= 200 && !/[.;:]$/u.test(first) && rest.length > 0;
  const head = titleLike ? `<h1>${esc(first)}</h1>` : `<p>${esc(first ?? '')}</p>`;
  return [head, ...rest.map((l) => `<p>${esc(l)}</p>`)].join('\n');
}

