/**
 * Pixel size of an image file, read by sharp from the file's own bytes (never trusting the extension),
 * so preflight can compute effective ppi. Only formats Chromium prints reliably are accepted.
 */
import sharp from 'sharp';
import type { ImageRef } from './model.ts';

const PRINTABLE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif']);
const EXPECTED = 'a JPEG, PNG, WebP or GIF image';

export type Measured = { image: ImageRef } | { problem: string; expected: string };

export async function measureImage(abs: string, ref: { src: string; usedBy: string }): Promise<Measured> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(abs).metadata();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { problem: `"${ref.src}" is not an image (${why})`, expected: EXPECTED };
  }
  if (!meta.format || !PRINTABLE_FORMATS.has(meta.format)) {
    return { problem: `"${ref.src}" is a ${meta.format ?? 'unknown'} file, which is not printed`, expected: EXPECTED };
  }
  // EXIF orientation swaps width and height for photos taken upright; Chromium honours it.
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return { problem: `"${ref.src}" has no pixel size`, expected: EXPECTED };
  return { image: { src: ref.src, widthPx: width, heightPx: height, usedBy: ref.usedBy } };
}
