/**
 * One photo for an article, as the picture store keeps it. Every photo goes through the intake's
 * processImage (magic bytes, size and pixel limits, EXIF rotation, metadata/GPS stripped, CMYK and 16-bit
 * → 8-bit sRGB). Then the long edge is capped at 2,480 px: 300 ppi across 21 cm, wider than the 19 cm
 * bulletin page, so print quality is kept while a phone's 50 MP photo does not become a 20 MB file.
 */
import { loadSharp } from '../lazy-deps.ts';
import type { PictureMime } from '../domain/picture.ts';
import { DEFAULT_IMAGE_LIMITS, processImage } from '../text/images.ts';

export const MAX_EDGE_PX = 2480;

export interface NormalisedPhoto {
  mime: PictureMime;
  bytes: Buffer;
  width: number;
  height: number;
}

export async function normalisePhoto(input: Uint8Array, name: string): Promise<NormalisedPhoto> {
  const processed = await processImage(input, name, DEFAULT_IMAGE_LIMITS);
  const bytes = Buffer.from(processed.bytes);
  const mime: PictureMime = processed.format === 'png' ? 'image/png' : 'image/jpeg';
  if (Math.max(processed.widthPx, processed.heightPx) <= MAX_EDGE_PX && processed.format === 'jpeg') {
    return { mime, bytes, width: processed.widthPx, height: processed.heightPx };
  }
  const sharp = await loadSharp();
  const smaller = sharp(bytes).resize({ width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true });
  // PNG stays PNG (line art, screenshots of documents keep their sharp edges); photos become JPEG.
  const out = mime === 'image/png'
    ? await smaller.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true })
    : await smaller.jpeg({ quality: 86, mozjpeg: true }).toBuffer({ resolveWithObject: true });
  return { mime, bytes: out.data, width: out.info.width, height: out.info.height };
}
