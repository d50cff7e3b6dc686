import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { processImage } from '../../src/text/images.ts';
import { findJpegtran } from '../../src/text/jpegtran.ts';
import { TooLargeError, UnsupportedTypeError, BadInputError } from '../../src/domain/errors.ts';
import { photo } from './helpers/photos.ts';

describe('photos for print', () => {
  it('applies the EXIF orientation and removes EXIF/GPS metadata', async () => {
    const input = await photo(300, 200, { orientation: 6, gps: true });
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif).toBeDefined();

    const out = await processImage(input, 'phone.jpg');
    const after = await sharp(out.bytes).metadata();
    // Orientation 6 = rotate 90° clockwise: the 300×200 sensor image stands upright as 200×300.
    expect([out.widthPx, out.heightPx]).toEqual([200, 300]);
    expect([after.width, after.height]).toEqual([200, 300]);
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.rotated).toBe(true);
    expect(out.format).toBe('jpeg');
  });

  it('turns a CMYK JPEG into sRGB', async () => {
    const input = await photo(120, 80, { cmyk: true });
    expect((await sharp(input).metadata()).space).toBe('cmyk');
    const out = await processImage(input, 'cmyk.jpg');
    expect((await sharp(out.bytes).metadata()).space).toBe('srgb');
    expect(out.converted).toContain('CMYK');
  });

  it('turns a 16-bit PNG into an 8-bit PNG at full size', async () => {
    const input = await photo(64, 48, { sixteenBit: true });
    expect((await sharp(input).metadata()).depth).toBe('ushort');
    const out = await processImage(input, 'scan.png');
    const meta = await sharp(out.bytes).metadata();
    expect([meta.format, meta.depth, meta.width, meta.height]).toEqual(['png', 'uchar', 64, 48]);
  });

  it('refuses an image over the byte limit, naming it', async () => {
    const input = await photo(200, 200);
    await expect(processImage(input, 'big.jpg', { maxImageBytes: 1000, maxPixels: 1e8 })).rejects.toThrow(TooLargeError);
    await expect(processImage(input, 'big.jpg', { maxImageBytes: 1000, maxPixels: 1e8 })).rejects.toMatchObject({ file: 'big.jpg' });
  });

  it('refuses a decompression bomb by its declared pixel count', async () => {
    // A 4000×4000 single-colour PNG is a few KB but 16 million pixels.
    const bomb = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(bomb.length).toBeLessThan(200_000);
    await expect(processImage(bomb, 'bomb.png', { maxImageBytes: 1e8, maxPixels: 1_000_000 })).rejects.toThrow(/4000×4000 pixels/);
  });

  it('refuses non-images by their bytes, whatever the name', async () => {
    await expect(processImage(Buffer.from('MZ\x90\x00 this is a program'), 'photo.jpg')).rejects.toThrow(UnsupportedTypeError);
    const emf = Buffer.alloc(64);
    emf.writeUInt32LE(1, 0);
    emf.write(' EMF', 40, 'latin1');
    await expect(processImage(emf, 'chart.emf')).rejects.toThrow(/EMF vector drawings cannot be used in print/);
    const brokenJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]);
    await expect(processImage(brokenJpeg, 'broken.jpg')).rejects.toThrow(BadInputError);
  });
});

describe('upright JPEGs keep their pixels', () => {
  it('cuts EXIF/GPS, XMP and comments out of an upright photo without re-encoding it', async () => {
    const input = await sharp(await photo(640, 480, { gps: true }))
      .withMetadata({ orientation: 1 })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .jpeg({ quality: 90 })
      .toBuffer();
    expect(input.includes('GPS') || input.includes('Exif')).toBe(true);
    const out = await processImage(input, 'thang-dung.jpg');
    const bytes = Buffer.from(out.bytes);
    expect(bytes.includes('Exif')).toBe(false);
    expect(bytes.includes('xmpmeta')).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect([meta.exif, meta.xmp, meta.orientation]).toEqual([undefined, undefined, undefined]);
    expect([out.widthPx, out.heightPx, out.rotated, out.format]).toEqual([640, 480, false, 'jpeg']);
    // Not re-encoded: the decoded pixels are exactly the camera's.
    const [a, b] = await Promise.all([sharp(input).raw().toBuffer(), sharp(bytes).raw().toBuffer()]);
    expect(a.equals(b)).toBe(true);
  });

  it('drops a second picture and trailers after the end of the image (phone MPO files)', async () => {
    const first = await sharp(await photo(320, 240)).jpeg().toBuffer();
    const second = await photo(160, 120, { gps: true });
    const out = await processImage(Buffer.concat([first, second]), 'mpo.jpg');
    expect(Buffer.from(out.bytes).includes('GPS')).toBe(false);
    expect(out.bytes.length).toBeLessThanOrEqual(first.length);
    expect([out.widthPx, out.heightPx]).toEqual([320, 240]);
  });

  it('still re-encodes a photo that carries a colour profile, turning it into sRGB', async () => {
    const p3 = await sharp(await photo(200, 150)).withIccProfile('p3').jpeg().toBuffer();
    expect((await sharp(p3).metadata()).icc).toBeDefined();
    const out = await processImage(p3, 'iphone.jpg');
    expect((await sharp(out.bytes).metadata()).icc).toBeUndefined();
  });

  it('refuses an upright JPEG whose data is cut short, naming it', async () => {
    const whole = await sharp(await photo(400, 300)).jpeg().toBuffer();
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const err = await processImage(cut, 'cut.jpg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect(err).toMatchObject({ file: 'cut.jpg' });
  });
});

const jpegtran = findJpegtran(process.env);

describe.skipIf(!jpegtran)('sideways phone photos with jpegtran installed', () => {
  const meanDifference = (a: Buffer, b: Buffer): number => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    return sum / a.length;
  };

  it('turns the compressed blocks upright without re-encoding, and drops EXIF/GPS', async () => {
    const input = await photo(640, 480, { orientation: 6, gps: true });
    const out = await processImage(input, 'doc.jpg', undefined, { jpegtran });
    const meta = await sharp(out.bytes).metadata();
    expect([out.widthPx, out.heightPx, meta.width, meta.height, out.rotated]).toEqual([480, 640, 480, 640, true]);
    expect([meta.exif, meta.orientation]).toEqual([undefined, undefined]);
    expect(Buffer.from(out.bytes).includes('GPS')).toBe(false);
    // Same picture as sharp's decode-and-turn, within chroma-upsampling rounding.
    const [mine, reference] = await Promise.all([sharp(out.bytes).raw().toBuffer(), sharp(input).rotate().raw().toBuffer()]);
    expect(meanDifference(mine, reference)).toBeLessThan(1);
    // Not re-encoded: no second generation of JPEG loss, so it is not sharp's quality-92 file.
    const reencoded = await processImage(input, 'doc.jpg');
    expect(Buffer.from(out.bytes).equals(Buffer.from(reencoded.bytes))).toBe(false);
  });

  it('refuses a sideways photo whose data is cut short (jpegtran refuses it, sharp names the damage)', async () => {
    const whole = await photo(640, 480, { orientation: 6 });
    const err = await processImage(whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut-turned.jpg', undefined, { jpegtran }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect(err).toMatchObject({ file: 'cut-turned.jpg' });
  });

  it('leaves sizes whose edge blocks cannot move whole to sharp, which keeps every pixel', async () => {
    const input = await photo(650, 490, { orientation: 8 });
    const out = await processImage(input, 'odd.jpg', undefined, { jpegtran });
    expect([out.widthPx, out.heightPx, out.rotated]).toEqual([490, 650, true]);
    expect((await sharp(out.bytes).metadata()).orientation).toBeUndefined();
  });
});
