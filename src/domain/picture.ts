/**
 * Pictures of articles: stored once, named by the sha256 of their bytes, and referenced from article
 * HTML by a stable app URL `/media/<sha256>.jpg|png`. The URL never changes for the same bytes, so
 * revisions, exports and browser caches all agree on what a picture is.
 */
export type PictureMime = 'image/jpeg' | 'image/png';

export interface Picture {
  sha256: string;
  mime: PictureMime;
  width: number;
  height: number;
  bytes: number;
  createdBy: number;
  createdAt: string;
}

/** Per-picture upload limit (issue #5); a whole article file may be larger (it carries several photos). */
export const PICTURE_LIMIT_BYTES = 20 * 1024 * 1024;

export const MEDIA_PATH = '/media';

export function extensionOf(mime: PictureMime): 'jpg' | 'png' {
  return mime === 'image/png' ? 'png' : 'jpg';
}

export function mediaFileName(p: Pick<Picture, 'sha256' | 'mime'>): string {
  return `${p.sha256}.${extensionOf(p.mime)}`;
}

export function mediaUrl(p: Pick<Picture, 'sha256' | 'mime'>): string {
  return `${MEDIA_PATH}/${mediaFileName(p)}`;
}

const NAME = /^([0-9a-f]{64})\.(jpg|png)$/;

/** `<sha256>.jpg` → its parts; anything else (other extensions, upper case, path tricks) → null. */
export function parseMediaName(name: string): { sha256: string; mime: PictureMime } | null {
  const m = NAME.exec(name);
  return m ? { sha256: m[1]!, mime: m[2] === 'png' ? 'image/png' : 'image/jpeg' } : null;
}

/** Matches the src of an `<img>` that points at a stored picture (quotes as the sanitizer writes them). */
export const MEDIA_SRC = /\bsrc\s*=\s*(["'])\/media\/([0-9a-f]{64})\.(jpg|png)\1/g;

/** The distinct pictures an article body references, in order of first appearance. */
export function mediaRefsIn(html: string): { sha256: string; mime: PictureMime }[] {
  const seen = new Map<string, PictureMime>();
  for (const m of html.matchAll(MEDIA_SRC)) {
    if (!seen.has(m[2]!)) seen.set(m[2]!, m[3] === 'png' ? 'image/png' : 'image/jpeg');
  }
  return [...seen].map(([sha256, mime]) => ({ sha256, mime }));
}
