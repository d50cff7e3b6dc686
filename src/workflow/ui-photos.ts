/**
 * Photos sent with an article from the web form become figures in its body:
 * `<figure><img src="data:image/jpeg;base64,…" alt="caption"><figcaption>caption</figcaption></figure>`.
 * The article HTML allow-list only accepts embedded raster data, so photos travel with the article
 * (revisions, export) and Chromium never fetches anything while typesetting.
 * Every photo goes through the intake's processImage (magic bytes, size and pixel limits, EXIF rotation,
 * metadata/GPS stripped, CMYK and 16-bit → 8-bit sRGB). Then the long edge is capped at 2,480 px: 300 ppi
 * across 21 cm, wider than the 19 cm bulletin page, while keeping a photo near 1 MB so that several fit
 * in one article body (the body has a size limit).
 */
import sharp from 'sharp';
import { isAppError, TooLargeError, UnsupportedTypeError, BadInputError, type AppError } from '../domain/errors.ts';
import { nfc } from '../domain/vi-text.ts';
import { DEFAULT_IMAGE_LIMITS, processImage } from '../text/images.ts';

export interface UploadedPhoto {
  originalName: string;
  buffer: Buffer;
  caption?: string;
}

const MAX_EDGE_PX = 2480;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The intake's finding, re-thrown about the form field with a Vietnamese sentence naming the file. */
function aboutPhoto(err: AppError, name: string): AppError {
  const details = { file: name, field: 'photos', cause: err, expected: err.expected };
  if (err instanceof TooLargeError) return new TooLargeError(`${name}: ${err.message}`, { ...details, userMessage: `Ảnh ${name} quá lớn (dung lượng hoặc số điểm ảnh vượt giới hạn).` });
  if (err instanceof UnsupportedTypeError) return new UnsupportedTypeError(`${name}: ${err.message}`, { ...details, userMessage: `Tệp ${name} không phải ảnh JPEG hoặc PNG dùng được.` });
  return new BadInputError(`${name}: ${err.message}`, { ...details, userMessage: `Ảnh ${name} bị hỏng, không đọc được.` });
}

async function forArticle(photo: UploadedPhoto, limitBytes: number): Promise<{ mime: string; bytes: Buffer }> {
  let processed;
  try {
    processed = await processImage(photo.buffer, photo.originalName, { ...DEFAULT_IMAGE_LIMITS, maxImageBytes: limitBytes });
  } catch (err) {
    throw isAppError(err) ? aboutPhoto(err, photo.originalName) : err;
  }
  const bytes = Buffer.from(processed.bytes);
  if (Math.max(processed.widthPx, processed.heightPx) <= MAX_EDGE_PX && processed.format === 'jpeg') return { mime: 'image/jpeg', bytes };
  const smaller = sharp(bytes).resize({ width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true });
  // PNG stays PNG (line art, screenshots of documents keep their sharp edges); photos become JPEG.
  return processed.format === 'png'
    ? { mime: 'image/png', bytes: await smaller.png({ compressionLevel: 9 }).toBuffer() }
    : { mime: 'image/jpeg', bytes: await smaller.jpeg({ quality: 86, mozjpeg: true }).toBuffer() };
}

/** The figures HTML for the photos, in the order given; empty string for no photos. */
export async function photosToFigures(photos: readonly UploadedPhoto[], limitBytes: number): Promise<string> {
  const figures: string[] = [];
  for (const photo of photos) {
    const { mime, bytes } = await forArticle(photo, limitBytes);
    const caption = escapeHtml(nfc(photo.caption?.trim() ?? ''));
    figures.push(`<figure><img src="data:${mime};base64,${bytes.toString('base64')}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`);
  }
  return figures.join('\n');
}
