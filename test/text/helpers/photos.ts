/** Small generated photos for intake tests and the benchmark (sharp, no files needed). */
import sharp from 'sharp';

/** A gradient "photo" with some structure so JPEG sizes are realistic. */
export async function photo(width: number, height: number, opts: { orientation?: number; gps?: boolean; cmyk?: boolean; sixteenBit?: boolean; format?: 'jpeg' | 'png' } = {}): Promise<Buffer> {
  const channels = 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = ((x ^ y) & 0xff) / 2;
    }
  }
  let img = sharp(raw, { raw: { width, height, channels } });
  if (opts.orientation || opts.gps) {
    img = img.withMetadata({
      ...(opts.orientation ? { orientation: opts.orientation } : {}),
      ...(opts.gps ? { exif: { IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '11/1 18/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 6/1 0/1' } } } : {}),
    });
  }
  if (opts.cmyk) return img.toColourspace('cmyk').jpeg({ quality: 85 }).toBuffer();
  if (opts.sixteenBit) return img.toColourspace('rgb16').png().toBuffer();
  return opts.format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 85 }).toBuffer();
}
