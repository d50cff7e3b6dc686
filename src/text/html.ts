/**
 * The allow-list every article body passes through (docx output, uploaded HTML, the web editor): only
 * structural tags survive, no attributes that can run code or load anything (no style, no on*, no
 * iframes, no external or data: images). Images must be relative paths inside the article
 * (`images/photo.jpg`); anything else is removed and reported so nobody wonders where it went.
 */
import sanitizeHtml from 'sanitize-html';
import { LAYOUT_CLASSES } from '../domain/layout-classes.ts';

const ALLOWED_TAGS = [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'br', 'hr',
  'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'span',
  'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
  'figure', 'figcaption', 'img', 'a',
];

/** Relative path inside the article: no scheme, no leading slash, no "..", no backslash. */
export function isSafeRelativeSrc(src: string): boolean {
  if (!src || /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('/') || src.includes('\\')) return false;
  return !src.split('/').some((seg) => seg === '..');
}

export interface SanitizeResult {
  html: string;
  /** src of every image that was removed (external, data:, unsafe path) */
  removedImages: string[];
}

/** Sanitizes article HTML and says which images it had to remove. Output is NFC. */
export function sanitizeArticleHtmlDetailed(html: string): SanitizeResult {
  const removedImages: string[] = [];
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      img: ['src', 'alt', 'width', 'height'],
      a: ['href', 'id', 'name'],
      li: ['id'],
      p: ['id'],
      sup: ['id'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      ol: ['start'],
      '*': ['class'],
    },
    // subtitle and lead are set by the Word intake; the layout classes by authors of raw HTML.
    allowedClasses: { '*': [...LAYOUT_CLASSES], h2: ['subtitle', ...LAYOUT_CLASSES], p: ['lead', ...LAYOUT_CLASSES] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object', 'svg', 'math'],
    exclusiveFilter: (frame) => {
      if (frame.tag !== 'img') return false;
      const src = frame.attribs.src ?? '';
      if (isSafeRelativeSrc(src)) return false;
      removedImages.push(src.startsWith('data:') ? src.slice(0, 40) + '…' : src);
      return true;
    },
  });
  return { html: clean.normalize('NFC'), removedImages };
}

/** Sanitizes article HTML with bantin's allow-list (see module comment). Output is NFC. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeArticleHtmlDetailed(html).html;
}
