/**
 * Allow-list sanitizing of article HTML coming from the API, the editor and uploads.
 * Stand-in until the intake engineer's `sanitizeArticleHtml` (src/text/html.ts) lands; then this module
 * delegates to it so there is one allow-list.
 */
import sanitizeHtml from 'sanitize-html';
import { nfc } from '../domain/vi-text.ts';

const ALLOWED_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'h2', 'h3', 'h4', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'blockquote', 'ul', 'ol', 'li',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption', 'img', 'a', 'hr', 'span'],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  // Images only as embedded raster data (uploads); no remote fetches, no SVG (can carry script).
  exclusiveFilter: (frame) => frame.tag === 'img' && !ALLOWED_IMAGE.test(frame.attribs.src ?? ''),
  transformTags: { h1: 'h2', b: 'strong', i: 'em', div: 'p' },
  disallowedTagsMode: 'discard',
};

export function sanitizeArticleHtml(html: string): string {
  return nfc(sanitizeHtml(html, OPTIONS)).trim();
}

/** Plain text (one paragraph per blank-line block, line breaks kept) → safe HTML. */
export function textToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return nfc(text)
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p>${escape(block).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
