/**
 * Article HTML as the app stores it: the intake's allow-list (src/text/html.ts, one allow-list for every
 * way in) plus the app's own picture URLs `/media/<sha256>.jpg|png` (see pictures.ts). The file format (and
 * so the intake sanitizer) only knows relative `images/…` paths, so picture URLs — and data: URIs that
 * have not been moved into the picture store yet — are set aside under a placeholder path the allow-list
 * accepts, and put back after sanitizing. A picture URL pasted with a host (copied from an open article)
 * is kept as the app's own path.
 */
import { sanitizeArticleHtml as sanitizeWithAllowList } from '../text/html.ts';
import { textToHtml as intakeTextToHtml } from '../text/article.ts';

const KEPT_IMG = /(<img\b[^>]*?\bsrc\s*=\s*)(["'])(data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+|(?:https?:\/\/[^/"'\s]+)?\/media\/[0-9a-f]{64}\.(?:jpg|png))\2/gi;
const PLACEHOLDER = /src="bantin-embedded\/(\d+)"/g;

function keptSrc(src: string): string {
  if (src.startsWith('data:')) return src.replace(/\s+/g, '');
  const lower = src.toLowerCase();
  return lower.slice(lower.indexOf('/media/'));
}

export function sanitizeArticleHtml(html: string): string {
  const kept: string[] = [];
  const marked = html.replace(KEPT_IMG, (_m, before: string, quote: string, src: string) => {
    kept.push(keptSrc(src));
    return `${before}${quote}bantin-embedded/${kept.length - 1}${quote}`;
  });
  return sanitizeWithAllowList(marked)
    .replace(PLACEHOLDER, (m, i: string) => {
      const src = kept[Number(i)];
      return src ? `src="${src}"` : m;
    })
    .trim();
}

/** Plain text → paragraphs (the intake's rule, so an upload and an import read the same). */
export function textToHtml(text: string): string {
  return intakeTextToHtml(text);
}
