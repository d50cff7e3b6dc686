/**
 * A careful zip reader for .docx: reads the central directory first and refuses archives whose declared
 * sizes or compression ratios are those of a zip bomb, then inflates each entry with a hard output cap
 * (so an entry that lies about its size cannot blow up memory either). JSZip would inflate blindly.
 */
import zlib from 'node:zlib';
import { BadInputError, TooLargeError } from '../domain/errors.ts';

export interface ZipLimits {
  /** Sum of uncompressed sizes of all entries */
  maxUncompressedBytes: number;
  maxEntries: number;
  /** Uncompressed / compressed for any entry larger than 1 MiB */
  maxRatio: number;
  /**
   * Largest XML part (document, styles, notes…) that is parsed: a DOM takes ~10× the text in memory, and a
   * 500-page report's document.xml is ~10 MB.
   */
  maxXmlBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 512 * 1024 * 1024, maxEntries: 10_000, maxRatio: 200, maxXmlBytes: 64 * 1024 * 1024 };

interface EntryHeader {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const BROKEN_VI = (file: string): string => `Tệp ${file} bị hỏng, không đọc được. Hãy mở bằng Word, lưu lại rồi gửi lại.`;
const BOMB_VI = (file: string): string => `Tệp ${file} có kích thước giải nén bất thường (nghi là tệp độc hại) nên bị từ chối.`;

function corrupt(file: string, reason: string): BadInputError {
  return new BadInputError(`not a readable .docx: ${reason}`, { file, expected: 'a Word .docx file (zip archive)', userMessage: BROKEN_VI(file) });
}

function findEndOfCentralDirectory(buf: Buffer, file: string): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === 0x06054b50) return i;
  throw corrupt(file, 'the zip directory is missing (file truncated or damaged)');
}

function readDirectory(buf: Buffer, file: string, limits: ZipLimits): EntryHeader[] {
  const eocd = findEndOfCentralDirectory(buf, file);
  const count = buf.readUInt16LE(eocd + 10);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw corrupt(file, 'ZIP64 archives are not used by Word');
  if (count > limits.maxEntries) throw new TooLargeError(`too many files inside the archive (${count})`, { file, expected: `at most ${limits.maxEntries}`, userMessage: BOMB_VI(file) });
  const entries: EntryHeader[] = [];
  let p = dirOffset;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw corrupt(file, 'damaged zip directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const entry: EntryHeader = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    };
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    total += entry.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw new TooLargeError('the archive unpacks to more than the allowed size (zip bomb?)', { file, expected: `at most ${Math.round(limits.maxUncompressedBytes / 1048576)} MiB unpacked`, userMessage: BOMB_VI(file) });
    }
    if (entry.uncompressedSize > 1048576 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
      throw new TooLargeError(`"${entry.name}" is compressed ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1 (zip bomb?)`, { file, expected: `a compression ratio under ${limits.maxRatio}:1`, userMessage: BOMB_VI(file) });
    }
    if (entry.flags & 1) throw new BadInputError('the .docx is encrypted (password-protected)', { file, expected: 'a .docx saved without a password', userMessage: `Tệp ${file} có mật khẩu. Hãy gỡ mật khẩu rồi gửi lại.` });
    entries.push(entry);
  }
  return entries;
}

function inflateEntry(buf: Buffer, e: EntryHeader, file: string): Uint8Array {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw corrupt(file, `damaged entry "${e.name}"`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (data.length !== e.compressedSize) throw corrupt(file, `entry "${e.name}" is cut short`);
  if (e.method === 0) return data;
  if (e.method !== 8) throw corrupt(file, `entry "${e.name}" uses an unsupported compression method ${e.method}`);
  try {
    // The cap is the declared size: an entry that inflates to more is lying (bomb) or damaged.
    const out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    if (out.length !== e.uncompressedSize) throw new Error(`inflated to ${out.length} bytes, declared ${e.uncompressedSize}`);
    return out;
  } catch (err) {
    throw new BadInputError(`not a readable .docx: entry "${e.name}" does not unpack to its declared size (damaged or zip bomb)`, { file, cause: err, userMessage: BROKEN_VI(file) });
  }
}

/** All entries of a zip archive, name → bytes, after the bomb checks. Directories are skipped. */
export function readZip(bytes: Uint8Array, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Uint8Array> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Uint8Array>();
  for (const e of readDirectory(buf, file, limits)) {
    if (e.name.endsWith('/')) continue;
    out.set(e.name, inflateEntry(buf, e, file));
  }
  return out;
}
