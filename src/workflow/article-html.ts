/**
 * Article HTML as the app stores it: the intake's allow-list (src/text/html.ts, one allow-list for every
 * way in) plus embedded raster photos. Stored articles carry their photos as `data:image/...` so they
 * travel with revisions and exports and Chromium never fetches anything; the file format (and so the
 * intake sanitizer) only knows relative `images/…` paths. Embedded images are set aside under a
 * placeholder path the allow-list accepts, and put back after sanitizing.
 */
import { sanitizeArticleHtml as sanitizeWithAllowList } from '../text/html.ts';
import { textToHtml as intakeTextToHtml } from '../text/article.ts';

const EMBEDDED_IMG = /(<img\b[^>]*?\bsrc\s*=\s*)(["'])(data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+)\2/gi;
const PLACEHOLDER = /src="bantin-embedded\/(\d+)"/g;

export function sanitizeArticleHtml(html: string): string {
  const embedded: string[] = [];
  const marked = html.replace(EMBEDDED_IMG, (_m, before: string, quote: string, uri: string) => {
    embedded.push(uri.replace(/\s+/g, ''));
    return `${before}${quote}bantin-embedded/${embedded.length - 1}${quote}`;
  });
  return sanitizeWithAllowList(marked)
    .replace(PLACEHOLDER, (m, i: string) => {
      const uri = embedded[Number(i)];
      return uri ? `src="${uri}"` : m;
    })
    .trim();
}

/** Plain text → paragraphs (the intake's rule, so an upload and an import read the same). */
export function textToHtml(text: string): string {
  return intakeTextToHtml(text);
}
