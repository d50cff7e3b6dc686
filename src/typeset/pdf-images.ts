/**
 * Down-samples the photos inside a PDF for the screen edition. The print and screen PDFs come from the
 * same Chromium print (same pages, same layout), so the screen copy swaps each image stream for a
 * smaller JPEG of the same picture; the drawing operators scale the image to its box whatever its
 * pixel size, so the layout cannot change.
 */
import zlib from 'node:zlib';
import { PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { PlacedImage } from './model.ts';

export interface DownsampleOptions {
  /** Target resolution on the page */
  ppi: number;
  /** Longest side for an image whose placement is unknown */
  fallbackMaxPx: number;
  jpegQuality: number;
}

export const SCREEN_IMAGES: DownsampleOptions = { ppi: 150, fallbackMaxPx: 1600, jpegQuality: 72 };

export interface DownsampleReport {
  images: number;
  resampled: number;
  bytesBefore: number;
  bytesAfter: number;
}

export async function downsampleImages(doc: PDFDocument, placed: PlacedImage[], opts: DownsampleOptions = SCREEN_IMAGES): Promise<DownsampleReport> {
  const report: DownsampleReport = { images: 0, resampled: 0, bytesBefore: 0, bytesAfter: 0 };
  const largestMm = largestPlacementByPixels(placed);
  const jobs: Array<Promise<void>> = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    report.images += 1;
    jobs.push(
      resample(obj, largestMm, opts).then((replacement) => {
        report.bytesBefore += obj.contents.length;
        if (!replacement) {
          report.bytesAfter += obj.contents.length;
          return;
        }
        report.resampled += 1;
        report.bytesAfter += replacement.contents.length;
        doc.context.assign(ref, replacement);
      }),
    );
  }
  await Promise.all(jobs);
  return report;
}

function largestPlacementByPixels(placed: PlacedImage[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const im of placed) {
    const key = `${im.naturalWidth}x${im.naturalHeight}`;
    out.set(key, Math.max(out.get(key) ?? 0, im.widthMm));
  }
  return out;
}

async function resample(stream: PDFRawStream, largestMm: Map<string, number>, opts: DownsampleOptions): Promise<PDFRawStream | undefined> {
  const dict = stream.dict;
  const width = numberOf(dict, 'Width');
  const height = numberOf(dict, 'Height');
  if (!width || !height) return undefined;
  const placedMm = largestMm.get(`${width}x${height}`);
  const targetWidth = placedMm ? Math.ceil((placedMm / 25.4) * opts.ppi) : Math.round((width * opts.fallbackMaxPx) / Math.max(width, height));
  if (targetWidth >= width * 0.9) return undefined;

  const input = await decodable(stream, width, height);
  if (!input) return undefined;
  const { data, info } = await input.resize({ width: targetWidth }).raw().toBuffer({ resolveWithObject: true });
  // One-channel images (soft masks above all) stay lossless: JPEG artefacts in a mask show as halos.
  const keepFlate = info.channels === 1;
  const encoded = keepFlate
    ? zlib.deflateSync(data)
    : await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: opts.jpegQuality }).toBuffer();
  if (encoded.length >= stream.contents.length) return undefined;

  const newDict = dict.clone(dict.context);
  newDict.set(PDFName.of('Width'), PDFNumber.of(info.width));
  newDict.set(PDFName.of('Height'), PDFNumber.of(info.height));
  newDict.set(PDFName.of('Filter'), PDFName.of(keepFlate ? 'FlateDecode' : 'DCTDecode'));
  newDict.set(PDFName.of('BitsPerComponent'), PDFNumber.of(8));
  newDict.delete(PDFName.of('DecodeParms'));
  newDict.set(PDFName.of('Length'), PDFNumber.of(encoded.length));
  return PDFRawStream.of(newDict, new Uint8Array(encoded));
}

function numberOf(dict: PDFDict, key: string): number | undefined {
  const v = dict.get(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : undefined;
}

/** JPEG streams go to sharp as they are; 8-bit RGB/Gray Flate streams without a predictor as raw pixels. */
async function decodable(stream: PDFRawStream, width: number, height: number): Promise<sharp.Sharp | undefined> {
  const dict = stream.dict;
  const filter = dict.get(PDFName.of('Filter'));
  if (filter === PDFName.of('DCTDecode')) {
    const meta = await sharp(stream.contents).metadata();
    // CMYK JPEGs would need their Decode array honoured; leave them untouched.
    return meta.space === 'cmyk' ? undefined : sharp(stream.contents);
  }
  if (filter !== PDFName.of('FlateDecode') || dict.has(PDFName.of('DecodeParms')) || numberOf(dict, 'BitsPerComponent') !== 8) return undefined;
  const cs = dict.get(PDFName.of('ColorSpace'));
  const channels = cs === PDFName.of('DeviceRGB') ? 3 : cs === PDFName.of('DeviceGray') ? 1 : 0;
  if (channels === 0) return undefined;
  const raw = zlib.inflateSync(stream.contents);
  if (raw.length !== width * height * channels) return undefined;
  return sharp(raw, { raw: { width, height, channels } });
}
