/**
 * Moves photos that older versions of bantin embedded in article bodies (and their revisions) as data:
 * URIs into the picture store, once, at start-up: each embedded photo becomes a stored picture and the
 * body points at its `/media/…` URL. JPEG and PNG bytes are stored exactly as they were (they were
 * normalised when embedded, and a byte-identical file is the proof nothing was lost); other formats are
 * normalised like an upload. A photo that cannot be read stays embedded and is reported, never dropped.
 * Idempotent: a body without data: images is not touched, so the next start finds nothing to do.
 */
import type { Store } from '../store/index.ts';
import { mediaRefsIn, type PictureMime } from '../domain/picture.ts';
import type { PictureService } from './pictures.ts';
import { loadSharp } from '../lazy-deps.ts';
import { normalisePhoto } from './pictures-normalise.ts';

export interface MovedPictures {
  articles: number;
  revisions: number;
  /** Embedded photos replaced by a picture URL (the same photo in several bodies counts each time). */
  photos: number;
  /** Photos left embedded because they could not be read, with where they are. */
  left: { where: string; reason: string }[];
}

const EMBEDDED_IMG = /(<img\b[^>]*?\bsrc\s*=\s*)(["'])data:image\/[a-z]+;base64,([A-Za-z0-9+/=\s]+)\2/gi;

export async function moveEmbeddedPictures(store: Store, pictures: PictureService): Promise<MovedPictures> {
  const report: MovedPictures = { articles: 0, revisions: 0, photos: 0, left: [] };
  const { articleIds, revisionIds } = store.articles.withEmbeddedImages();

  const rewrite = async (html: string, createdBy: number, where: string): Promise<string> => {
    const urls = new Map<string, string>();
    for (const m of html.matchAll(EMBEDDED_IMG)) {
      const data = m[3]!;
      if (urls.has(data)) continue;
      try {
        urls.set(data, await storeEmbedded(pictures, Buffer.from(data.replace(/\s+/g, ''), 'base64'), createdBy, where));
      } catch (err) {
        report.left.push({ where, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    return html.replace(EMBEDDED_IMG, (all, before: string, quote: string, data: string) => {
      const url = urls.get(data);
      if (!url) return all;
      report.photos += 1;
      return `${before}${quote}${url}${quote}`;
    });
  };

  for (const id of articleIds) {
    const before = store.articles.get(id);
    if (!before) continue;
    const after = await rewrite(before.bodyHtml, before.createdBy, `article ${id}`);
    if (after === before.bodyHtml) continue;
    // Written only if nobody changed the body meanwhile (another process); the next start retries.
    const done = store.transaction(() => {
      if (store.articles.get(id)?.bodyHtml !== before.bodyHtml) return false;
      store.articles.replaceBodyMarkup(id, after);
      linkAll(store, id, after);
      return true;
    });
    if (done) report.articles += 1;
  }
  for (const revId of revisionIds) {
    const before = store.articles.revisionById(revId);
    if (!before) continue;
    const after = await rewrite(before.bodyHtml, before.createdBy, `article ${before.articleId} revision ${revId}`);
    if (after === before.bodyHtml) continue;
    store.transaction(() => {
      store.articles.replaceRevisionBodyMarkup(revId, after);
      linkAll(store, before.articleId, after);
    });
    report.revisions += 1;
  }
  return report;
}

async function storeEmbedded(pictures: PictureService, bytes: Buffer, createdBy: number, where: string): Promise<string> {
  const sharp = await loadSharp();
  const meta = await sharp(bytes, { failOn: 'error' }).metadata();
  const mime: PictureMime | null = meta.format === 'jpeg' ? 'image/jpeg' : meta.format === 'png' ? 'image/png' : null;
  if (mime && meta.width && meta.height) return (await pictures.record(createdBy, bytes, mime, meta.width, meta.height)).url;
  const photo = await normalisePhoto(bytes, where);
  return (await pictures.record(createdBy, photo.bytes, photo.mime, photo.width, photo.height)).url;
}

function linkAll(store: Store, articleId: number, html: string): void {
  store.pictures.link(articleId, mediaRefsIn(html).map((r) => r.sha256));
}
