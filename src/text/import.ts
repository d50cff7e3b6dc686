/**
 * The one function every way into bantin uses for outside documents (`bantin import`, the web upload,
 * the issue loader): bytes + file name → a clean article (NFC, sanitized HTML, re-encoded images) and a
 * report of what was converted. Pure of file-system writes: callers decide where the article goes.
 */
import path from 'node:path';
import { parseDocument } from 'htmlparser2';
import { isTag, type ChildNode, type Element } from 'domhandler';
import render from 'dom-serializer';
import { BadInputError, TooLargeError, UnsupportedTypeError } from '../domain/errors.ts';
import { decodeBytes, decodeUnicodeBytes, isUnicodeBytes, type EncodingChoice } from './encodings/index.ts';
import { detectBytes, repairLines, type Detection } from './detect.ts';
import { convertDocx, DROPPED_IMAGE_PREFIX, type ImportedImage } from './docx.ts';
import { extractArticle, textToHtml } from './article.ts';
import { collectLinkedImages, type RelatedFileReader } from './html-images.ts';
import { sanitizeArticleHtmlDetailed } from './html.ts';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits, type ImageTools } from './images.ts';
import { addEncodingUse, newReport, type ImportReport } from './report.ts';
import { looksBinary, sniff, type FileKind } from './sniff.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip.ts';

export type { ImportedImage } from './docx.ts';
export type { ImportReport } from './report.ts';
export type { RelatedFileReader } from './html-images.ts';

export interface ImportOptions {
  /** "auto" (default): fonts and syllable scoring decide; otherwise every text is read in this encoding */
  encoding?: EncodingChoice;
  /** Largest document accepted, bytes (default 50 MiB, the upload limit) */
  maxInputBytes?: number;
  /** Largest single image, bytes */
  maxImageBytes?: number;
  /** Most decoded pixels per image (decompression-bomb guard) */
  maxImagePixels?: number;
  zipLimits?: Partial<ZipLimits>;
  /**
   * Converts an old binary Word .doc to .docx (e.g. LibreOffice `soffice --headless --convert-to docx`);
   * without it a .doc is refused with instructions.
   */
  convertDoc?: (bytes: Uint8Array, fileName: string) => Promise<Uint8Array>;
  /** Path of libjpeg-turbo's jpegtran (findJpegtran): sideways phone photos are turned without re-encoding */
  jpegtran?: string;
  /**
   * Reads pictures an HTML document links to (relative paths, e.g. Word's "page_files/image001.jpg");
   * without it such pictures are removed with a warning.
   */
  readRelated?: RelatedFileReader;
}

export interface ImportedArticle {
  title?: string;
  subtitle?: string;
  lead?: string;
  author?: string;
  unit?: string;
  /** Sanitized NFC HTML; images referenced as `images/<name>` */
  bodyHtml: string;
  images: ImportedImage[];
  report: ImportReport;
}

export const DEFAULT_MAX_INPUT_BYTES = 50 * 1024 * 1024;

type Format = 'docx' | 'txt' | 'html';

function refuseKind(kind: FileKind, file: string): never {
  switch (kind) {
    case 'empty':
      throw new BadInputError('the file is empty', { file, expected: 'a .docx, .txt or .html article', userMessage: `Tệp ${file} trống.` });
    case 'exe':
      throw new UnsupportedTypeError('this is a program (executable), not a document', { file, expected: 'a .docx, .txt or .html article', userMessage: `Tệp ${file} là chương trình máy tính, không phải văn bản. Chỉ nhận tệp .docx, .txt hoặc .html.` });
    case 'encrypted-office':
      throw new BadInputError('the document is password-protected', { file, expected: 'the .docx saved again without a password (Word: File › Info › Protect Document › Encrypt with Password, clear it)', userMessage: `Tệp ${file} có mật khẩu. Hãy mở bằng Word, gỡ mật khẩu rồi lưu lại và gửi lại.` });
    case 'word97':
      throw new UnsupportedTypeError('this is an old Word 97–2003 .doc file', { file, expected: 'a .docx: open it in Word and "Save As" Word Document (.docx), or run `soffice --headless --convert-to docx` (LibreOffice)', userMessage: `Tệp ${file} là định dạng Word 97–2003 (.doc). Hãy mở bằng Word, chọn “Lưu thành” Word Document (.docx) rồi gửi lại.` });
    case 'pdf':
    case 'rtf':
    case 'ole2':
      throw new UnsupportedTypeError(`a ${kind.toUpperCase()} file cannot be imported as an article`, { file, expected: 'a .docx, .txt or .html article', userMessage: `Không nhận tệp ${kind.toUpperCase()} làm bài viết. Hãy gửi tệp .docx, .txt hoặc .html.` });
    default:
      throw new UnsupportedTypeError(`this is an image (${kind}), not an article`, { file, expected: 'a .docx, .txt or .html article (photos go inside the .docx or are uploaded with it)', userMessage: `Tệp ${file} là ảnh, không phải bài viết. Hãy chèn ảnh vào tệp .docx hoặc gửi kèm bài viết.` });
  }
}

function formatOf(kind: FileKind, bytes: Uint8Array, file: string): Format {
  const ext = path.extname(file).toLowerCase();
  if (kind === 'zip') {
    if (ext && ext !== '.docx' && ext !== '.docm' && ext !== '.dotx') {
      throw new UnsupportedTypeError(`the file is a zip archive but is named "${ext}"`, { file, expected: 'a .docx, .txt or .html article', userMessage: `Tệp ${file} là tệp nén, không phải bài viết.` });
    }
    return 'docx';
  }
  if (kind !== 'text') refuseKind(kind, file);
  if (ext === '.docx') throw new BadInputError('not a .docx: the content is plain text, not a Word archive', { file, expected: 'a .docx saved by Word or LibreOffice', userMessage: `Tệp ${file} không phải tệp Word .docx thật (bên trong là văn bản thường). Hãy đổi tên thành .txt hoặc lưu lại bằng Word.` });
  if (looksBinary(bytes)) throw new UnsupportedTypeError('binary content that is not a document', { file, expected: 'a .docx, .txt or .html article', userMessage: `Tệp ${file} không phải văn bản. Chỉ nhận tệp .docx, .txt hoặc .html.` });
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return 'html';
  if (ext === '.txt' || ext === '.text' || ext === '') {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
    return head.startsWith('<!doctype html') || head.startsWith('<html') ? 'html' : 'txt';
  }
  throw new UnsupportedTypeError(`"${ext}" files cannot be imported`, { file, expected: 'a .docx, .txt or .html article', userMessage: `Không nhận tệp “${ext}”. Chỉ nhận tệp .docx, .txt hoặc .html.` });
}

function decodeText(bytes: Uint8Array, file: string, choice: EncodingChoice, report: ImportReport, paragraphs: number): string {
  if (choice !== 'auto') {
    if ((choice === 'unicode' || choice === 'viqr') && !isUnicodeBytes(bytes)) {
      // Decoding anyway would turn every legacy byte into U+FFFD: refuse instead of mangling.
      throw new BadInputError(`the file is not valid UTF-8 text, so it cannot be read as ${choice}`, { file, field: '--encoding', expected: '--encoding auto (detects Windows-1258, TCVN3, VNI) or the legacy encoding of the file' });
    }
    const text = decodeBytes(bytes, choice);
    addEncodingUse(report, { encoding: choice, decidedBy: 'option' }, 0, paragraphs, choice === 'unicode' ? 0 : countNonAscii(text));
    return text;
  }
  const d: Detection = detectBytes(bytes);
  if (d.encoding === 'unicode') {
    // Detection already composed the text; count the NFD input here for the report.
    const raw = decodeUnicodeBytes(bytes);
    if (raw !== raw.normalize('NFC')) report.normalized.nfc += 1;
  }
  const lines = repairLines(bytes, d);
  const otherLines = [...lines.repaired.values()].reduce((a, b) => a + b, 0);
  addEncodingUse(report, { encoding: d.encoding, decidedBy: 'detection' }, 0, Math.max(0, paragraphs - otherLines), d.encoding === 'unicode' ? 0 : countNonAscii(d.text));
  for (const [encoding, count] of lines.repaired) addEncodingUse(report, { encoding, decidedBy: 'detection' }, 0, count, 0);
  report.suspicious.push(...lines.suspicious);
  if (d.confidence === 'low') {
    report.warnings.push({ code: 'encoding-uncertain', message: `could not tell the encoding for sure (scores: ${d.candidates.map((c) => `${c.encoding} ${c.score}`).join(', ')}); the text was kept as ${d.encoding}` });
  }
  if (otherLines > 0) {
    report.warnings.push({ code: 'mixed-encodings', message: `${otherLines} line(s) were in another encoding than the rest of the file (${[...lines.repaired.keys()].join(', ')}) and were read in it; check them` });
  }
  return lines.text;
}

function toolsOf(opts: ImportOptions): ImageTools {
  return opts.jpegtran ? { jpegtran: opts.jpegtran } : {};
}

function imageLimitsOf(opts: ImportOptions): ImageLimits {
  return { maxImageBytes: opts.maxImageBytes ?? DEFAULT_IMAGE_LIMITS.maxImageBytes, maxPixels: opts.maxImagePixels ?? DEFAULT_IMAGE_LIMITS.maxPixels };
}

function countNonAscii(text: string): number {
  let n = 0;
  for (const ch of text) if ((ch.codePointAt(0) ?? 0) > 0x7f) n++;
  return n;
}

/** Non-empty lines: the paragraphs of a plain-text article. */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  let filled = false;
  for (const b of bytes) {
    if (b === 0x0a) {
      if (filled) n++;
      filled = false;
    } else if (b !== 0x0d && b !== 0x20 && b !== 0x09) filled = true;
  }
  return filled ? n + 1 : n;
}

/** <title> text and the body's inner HTML of a full HTML page (or the fragment itself). */
function splitHtmlPage(html: string): { title?: string; body: string } {
  const doc = parseDocument(html);
  let title: string | undefined;
  let body: Element | undefined;
  const walk = (nodes: ChildNode[]): void => {
    for (const n of nodes) {
      if (!isTag(n)) continue;
      if (n.name === 'title' && title === undefined) title = n.children.map((c) => ('data' in c ? String(c.data) : '')).join('');
      if (n.name === 'body' && !body) body = n;
      walk(n.children);
    }
  };
  walk(doc.children);
  const found = body as Element | undefined;
  return { title, body: found ? found.children.map((c) => render(c, { encodeEntities: 'utf8' })).join('') : html };
}

/**
 * Imports one document (.docx, .txt or .html; type judged by magic bytes, not the name). Throws
 * BadInputError / TooLargeError / UnsupportedTypeError naming the file and the reason for empty, corrupt,
 * password-protected, executable, zip-bomb, over-size input and unusable images.
 */
export async function importDocument(bytes: Uint8Array, fileName: string, opts: ImportOptions = {}): Promise<ImportedArticle> {
  const file = path.basename(fileName) || fileName;
  const maxInput = opts.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (bytes.length > maxInput) {
    throw new TooLargeError(`the file is ${Math.ceil(bytes.length / 1048576)} MiB`, { file, expected: `at most ${Math.floor(maxInput / 1048576)} MiB`, userMessage: `Tệp ${file} quá lớn (${Math.ceil(bytes.length / 1048576)} MB); tối đa ${Math.floor(maxInput / 1048576)} MB.` });
  }
  let input = bytes;
  let kind = sniff(input);
  const fromDoc = kind === 'word97' && opts.convertDoc !== undefined;
  if (fromDoc && opts.convertDoc) {
    input = await opts.convertDoc(input, file);
    kind = sniff(input);
  }
  // A converted .doc keeps its name; its content is now a .docx.
  const format = fromDoc && kind === 'zip' ? 'docx' : formatOf(kind, input, file);
  const report = newReport(file, format);
  if (fromDoc) report.warnings.push({ code: 'converted-from-doc', message: 'Word 97–2003 .doc converted to .docx with LibreOffice; check the layout of tables and pictures' });
  const choice = opts.encoding ?? 'auto';

  let rawHtml: string;
  let images: ImportedImage[] = [];
  let fallbackTitle: string | undefined;
  if (format === 'docx') {
    const docx = await convertDocx(input, file, report, { encoding: choice, imageLimits: imageLimitsOf(opts), imageTools: toolsOf(opts), zipLimits: { ...DEFAULT_ZIP_LIMITS, ...opts.zipLimits } });
    rawHtml = docx.html;
    images = docx.images;
  } else {
    const text = decodeText(input, file, choice, report, countLines(input));
    if (format === 'txt') rawHtml = textToHtml(text);
    else {
      const page = splitHtmlPage(text);
      rawHtml = page.body;
      fallbackTitle = page.title;
    }
  }

  if (rawHtml !== rawHtml.normalize('NFC')) report.normalized.nfc += 1;
  const sanitized = sanitizeArticleHtmlDetailed(rawHtml);
  for (const src of sanitized.removedImages) {
    if (src.startsWith(DROPPED_IMAGE_PREFIX)) continue; // already reported by the docx reader
    report.warnings.push({ code: 'image-removed', message: `image "${src}" was removed: only images inside the article can be used (no web or data: images)` });
  }
  let safeHtml = sanitized.html;
  if (format !== 'docx') {
    const linked = await collectLinkedImages(safeHtml, file, opts.readRelated, imageLimitsOf(opts), report, toolsOf(opts));
    safeHtml = linked.html;
    images = linked.images;
  }
  const article = extractArticle(safeHtml, report.normalized, fallbackTitle, { lead: true });
  report.extracted = { title: article.title !== undefined, author: article.author !== undefined, unit: article.unit !== undefined, lead: article.lead !== undefined };
  report.suspicious = [...new Set(report.suspicious)].slice(0, 20);
  if (report.suspicious.length > 0) {
    report.warnings.push({ code: 'suspicious-text', message: `${report.suspicious.length} word(s) do not look like Vietnamese, check them: ${report.suspicious.slice(0, 8).join(' ')}` });
  }
  if (!article.bodyHtml.trim() && !article.title) throw new BadInputError('the document has no text', { file, expected: 'an article with at least one paragraph', userMessage: `Tệp ${file} không có nội dung.` });
  if (!article.title) {
    // The issue format needs a title; the file name is the writer's own label for the article.
    article.title = (path.basename(file, path.extname(file)).replace(/[-_]+/g, ' ').trim() || file).normalize('NFC');
    report.warnings.push({ code: 'title-missing', message: `no heading or title line found; the file name "${article.title}" was used as the title — edit it in article.md` });
  }
  // Images the body no longer references (e.g. inside removed elements) are not written.
  const used = images.filter((img) => article.bodyHtml.includes(`images/${img.name}`));
  return { ...article, images: used, report };
}
