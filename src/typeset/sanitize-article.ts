/**
 * Article HTML (from Markdown, HTML or .docx) → the allow-listed HTML the layout prints. Nothing active
 * survives (scripts, event handlers, iframes, forms, style with url()), and nothing that would make
 * Chromium fetch from outside the issue directory. What is removed is never removed silently: external
 * images and stylesheet URLs become findings (preflight names them), unsafe local paths become problems
 * (bad input, exit 2). Local image paths are rewritten relative to the issue directory.
 */
import path from 'node:path';
import sanitizeHtml from 'sanitize-html';
import type { Problem } from '../domain/errors.ts';
import { DROPPED_IMAGE_PREFIX } from '../text/docx.ts';
import type { EmbeddedImage } from './article-source.ts';
import type { Finding } from './model.ts';
import { checkRelativeRef, hasUrlScheme, resolveInside } from './safe-path.ts';
import { LAYOUT_CLASSES } from '../domain/layout-classes.ts';

export interface SanitizeContext {
  /** realpath of the issue directory */
  root: string;
  /** absolute path of the article file (local refs resolve against its directory first) */
  articleFile: string;
  /** article source relative to the issue dir, for problems and findings */
  source: string;
  articleId: string;
  /** Pictures carried inside the article file (.docx), by their src in the HTML */
  embedded?: Map<string, EmbeddedImage>;
}

export interface SanitizedArticle {
  html: string;
  /**
   * Images in document order: a file (issue-dir-relative src + absolute path to measure), or a picture
   * embedded in the article file (src "articles/x.docx#images/anh-01.jpg", already measured).
   */
  images: Array<{ src: string; abs: string } | { src: string; widthPx: number; heightPx: number }>;
  findings: Finding[];
  problems: Problem[];
}

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h3', 'h4', 'h5', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark',
  'span', 'div', 'section', 'aside', 'blockquote', 'cite', 'q', 'abbr', 'code', 'pre',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'img', 'a',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];


/** Elements whose removal changes what readers see; we note them so the editor knows. */
const ACTIVE_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'textarea', 'select', 'video', 'audio', 'source', 'track', 'svg', 'math', 'link', 'meta', 'base', 'style', 'canvas', 'picture']);

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

export function sanitizeArticle(rawHtml: string, ctx: SanitizeContext): SanitizedArticle {
  const images: SanitizedArticle['images'] = [];
  const findings: Finding[] = [];
  const problems: Problem[] = [];
  const removed = new Set<string>();

  const external = (url: string, what: string): void => {
    findings.push({
      severity: 'error',
      // Same code as the engine's request-level block, so one rule names every outside resource.
      code: 'blocked-resource',
      message: `${what} loads from outside the issue: ${url} — blocked and removed (nothing is fetched at build time)`,
      fix: 'Download the file into the issue directory (images/…) and reference it by a relative path.',
      article: ctx.articleId,
      file: ctx.source,
    });
  };

  for (const url of cssUrls(rawHtml)) {
    if (isExternal(url)) external(url, 'A CSS url()');
  }

  const transform = (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    if (ACTIVE_TAGS.has(tagName)) {
      removed.add(`<${tagName}>`);
      const ref = attribs.src ?? attribs.href ?? attribs.data;
      if (ref && isExternal(ref)) external(ref, `A <${tagName}>`);
    }
    for (const name of Object.keys(attribs)) {
      if (/^on/i.test(name)) removed.add(`${name}= event handler`);
    }
    // srcset is never kept; an outside URL in it is still reported.
    for (const candidate of (attribs.srcset ?? '').split(',')) {
      const url = candidate.trim().split(/\s+/)[0] ?? '';
      if (url && isExternal(url)) external(url, `A <${tagName}> srcset`);
    }
    if (tagName === 'img') return { tagName, attribs: transformImage(attribs) };
    if (tagName === 'a') return { tagName, attribs: transformLink(attribs) };
    // Article headings sit below the article title (h2) and the section title (h1).
    if (tagName === 'h1' || tagName === 'h2') return { tagName: 'h3', attribs };
    if (tagName === 'h6') return { tagName: 'h5', attribs };
    return { tagName, attribs };
  };

  const transformImage = (attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes => {
    const { src, alt, title } = attribs;
    const kept: sanitizeHtml.Attributes = {};
    if (alt) kept.alt = alt;
    if (title) kept.title = title;
    if (!src || src.startsWith(DROPPED_IMAGE_PREFIX)) return kept;
    const inside = ctx.embedded?.get(src);
    if (inside) {
      images.push({ src: `${ctx.source}#${src}`, widthPx: inside.widthPx, heightPx: inside.heightPx });
      kept.src = `data:image/${inside.format};base64,${Buffer.from(inside.bytes).toString('base64')}`;
      return kept;
    }
    if (isExternal(src)) {
      external(src, 'An image');
      return kept;
    }
    const local = resolveLocal(src, 'img src');
    if (local) {
      images.push(local);
      kept.src = local.src;
    }
    return kept;
  };

  const transformLink = (attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes => {
    const href = attribs.href?.trim();
    if (!href || href.startsWith('#')) return {};
    if (hasUrlScheme(href)) {
      const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(href)?.[0].toLowerCase();
      if (scheme && LINK_SCHEMES.has(scheme)) return { href };
      if (href.startsWith('//')) return { href: `https:${href}` };
      if (scheme === 'javascript:') removed.add('javascript: link');
      else problems.push({ file: ctx.source, field: 'a href', message: `link to "${href}" is not allowed`, expected: 'an http(s) or mailto: link' });
      return {};
    }
    const bad = checkRelativeRef(href, { dotDotInside: true });
    if (bad && !bad.ok) problems.push({ file: ctx.source, field: 'a href', message: bad.reason, expected: bad.expected });
    else if (leavesRoot(ctx.root, path.dirname(ctx.articleFile), href)) {
      problems.push({ file: ctx.source, field: 'a href', message: `path leaves the issue directory: "${href}"`, expected: 'a link inside the issue directory, or an http(s) link' });
    }
    // A relative link means nothing on paper; keep the text, drop the target.
    return {};
  };

  const resolveLocal = (ref: string, field: string): { src: string; abs: string } | undefined => {
    // DESIGN.md: images are "referenced relatively from articles" and live in images/ beside articles/:
    // `../images/x.jpg` (relative to the article, allowed while it stays inside the issue) and
    // `images/x.jpg` (relative to the issue root, as exported issues and `bantin import` write it).
    const fromArticle = resolveInside(ctx.root, path.dirname(ctx.articleFile), ref, { dotDotInside: true });
    const tryRoot = !fromArticle.ok && fromArticle.expected === 'an existing file' && !ref.split('/').includes('..');
    const verdict = tryRoot ? resolveInside(ctx.root, ctx.root, ref) : fromArticle;
    if (verdict.ok) return { src: keepSpelling(verdict.rel), abs: verdict.abs };
    problems.push({ file: ctx.source, field, message: verdict.reason, expected: verdict.expected });
    return undefined;
  };

  const html = sanitizeHtml(rawHtml, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      img: ['src', 'alt', 'title'],
      a: ['href'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      col: ['span'],
      '*': ['class', 'style'],
    },
    allowedClasses: { '*': [...LAYOUT_CLASSES] },
    // Alignment is the only inline style worth keeping from Word/HTML; url() can never match.
    allowedStyles: { '*': { 'text-align': [/^(left|right|center|justify)$/] } },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    // Only the data: URIs made above from a .docx's own pictures (re-encoded by sharp) reach this point.
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    transformTags: { '*': transform },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  }).normalize('NFC');

  if (removed.size > 0) {
    findings.push({
      severity: 'warning',
      code: 'html-removed',
      message: `Removed from the article's HTML: ${[...removed].sort().join(', ')}`,
      fix: 'Nothing to do unless that content was meant to be printed; then rewrite it as text or an image.',
      article: ctx.articleId,
      file: ctx.source,
    });
  }
  return { html, images, findings, problems };
}

/**
 * The article HTML is normalized to NFC as a whole, which would respell a file name stored NFD on disk (an issue
 * copied from a Mac) into a name Chromium cannot find; percent-encoded, the on-disk bytes survive.
 */
function keepSpelling(rel: string): string {
  return rel === rel.normalize('NFC') ? rel : encodeURI(rel);
}

function leavesRoot(root: string, baseDir: string, ref: string): boolean {
  const rel = path.relative(root, path.resolve(baseDir, ref.split(/[?#]/)[0] ?? ''));
  return rel.startsWith('..') || path.isAbsolute(rel);
}

function isExternal(ref: string): boolean {
  return /^(https?:)?\/\//i.test(ref.trim());
}

/** Every url(...) in style attributes and <style> blocks, so an external one can be reported. */
function cssUrls(html: string): string[] {
  const urls: string[] = [];
  for (const m of html.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) urls.push(decodeEntities(m[2] ?? ''));
  for (const m of html.matchAll(/@import\s+(['"])([^'"]+)\1/gi)) urls.push(m[2] ?? '');
  return urls;
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
