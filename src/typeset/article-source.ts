/**
 * One article file (.md, .html/.htm, .docx) → its metadata (front matter or what the file itself says)
 * and its body as raw, not yet sanitized HTML. Markdown is CommonMark + GFM tables (markdown-it) with raw
 * HTML allowed; typographic replacements are off so printed text equals the author's text.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { nfc } from '../domain/vi-text.ts';
import { extractArticle } from '../text/article.ts';
import { convertDocx } from '../text/docx.ts';
import { newReport } from '../text/report.ts';
import type { Finding } from './model.ts';
import { decodeSourceText } from './source-text.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';

export type ArticleKind = 'md' | 'html' | 'docx';

export interface ArticleSource {
  kind: ArticleKind;
  /** Parsed front matter (to be validated by FrontMatterSchema, may be any YAML value), or metadata found in the file */
  meta: unknown;
  /** Present when meta came from YAML front matter, for line numbers in problems */
  metaSource?: YamlSource;
  rawHtml: string;
  findings: Finding[];
  /** Pictures that came inside the file (.docx), by the src the HTML uses for them ("images/anh-01.jpg") */
  embedded?: Map<string, EmbeddedImage>;
}

export interface EmbeddedImage {
  name: string;
  bytes: Uint8Array;
  widthPx: number;
  heightPx: number;
  format: 'jpeg' | 'png';
}

export const ARTICLE_EXTENSIONS: Record<string, ArticleKind> = { '.md': 'md', '.markdown': 'md', '.html': 'html', '.htm': 'html', '.docx': 'docx' };

const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
// markdown-it would print a file:/data:/javascript: link or image as literal text; let every target
// through so sanitize-article.ts rejects or reports it like the same target written in raw HTML.
markdown.validateLink = () => true;

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export async function readArticle(abs: string, source: string): Promise<ArticleSource> {
  const kind = ARTICLE_EXTENSIONS[path.extname(abs).toLowerCase()];
  if (kind === 'docx') return readDocx(abs, source);
  const { text, findings } = readText(await fs.readFile(abs), source);
  const fm = FRONT_MATTER.exec(text);
  const metaSource = fm ? parseYaml(fm[1] ?? '', source) : undefined;
  const body = fm ? text.slice(fm[0].length) : text;
  // Empty front matter is an empty mapping; anything else goes to the schema as written.
  const meta: unknown = metaSource ? (metaSource.data ?? {}) : {};
  if (kind === 'md') {
    const found = fm ? { meta, body } : titleFromMarkdownHeading(body);
    return { kind, meta: found.meta, metaSource, rawHtml: markdownToHtml(found.body), findings };
  }
  const bodyHtml = /<body[^>]*>([\s\S]*?)<\/body>/i.exec(body)?.[1] ?? body.replace(/<head[^>]*>[\s\S]*?<\/head>/i, '');
  if (fm) return { kind: 'html', meta, metaSource, rawHtml: bodyHtml, findings };
  const found = metaFromHtml(body, bodyHtml);
  return { kind: 'html', meta: found.meta, rawHtml: found.body, findings };
}

/** Article text as NFC, converted from a legacy encoding when it is not UTF-8 (source-text.ts). */
function readText(bytes: Uint8Array, source: string): { text: string; findings: Finding[] } {
  const { text, finding } = decodeSourceText(bytes, 'The file', 'Check the article text in screen.pdf; save the file as UTF-8 (or convert it with `bantin import`) to be sure.', source);
  return { text: nfc(text), findings: finding ? [finding] : [] };
}

/** Markdown without front matter may still open with `# Title`. */
function titleFromMarkdownHeading(body: string): { meta: Record<string, unknown>; body: string } {
  const m = /^\s*#\s+(.+?)\s*#*\s*(?:\r?\n|$)/.exec(body);
  return m ? { meta: { title: m[1] }, body: body.slice(m[0].length) } : { meta: {}, body };
}

/** A paragraph holding only an image becomes a figure; its title (or alt) is the caption. */
export function markdownToHtml(md: string): string {
  return markdown.render(md).replace(/<p>\s*(<img\b[^>]*>)\s*<\/p>/g, (_all, img: string) => {
    const caption = /\btitle="([^"]*)"/.exec(img)?.[1] || /\balt="([^"]*)"/.exec(img)?.[1] || '';
    return `<figure>${img}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
  });
}

/**
 * HTML without front matter: title from <title> or the first <h1> (which is then removed from the body
 * so it is not printed twice); author, unit, subtitle and lead from <meta name="…">.
 */
function metaFromHtml(whole: string, body: string): { meta: Record<string, unknown>; body: string } {
  const meta: Record<string, unknown> = {};
  for (const name of ['author', 'unit', 'subtitle', 'lead', 'date']) {
    const value = metaContent(whole, name) ?? (name === 'lead' ? metaContent(whole, 'description') : undefined);
    if (value) meta[name] = value;
  }
  const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(body);
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(whole)?.[1];
  const title = htmlToText(titleTag ?? '') || htmlToText(h1?.[1] ?? '');
  if (title) meta.title = title;
  const rest = h1 && htmlToText(h1[1] ?? '') === title ? body.replace(h1[0], '') : body;
  return { meta, body: rest };
}

function metaContent(html: string, name: string): string | undefined {
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const n = /\bname\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (n?.toLowerCase() !== name) continue;
    const content = /\bcontent\s*=\s*"([^"]*)"|\bcontent\s*=\s*'([^']*)'/i.exec(tag);
    const value = htmlToText(content?.[1] ?? content?.[2] ?? '');
    if (value) return value;
  }
  return undefined;
}

/** Inline HTML → plain text for titles (tags dropped, common entities decoded, spaces collapsed). */
export function htmlToText(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', ndash: '–', mdash: '—', hellip: '…', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’' };
  return nfc(
    html
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/<[^>]*>/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ent: string) => {
        if (ent[0] === '#') {
          const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
          return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
        }
        return named[ent.toLowerCase()] ?? all;
      })
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/**
 * .docx through the intake's converter (src/text/docx.ts: legacy TCVN3/VNI runs repaired, pictures
 * re-encoded), metadata taken from the document the way `bantin import` does (first heading = title,
 * "Tác giả:" line = author). Without a heading the first paragraph is the title. Pictures stay in memory:
 * the build may only read the issue directory, so they travel as data: URIs (see sanitize-article.ts).
 */
async function readDocx(abs: string, display: string): Promise<ArticleSource> {
  const report = newReport(display, 'docx');
  const converted = await convertDocx(await fs.readFile(abs), display, report);
  const parts = extractArticle(converted.html, report.normalized);
  let body = parts.bodyHtml;
  let title = parts.title;
  if (!title) {
    const first = /<p\b[^>]*>([\s\S]*?)<\/p>/i.exec(body);
    title = first ? htmlToText(first[1] ?? '') : undefined;
    if (first && title) body = body.replace(first[0], '');
  }
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries({ title, subtitle: parts.subtitle, author: parts.author, unit: parts.unit })) {
    if (value) meta[key] = nfc(value);
  }
  const embedded = new Map<string, EmbeddedImage>(converted.images.map((im) => [`images/${im.name}`, im]));
  const findings: Finding[] = report.warnings.map((w) => ({
    severity: 'warning',
    code: `docx-${w.code.replace(/^docx-/, '')}`,
    message: w.message,
    fix: 'Open the .docx, fix the part named, and save it again (or convert it with `bantin import` and edit the Markdown).',
  }));
  return { kind: 'docx', meta, rawHtml: nfc(body), findings, embedded };
}
