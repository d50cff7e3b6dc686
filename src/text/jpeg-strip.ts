/**
 * Removes metadata from a JPEG without decoding it: the segments that carry pictures' pixels (quantisation
 * and Huffman tables, frame and scan headers, the entropy-coded data) are copied byte for byte, everything
 * else goes — EXIF (with GPS and the camera's thumbnail), XMP, ICC, IPTC/Photoshop, comments, and anything
 * after the end-of-image marker (a phone's second picture in an MPO file, maker trailers).
 * Re-encoding a 12 MP photo costs ~0.25 s of CPU and a generation of JPEG loss; for an upright sRGB photo
 * this gives the same clean file in a millisecond, with the camera's own pixels.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

/** Segments that describe the image itself (everything a decoder needs) and stay. */
function keeps(marker: number, buf: Buffer, start: number, length: number): boolean {
  if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc8) return true; // SOFn, DHT (C4), DAC (CC)
  if (marker === 0xdb || marker === 0xdd) return true; // DQT, DRI
  // JFIF APP0 holds only the density; Adobe APP14 says how colours were transformed — both needed to read it right.
  if (marker === 0xe0) return buf.toString('latin1', start + 4, start + 9) === 'JFIF\0';
  if (marker === 0xee) return length >= 12 && buf.toString('latin1', start + 4, start + 9) === 'Adobe';
  return false;
}

/** Index just past the entropy-coded data that starts at `from` (the next marker that is not RSTn or stuffing). */
function endOfScan(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = buf.indexOf(0xff, i);
    if (i < 0 || i + 1 >= buf.length) return -1;
    const next = buf[i + 1] ?? 0;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
      i += next === 0xff ? 1 : 2;
      continue;
    }
    return i;
  }
}

/**
 * The JPEG without metadata, or undefined when its structure is not the plain one this copier understands
 * (the caller then re-encodes with sharp, which also explains what is wrong).
 */
export function stripJpegMetadata(input: Uint8Array): Buffer | undefined {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf[0] !== 0xff || buf[1] !== SOI) return undefined;
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i + 2 <= buf.length) {
    if (buf[i] !== 0xff) return undefined;
    const marker = buf[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === EOI) {
      out.push(buf.subarray(i, i + 2));
      return Buffer.concat(out);
    }
    if (i + 4 > buf.length) return undefined;
    const length = buf.readUInt16BE(i + 2);
    const segmentEnd = i + 2 + length;
    if (length < 2 || segmentEnd > buf.length) return undefined;
    if (marker === SOS) {
      const scanEnd = endOfScan(buf, segmentEnd);
      if (scanEnd < 0) return undefined; // cut short: let the decoder say so
      out.push(buf.subarray(i, scanEnd));
      i = scanEnd;
      continue;
    }
    if (keeps(marker, buf, i, length)) out.push(buf.subarray(i, segmentEnd));
    i = segmentEnd;
  }
  return undefined;
}
