/**
 * The online edition of a rendition ("Đọc trực tuyến"): the typeset job writes `online/index.html`,
 * `online/online.css` and `online/images/img-NNN.jpg` (src/typeset/online-edition.ts) and lists them among
 * the rendition's files with their sha256. It belongs to the screen edition: whoever may open screen.pdf
 * of a rendition may read it. Renditions made before it existed have none.
 */
import type { RenditionFile } from '../domain/issue.ts';

export const ONLINE_INDEX = 'online/index.html';

/** Exactly the names the engine writes; anything else (`..`, other folders, odd characters) is not ours. */
const ONLINE_NAME = /^online\/(index\.html|online\.css|images\/img-\d{3,4}\.jpg)$/;

export function isOnlineName(name: string): boolean {
  return ONLINE_NAME.test(name);
}

/** The online page's stylesheet and pictures: parts of the page, not files to list for download. */
export function isOnlineAsset(name: string): boolean {
  return isOnlineName(name) && name !== ONLINE_INDEX;
}

export function hasOnlineEdition(files: readonly Pick<RenditionFile, 'name'>[]): boolean {
  return files.some((f) => f.name === ONLINE_INDEX);
}

/**
 * The page's Content-Security-Policy: nothing runs, nothing is fetched but its own stylesheet and pictures
 * (same origin), it submits nowhere and no other site may frame it. `data:` pictures only for the page's
 * empty icon (`<link rel="icon" href="data:,">`, which saves every reader a 404 for /favicon.ico); the
 * article HTML in it never carries data: URIs (online-html.ts allows no URL scheme).
 */
export const ONLINE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
