/**
 * The picture store's use cases: photos uploaded with an article (API, form, editor) or found in an
 * imported document are checked and normalised once, written to the data dir under their sha256, recorded,
 * and referenced from article HTML as `/media/<sha256>.jpg|png`. Reading a picture follows the article
 * rule: whoever may read an article that uses it (in any revision), plus the person who uploaded it (the
 * editor shows a photo before the article is saved).
 */
import { BadInputError, NotFoundError, TooLargeError, UnsupportedTypeError, isAppError, type AppError } from '../domain/errors.ts';
import { can } from '../domain/roles.ts';
import type { Actor } from '../domain/user.ts';
import { nfc } from '../domain/vi-text.ts';
import { extensionOf, mediaFileName, mediaRefsIn, mediaUrl, PICTURE_LIMIT_BYTES, type Picture, type PictureMime } from '../domain/picture.ts';
import { nowIso, requirePermission, type WorkflowDeps } from './context.ts';
import { articleScopeOf } from './articles-scope.ts';
import { normalisePhoto } from './pictures-normalise.ts';

export interface PictureUpload {
  originalName: string;
  buffer: Buffer;
  caption?: string;
}

export interface StoredPicture extends Picture {
  url: string;
}

/** `<img src="data:image/...;base64,...">` as browsers, TipTap and older bantin bodies write it. */
const EMBEDDED_IMG = /(<img\b[^>]*?\bsrc\s*=\s*)(["'])data:image\/(?:png|jpeg|jpg|gif|webp);base64,([A-Za-z0-9+/=\s]+)\2/gi;

export function hasEmbeddedImages(html: string): boolean {
  return /data:image\//i.test(html);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The intake's finding about one photo, re-thrown about the form/API field with a sentence naming the file. */
function aboutPhoto(err: AppError, name: string, field: string): AppError {
  const details = { file: name, field, cause: err, expected: err.expected };
  if (err instanceof TooLargeError) return new TooLargeError(`${name}: ${err.message}`, { ...details, userMessage: `Ảnh ${name} quá lớn (dung lượng hoặc số điểm ảnh vượt giới hạn).` });
  if (err instanceof UnsupportedTypeError) return new UnsupportedTypeError(`${name}: ${err.message}`, { ...details, userMessage: `Tệp ${name} không phải ảnh JPEG hoặc PNG dùng được.` });
  return new BadInputError(`${name}: ${err.message}`, { ...details, userMessage: `Ảnh ${name} bị hỏng, không đọc được.` });
}

export class PictureService {
  constructor(private readonly deps: WorkflowDeps) {}

  /** POST /api/v1/pictures: one photo → stored picture with its URL. */
  async upload(actor: Actor, file: PictureUpload | undefined): Promise<StoredPicture> {
    requirePermission(actor, 'article.submit');
    if (!file) throw new BadInputError('send the photo as multipart field "file"', { field: 'file', expected: 'a JPEG or PNG photo', userMessage: 'Chưa chọn ảnh.' });
    return this.ingest(actor, file.buffer, file.originalName, 'file');
  }

  /** Photos sent with an article form, in order, as `<figure>` HTML (empty string for none). */
  async figures(actor: Actor, photos: readonly PictureUpload[]): Promise<string> {
    const figures: string[] = [];
    for (const photo of photos) {
      const stored = await this.ingest(actor, photo.buffer, photo.originalName, 'photos');
      const caption = escapeHtml(nfc(photo.caption?.trim() ?? ''));
      figures.push(`<figure><img src="${stored.url}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`);
    }
    return figures.join('\n');
  }

  /** A picture the intake already normalised (a .docx's photos): stored as it is, full resolution. */
  async recordImported(actor: Actor, image: { bytes: Uint8Array; format: 'jpeg' | 'png'; widthPx: number; heightPx: number }): Promise<StoredPicture> {
    return this.record(actor.id, image.bytes, image.format === 'png' ? 'image/png' : 'image/jpeg', image.widthPx, image.heightPx);
  }

  /**
   * Photos embedded in incoming HTML as data: URIs (API clients, pasted into the editor) become stored
   * pictures; their `src` becomes the picture's URL. Each one is checked like an upload.
   */
  async internalize(actor: Actor, html: string, field = 'bodyHtml'): Promise<string> {
    if (!hasEmbeddedImages(html)) return html;
    const found = [...html.matchAll(EMBEDDED_IMG)];
    const urls: string[] = [];
    for (const [i, m] of found.entries()) {
      const bytes = Buffer.from(m[3]!.replace(/\s+/g, ''), 'base64');
      urls.push((await this.ingest(actor, bytes, `${field} image ${i + 1}`, field)).url);
    }
    let k = 0;
    return html.replace(EMBEDDED_IMG, (_all, before: string, quote: string) => `${before}${quote}${urls[k++]}${quote}`);
  }

  /**
   * Inside an article save's transaction: every picture the body references must exist and be one the
   * actor may use (already part of this article, uploaded by them, or used by an article they can read);
   * then the article is linked to them. A guessed or foreign picture id is refused, not silently shared.
   */
  attach(actor: Actor, articleId: number, bodyHtml: string): void {
    const { pictures } = this.deps.store;
    const refs = mediaRefsIn(bodyHtml);
    for (const ref of refs) {
      const known = pictures.get(ref.sha256);
      const usable = known && known.mime === ref.mime && (pictures.isLinked(articleId, ref.sha256) || this.maySee(actor, known));
      if (!usable) {
        throw new BadInputError(`bodyHtml references an unknown picture ${mediaUrl(ref)}`, {
          field: 'bodyHtml',
          expected: 'pictures uploaded with POST /api/v1/pictures or already in the article',
          userMessage: 'Bài có ảnh không còn trong kho ảnh; hãy tải ảnh lên lại.',
        });
      }
    }
    pictures.link(articleId, refs.map((r) => r.sha256));
  }

  /** GET /media/<name>: the stored file if the actor may see it; NotFound otherwise (no hint it exists). */
  open(actor: Actor, fileName: string): { picture: Picture; file: string } {
    const { pictures, media } = this.deps.store;
    const notFound = () => new NotFoundError(`picture ${fileName} not found`, { userMessage: 'Không tìm thấy ảnh.' });
    const sha256 = fileName.slice(0, 64);
    const picture = pictures.get(sha256);
    if (!picture || mediaFileName(picture) !== fileName || !this.maySee(actor, picture)) throw notFound();
    return { picture, file: media.pathOf(fileName) };
  }

  private maySee(actor: Actor, picture: Picture): boolean {
    if (this.deps.store.pictures.uploadedBy(picture.sha256, actor.id)) return true;
    if (!can(actor.role, 'article.read')) return false;
    return this.deps.store.pictures.usedByVisibleArticle(picture.sha256, articleScopeOf(this.deps.store, actor));
  }

  private async ingest(actor: Actor, input: Uint8Array, name: string, field: string): Promise<StoredPicture> {
    if (input.length > PICTURE_LIMIT_BYTES) {
      const mib = Math.ceil(input.length / 1048576);
      throw new TooLargeError(`${name}: picture is ${mib} MiB`, {
        file: name, field, expected: `at most ${PICTURE_LIMIT_BYTES / 1048576} MiB per picture`,
        userMessage: `Ảnh ${name} quá lớn (${mib} MB); tối đa ${PICTURE_LIMIT_BYTES / 1048576} MB mỗi ảnh.`,
      });
    }
    let photo;
    try {
      photo = await normalisePhoto(input, name);
    } catch (err) {
      throw isAppError(err) ? aboutPhoto(err, name, field) : err;
    }
    return this.record(actor.id, photo.bytes, photo.mime, photo.width, photo.height);
  }

  /** Writes the file (once per content) and records it; used by uploads, imports and the move of old bodies. */
  async record(createdBy: number, bytes: Uint8Array, mime: PictureMime, width: number, height: number): Promise<StoredPicture> {
    const { store } = this.deps;
    const sha256 = await store.media.put(bytes, extensionOf(mime));
    store.transaction(() => store.pictures.insert({ sha256, mime, width, height, bytes: bytes.length, createdBy, createdAt: nowIso(this.deps) }));
    // The media sweep may have been removing these very bytes as an unused picture while we recorded them
    // (src/ops/media-prune.ts): with the row committed, make sure the file is there (a no-op when it is).
    await store.media.put(bytes, extensionOf(mime));
    const picture = store.pictures.get(sha256);
    if (!picture) throw new Error(`picture ${sha256} was not recorded`);
    return { ...picture, url: mediaUrl(picture) };
  }
}
