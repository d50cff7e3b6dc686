/**
 * What a file really is, judged by its first bytes (never by its name): a renamed .exe must not reach
 * mammoth, and an old binary .doc or a password-protected .docx (both OLE2 compound files) deserve a
 * message that says what to do.
 */

export type FileKind =
  | 'empty'
  | 'zip'
  | 'word97'
  | 'encrypted-office'
  | 'ole2'
  | 'exe'
  | 'pdf'
  | 'rtf'
  | 'jpeg'
  | 'png'
  | 'gif'
  | 'webp'
  | 'tiff'
  | 'emf'
  | 'wmf'
  | 'text';

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  return magic.every((b, i) => bytes[offset + i] === b);
}

function containsUtf16(bytes: Uint8Array, name: string): boolean {
  const needle = Buffer.from(name, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

export function sniff(bytes: Uint8Array): FileKind {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // Encrypted OOXML is an OLE2 file holding "EncryptionInfo" + "EncryptedPackage" streams.
    if (containsUtf16(bytes, 'EncryptedPackage')) return 'encrypted-office';
    if (containsUtf16(bytes, 'WordDocument')) return 'word97';
    return 'ole2';
  }
  if (startsWith(bytes, [0x4d, 0x5a])) return 'exe';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'exe';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return 'rtf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x01, 0x00, 0x00, 0x00]) && startsWith(bytes, [0x20, 0x45, 0x4d, 0x46], 40)) return 'emf';
  if (startsWith(bytes, [0xd7, 0xcd, 0xc6, 0x9a]) || startsWith(bytes, [0x01, 0x00, 0x09, 0x00])) return 'wmf';
  return 'text';
}

export function isImageKind(kind: FileKind): kind is 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' {
  return kind === 'jpeg' || kind === 'png' || kind === 'gif' || kind === 'webp' || kind === 'tiff';
}

/** Text files may not contain NUL bytes unless they are UTF-16 (which starts with a BOM). */
export function looksBinary(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const head = bytes.subarray(0, 8192);
  return head.includes(0);
}
