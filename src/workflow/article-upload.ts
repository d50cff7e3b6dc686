/**
 * Turns an uploaded article file (.docx, .txt, .html) into sanitized HTML. The type is judged by magic
 * bytes, never by the name. Plain UTF-8 path until the intake code (src/text/, legacy TCVN3/VNI fonts,
 * image re-encoding) lands; legacy-encoded text is refused with a hint rather than mangled.
 */
import mammoth from 'mammoth';
import { BadInputError, TooLargeError, UnsupportedTypeError } from '../domain/errors.ts';
import { sanitizeArticleHtml, textToHtml } from './article-html.ts';

export interface ArticleUpload {
  originalName: string;
  buffer: Buffer;
}

export interface UploadedBody {
  bodyHtml: string;
  /** First heading or line, used when no title was given. */
  titleHint: string | null;
  kind: 'docx' | 'html' | 'text';
}

const MAGIC_REFUSED: { bytes: number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'PDF' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG image' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'PNG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'GIF image' },
  { bytes: [0x4d, 0x5a], what: 'Windows executable' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'ELF executable' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'legacy .doc (Word 97-2003); save it as .docx' },
  { bytes: [0x1f, 0x8b], what: 'gzip archive' },
];

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

function refuse(name: string, what: string): never {
  throw new UnsupportedTypeError(`${name}: ${what} is not an accepted article file (accepted: .docx, .txt, .html)`, {
    file: name,
    userMessage: `Tệp ${name} không đúng định dạng (chỉ nhận .docx, .txt, .html).`,
  });
}

export async function bodyFromUpload(upload: ArticleUpload, limitBytes: number): Promise<UploadedBody> {
  const { buffer, originalName: name } = upload;
  if (buffer.length > limitBytes) throw new TooLargeError(`${name}: ${buffer.length} bytes exceeds the ${limitBytes}-byte upload limit`, { file: name });
  if (buffer.length === 0) throw new BadInputError(`${name}: the file is empty`, { file: name, field: 'file' });
  for (const m of MAGIC_REFUSED) if (startsWith(buffer, m.bytes)) refuse(name, m.what);
  if (startsWith(buffer, [0x50, 0x4b, 0x03, 0x04])) return docx(upload);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch (cause) {
    throw new UnsupportedTypeError(`${name}: not UTF-8 text (legacy TCVN3/VNI/Windows-1258 files: convert with "bantin import --encoding …")`, { file: name, cause });
  }
  if (text.includes('\u0000')) refuse(name, 'binary data');
  text = text.replace(/^\uFEFF/, '');
  if (/^\s*</.test(text) && /<\/?[a-z][\s\S]*>/i.test(text)) {
    const bodyHtml = sanitizeArticleHtml(text.replace(/^[\s\S]*<body[^>]*>|<\/body>[\s\S]*$/gi, ''));
    return { bodyHtml, titleHint: firstHeading(bodyHtml), kind: 'html' };
  }
  const firstLine = text.trim().split(/\r?\n/)[0]?.trim() ?? null;
  return { bodyHtml: textToHtml(text), titleHint: firstLine || null, kind: 'text' };
}

async function docx(upload: ArticleUpload): Promise<UploadedBody> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: upload.buffer })).value;
  } catch (cause) {
    // A zip that is not a Word document (or a damaged one): wrong type rather than a server error.
    throw new UnsupportedTypeError(`${upload.originalName}: not a readable .docx document`, { file: upload.originalName, cause });
  }
  const bodyHtml = sanitizeArticleHtml(html);
  return { bodyHtml, titleHint: firstHeading(bodyHtml), kind: 'docx' };
}

function firstHeading(html: string): string | null {
  const m = /<(h2|h3|p)[^>]*>([\s\S]*?)<\/\1>/i.exec(html);
  const text = m?.[2]?.replace(/<[^>]+>/g, '').trim();
  return text ? text.slice(0, 500) : null;
}
