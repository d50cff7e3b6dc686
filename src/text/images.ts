/**
 * Photos for print: sharp applies the EXIF orientation, drops EXIF/GPS/XMP/IPTC, turns CMYK and 16-bit
 * input into 8-bit sRGB and re-encodes at full resolution (print needs every pixel). An upright 8-bit sRGB
 * JPEG needs none of that: its metadata segments are cut out without decoding (jpeg-strip.ts). Input is checked by
 * magic bytes, byte size and pixel count (a tiny PNG can declare 100,000 × 100,000 pixels).
 */
import type sharp from 'sharp';
import { loadSharp } from '../lazy-deps.ts';
import { BadInputError, TooLargeError, UnsupportedTypeError } from '../domain/errors.ts';
import { stripJpegMetadata } from './jpeg-strip.ts';
import { losslessUpright } from './jpegtran.ts';
import { isImageKind, sniff } from './sniff.ts';

export interface ImageLimits {
  maxImageBytes: number;
  /** Decoded pixels (width × height) — guards against decompression bombs */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxImageBytes: 50 * 1024 * 1024, maxPixels: 268_402_689 };

export interface ImageTools {
  /** Path of libjpeg-turbo's jpegtran: turns sideways phone photos without re-encoding (see jpegtran.ts) */
  jpegtran?: string;
}

/** Longest side under which a photo cannot print wider than ~8.5 cm at 300 ppi. */
export const SMALL_FOR_PRINT_PX = 1000;

export interface ProcessedImage {
  bytes: Uint8Array;
  format: 'jpeg' | 'png';
  widthPx: number;
  heightPx: number;
  /** The EXIF orientation was applied */
  rotated: boolean;
  /** What colour conversion happened, e.g. "CMYK → sRGB", "16-bit → 8-bit" */
  converted?: string;
}

/**
 * Checks and re-encodes one image. Throws TooLargeError (bytes or pixels over the limit),
 * UnsupportedTypeError (not a raster image: EMF/WMF, executables…) or BadInputError (undecodable).
 */
export async function processImage(input: Uint8Array, name: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, tools: ImageTools = {}): Promise<ProcessedImage> {
  if (input.length > limits.maxImageBytes) {
    throw new TooLargeError(`image is ${Math.ceil(input.length / 1048576)} MiB`, { file: name, expected: `at most ${Math.floor(limits.maxImageBytes / 1048576)} MiB per image`, userMessage: `Ảnh ${name} quá lớn (${Math.ceil(input.length / 1048576)} MB); tối đa ${Math.floor(limits.maxImageBytes / 1048576)} MB mỗi ảnh.` });
  }
  const kind = sniff(input);
  if (kind === 'emf' || kind === 'wmf') {
    throw new UnsupportedTypeError(`${kind.toUpperCase()} vector drawings cannot be used in print`, { file: name, expected: 'a JPEG or PNG photo (insert the picture as JPEG/PNG in Word)', userMessage: `Hình ${name} là hình vẽ ${kind.toUpperCase()}, không dùng được để in. Hãy chèn ảnh dạng JPEG hoặc PNG.` });
  }
  if (!isImageKind(kind)) throw new UnsupportedTypeError(`not an image (content looks like ${kind})`, { file: name, expected: 'a JPEG, PNG, GIF, WebP or TIFF image', userMessage: `Tệp ${name} không phải là ảnh (chỉ nhận JPEG, PNG, GIF, WebP, TIFF).` });

  const sharp = await loadSharp();
  const options = { limitInputPixels: limits.maxPixels, failOn: 'error' as const };
  let meta: sharp.Metadata;
  try {
    // Header only (no decoding), so the pixel check below can name the size instead of sharp's generic error.
    meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (err) {
    throw new BadInputError(`image cannot be read: ${err instanceof Error ? err.message : String(err)}`, { file: name, cause: err, userMessage: `Ảnh ${name} bị hỏng, không đọc được.` });
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > limits.maxPixels) {
    throw new TooLargeError(`image declares ${meta.width}×${meta.height} pixels (decompression bomb?)`, { file: name, expected: `at most ${limits.maxPixels} pixels`, userMessage: `Ảnh ${name} có kích thước điểm ảnh bất thường (${meta.width}×${meta.height}) nên bị từ chối.` });
  }
  if (kind === 'jpeg' && isPrintReadyJpeg(meta)) {
    const kept = await keepJpeg(input, name, meta, limits);
    if (kept) return kept;
  }
  const orientation = meta.orientation ?? 1;
  if (kind === 'jpeg' && tools.jpegtran && orientation > 1 && meta.width && meta.height && isPrintReadyJpeg({ ...meta, orientation: 1 })) {
    // jpegtran entropy-decodes every block and exits non-zero on any damage warning, so its output needs no
    // second check; orientations 5–8 swap width and height.
    const turned = await losslessUpright(tools.jpegtran, input, orientation);
    const sideways = orientation >= 5;
    if (turned) return { bytes: turned, format: 'jpeg', widthPx: sideways ? meta.height : meta.width, heightPx: sideways ? meta.width : meta.height, rotated: true };
  }
  const converted = [meta.space === 'cmyk' ? 'CMYK → sRGB' : '', meta.depth === 'ushort' ? '16-bit → 8-bit' : ''].filter(Boolean).join(', ');
  const keepPng = kind === 'png' || (kind !== 'jpeg' && meta.hasAlpha === true);
  try {
    // sharp drops all metadata unless asked to keep it; toColourspace('srgb') also makes 16-bit input 8-bit.
    // optimiseCoding off: ~30% faster on 12 MP photos for a few % more bytes (see bench/import.ts).
    let pipeline = sharp(input, options).rotate().toColourspace('srgb');
    pipeline = keepPng ? pipeline.png({ compressionLevel: 6 }) : pipeline.jpeg({ quality: 92, optimiseCoding: false });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return {
      bytes: data,
      format: keepPng ? 'png' : 'jpeg',
      widthPx: info.width,
      heightPx: info.height,
      rotated: (meta.orientation ?? 1) > 1,
      ...(converted ? { converted } : {}),
    };
  } catch (err) {
    throw new BadInputError(`image cannot be decoded: ${err instanceof Error ? err.message : String(err)}`, { file: name, cause: err, userMessage: `Ảnh ${name} bị hỏng, không đọc được.` });
  }
}

/** Upright (no EXIF rotation), 8-bit, sRGB or grey, no other colour profile to convert from: the pixels can stay as they are. */
function isPrintReadyJpeg(meta: sharp.Metadata): boolean {
  return (meta.orientation ?? 1) === 1 && (meta.space === 'srgb' || meta.space === 'b-w') && meta.depth === 'uchar' && (!meta.icc || isSrgbProfile(meta.icc)) && (meta.channels === 3 || meta.channels === 1);
}

/**
 * An ICC profile that describes sRGB itself (what most cameras and sharp embed): dropping it changes no
 * colour, since sRGB is what everything assumes. Its description names it, as ASCII (ICC v2) or UTF-16 (v4).
 */
function isSrgbProfile(icc: Buffer): boolean {
  return icc.toString('latin1', 16, 20) === 'RGB ' && (icc.includes('sRGB') || icc.includes(Buffer.from('sRGB', 'utf16le').swap16()));
}

/**
 * The JPEG as the camera wrote it, minus its metadata — no decode/re-encode (~0.25 s of CPU for 12 MP) and
 * no second generation of JPEG loss. The entropy-coded data is still checked: a reduced-size decode
 * (libjpeg's 1/8 scaling reads every coefficient, skips most of the work) fails on a damaged photo.
 * Undefined when the file's structure is unusual; the caller then re-encodes.
 */
async function keepJpeg(input: Uint8Array, name: string, meta: sharp.Metadata, limits: ImageLimits): Promise<ProcessedImage | undefined> {
  const stripped = stripJpegMetadata(input);
  if (!stripped || !meta.width || !meta.height) return undefined;
  const sharp = await loadSharp();
  try {
    await sharp(stripped, { limitInputPixels: limits.maxPixels, failOn: 'error' })
      .resize({ width: Math.max(1, Math.ceil(meta.width / 8)), fastShrinkOnLoad: true, kernel: 'nearest' })
      .raw()
      .toBuffer();
  } catch (err) {
    throw new BadInputError(`image cannot be decoded: ${err instanceof Error ? err.message : String(err)}`, { file: name, cause: err, userMessage: `Ảnh ${name} bị hỏng, không đọc được.` });
  }
  return { bytes: stripped, format: 'jpeg', widthPx: meta.width, heightPx: meta.height, rotated: false };
}
