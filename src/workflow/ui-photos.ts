/**
 * Photos sent with an article from the web form become figures in its body:
 * `<figure><img src="data:image/jpeg;base64,…" alt="caption"><figcaption>caption</figcaption></figure>`.
 * The article HTML allow-list (article-html.ts) only accepts embedded raster data, so photos travel with
 * the article (revisions, export) and Chromium never fetches anything while typesetting.
 * Each photo is judged by magic bytes, decoded by sharp with a pixel limit (decompression bombs),
 * turned upright from its EXIF orientation, stripped of metadata (GPS) and re-encoded as JPEG. The long
 * edge is capped at 2,480 px: 300 ppi across 21 cm, wider than the 19 cm bulletin page, while keeping a
 * photo near 1 MB so that a few of them fit in one article body (the body has a size limit).
 */
import sharp from 'sharp';
import { BadInputError, TooLargeError, UnsupportedTypeError } from '../domain/errors.ts';
import { nfc } from '../domain/vi-text.ts';

export interface UploadedPhoto {
  originalName: string;
  buffer: Buffer;
  caption?: string;
}

const MAX_EDGE_PX = 2480;
const MAX_INPUT_PIXELS = 100_000_000;

function kindOf(buf: Buffer): 'jpeg' | 'png' | null {
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function reencode(photo: UploadedPhoto, limitBytes: number): Promise<Buffer> {
  const name = photo.originalName;
  if (photo.buffer.length > limitBytes) throw new TooLargeError(`${name}: photo larger than ${limitBytes} bytes`, { file: name, field: 'photos', userMessage: `Ảnh ${name} vượt quá dung lượng cho phép.` });
  if (!kindOf(photo.buffer)) {
    throw new UnsupportedTypeError(`${name}: not a JPEG or PNG image`, { file: name, field: 'photos', userMessage: `Tệp ${name} không phải ảnh JPEG hoặc PNG.` });
  }
  try {
    return await sharp(photo.buffer, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .jpeg({ quality: 86, mozjpeg: true })
      .toBuffer();
  } catch (cause) {
    throw new BadInputError(`${name}: the image cannot be decoded (${cause instanceof Error ? cause.message : String(cause)})`, {
      file: name, field: 'photos', cause, userMessage: `Ảnh ${name} bị hỏng hoặc quá lớn để xử lý.`,
    });
  }
}

/** The figures HTML for the photos, in the order given; empty string for no photos. */
export async function photosToFigures(photos: readonly UploadedPhoto[], limitBytes: number): Promise<string> {
  const figures: string[] = [];
  for (const photo of photos) {
    const jpeg = await reencode(photo, limitBytes);
    const caption = escapeHtml(nfc(photo.caption?.trim() ?? ''));
    figures.push(`<figure><img src="data:image/jpeg;base64,${jpeg.toString('base64')}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`);
  }
  return figures.join('\n');
}
