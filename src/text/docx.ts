/**
 * .docx → article HTML + images. bantin reads the zip itself (zip.ts: bomb limits), starts the photos
 * (images.ts), repairs broken links (docx-repair.ts), converts legacy TCVN3/VNI/VISCII/VPS runs to Unicode
 * in the XML and applies All caps (docx-legacy.ts; fonts resolved through styles, table styles, list levels
 * and the theme: docx-fonts.ts), then lets mammoth turn the cleaned document into HTML (headings, lists,
 * tables, footnotes, images). The returned HTML is NOT yet sanitized: importDocument does that.
 *
 * Stable entry point for other modules (the issue loader, the web upload): `convertDocx`.
 */
import os from 'node:os';
import path from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { loadJsZip, loadMammoth } from '../lazy-deps.ts';
import { AppError, BadInputError, TooLargeError, UnsupportedTypeError } from '../domain/errors.ts';
import type { EncodingChoice } from './encodings/index.ts';
import { convertLegacyRuns } from './docx-legacy.ts';
import { findDocxParts, relationshipIds, type DocxParts } from './docx-parts.ts';
import { reattachMarks, repairLinks } from './docx-repair.ts';
import { readFontContext, readThemeFonts, W_NS } from './docx-fonts.ts';
import { DEFAULT_IMAGE_LIMITS, processImage, SMALL_FOR_PRINT_PX, type ImageLimits, type ImageTools, type ProcessedImage } from './images.ts';
import { newReport, type ImportReport } from './report.ts';
import { isImageKind, sniff } from './sniff.ts';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip.ts';

export interface ImportedImage {
  /** File name inside the article's images/ folder, e.g. "anh-01.jpg" */
  name: string;
  /** Re-encoded bytes (EXIF orientation applied, metadata removed, 8-bit sRGB), full resolution */
  bytes: Uint8Array;
  widthPx: number;
  heightPx: number;
  format: 'jpeg' | 'png';
}

export interface DocxOptions {
  encoding?: EncodingChoice;
  imageLimits?: ImageLimits;
  imageTools?: ImageTools;
  zipLimits?: ZipLimits;
}

export interface DocxResult {
  /** mammoth's HTML with images referenced as `images/<name>`; not sanitized yet */
  html: string;
  images: ImportedImage[];
}

const IMAGE_CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));
/** Marks images that could not be kept; the sanitizer removes them, the report explains why. */
export const DROPPED_IMAGE_PREFIX = 'bantin-dropped:';

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => h2.subtitle:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Caption'] => p:fresh",
];

function parseXml(bytes: Uint8Array | undefined, part: string, file: string, maxBytes: number): Document | undefined {
  if (!bytes) return undefined;
  if (bytes.length > maxBytes) {
    throw new TooLargeError(`${part} is ${Math.ceil(bytes.length / 1048576)} MiB of XML`, { file, expected: `XML parts of at most ${Math.floor(maxBytes / 1048576)} MiB (split the document)`, userMessage: `Tệp ${file} quá lớn để đọc (phần ${part}). Hãy chia thành nhiều tệp nhỏ hơn.` });
  }
  // Collected, not thrown from inside the parser (xmldom would wrap the error into its own message).
  const errors: string[] = [];
  const record = (msg: string): void => {
    errors.push(msg.replace(/^\[xmldom [a-z]+\]\s*/i, '').split('\n')[0] ?? msg);
  };
  const parser = new DOMParser({ errorHandler: { warning: () => undefined, error: record, fatalError: record } });
  const doc = parser.parseFromString(Buffer.from(bytes).toString('utf8'), 'text/xml') as unknown as Document;
  if (errors.length > 0) {
    throw new BadInputError(`not a readable .docx: ${part} is not valid XML (${errors[0]})`, { file, userMessage: `Tệp ${file} bị hỏng, không đọc được. Hãy mở bằng Word, lưu lại rồi gửi lại.` });
  }
  return doc;
}

/**
 * Custom paragraph styles built on a heading ("Tieu de" based on Heading 1) are headings too; mammoth only
 * knows the built-in names, so each gets a style-map line.
 */
function headingStyleMap(styles: Document | undefined): string[] {
  if (!styles) return [];
  const byId = new Map<string, { name: string; basedOn?: string }>();
  const list = styles.getElementsByTagNameNS(W_NS, 'style');
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (!el || el.getAttributeNS(W_NS, 'type') !== 'paragraph') continue;
    const name = el.getElementsByTagNameNS(W_NS, 'name')[0]?.getAttributeNS(W_NS, 'val') ?? '';
    const basedOn = el.getElementsByTagNameNS(W_NS, 'basedOn')[0]?.getAttributeNS(W_NS, 'val') ?? undefined;
    byId.set(el.getAttributeNS(W_NS, 'styleId') ?? '', { name, ...(basedOn ? { basedOn } : {}) });
  }
  const levelOf = (id: string): number | undefined => {
    const seen = new Set<string>();
    for (let cur: string | undefined = id; cur && !seen.has(cur); cur = byId.get(cur)?.basedOn) {
      seen.add(cur);
      const m = /^heading\s*([1-6])$/i.exec(byId.get(cur)?.name ?? '') ?? /^Heading([1-6])$/.exec(cur);
      if (m?.[1]) return Number(m[1]);
    }
    return undefined;
  };
  const out: string[] = [];
  for (const [id, { name }] of byId) {
    const level = levelOf(id);
    if (level !== undefined && name && !/^heading\s*[1-6]$/i.test(name) && !/['\\]/.test(name)) out.push(`p[style-name='${name}'] => h${level}:fresh`);
  }
  return out;
}

/**
 * mammoth gets the pictures as short tokens naming the zip entry instead of their bytes: copying a 6 MB
 * media folder into the archive handed to mammoth (CRC-32 in JS, then read back out) cost more CPU than
 * all of mammoth's own work on a 10-page document.
 */
const MEDIA_TOKEN = 'bantin-media:';

function withMediaTokens(entries: Map<string, Uint8Array>, names: readonly string[]): Map<string, Uint8Array> {
  const out = new Map(entries);
  for (const name of names) if (out.has(name)) out.set(name, Buffer.from(MEDIA_TOKEN + name, 'utf8'));
  return out;
}

/** The entry name a token stands for, or undefined for real picture bytes. */
function tokenName(data: Buffer): string | undefined {
  return data.length < 2048 && data.toString('latin1', 0, MEDIA_TOKEN.length) === MEDIA_TOKEN ? data.toString('utf8', MEDIA_TOKEN.length) : undefined;
}

/**
 * Starts re-encoding every photo the document refers to before anything else (so libvips works on the
 * other cores while the XML is converted on this one), as many at a time as there are cores (decoding a
 * 12 MP photo takes ~40 MB); mammoth's callback then only waits for its result. Pictures only a header,
 * footer or nothing refers to are never decoded.
 */
function prepareImages(entries: Map<string, Uint8Array>, names: readonly string[], file: string, limits: ImageLimits, tools: ImageTools): Map<string, Promise<ProcessedImage>> {
  const limit = limiter(IMAGE_CONCURRENCY);
  const out = new Map<string, Promise<ProcessedImage>>();
  for (const name of names) {
    const data = entries.get(name);
    if (!data || !isImageKind(sniff(data)) || out.has(name)) continue;
    const job = limit(() => processImage(data, `${file}: picture ${path.posix.basename(name)}`, limits, tools));
    // Errors surface when mammoth asks for the picture; an unused broken picture must not crash the process.
    job.catch(() => undefined);
    out.set(name, job);
  }
  return out;
}

/** Runs at most `n` of the given tasks at a time. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Rewrites the text parts with legacy runs converted; returns extra mammoth style-map lines. */
function convertTextParts(entries: Map<string, Uint8Array>, parts: DocxParts, file: string, choice: EncodingChoice, report: ImportReport, maxXmlBytes: number): string[] {
  const parse = (bytes: Uint8Array | undefined, part: string): Document | undefined => parseXml(bytes, part, file, maxXmlBytes);
  const part = (name: string | undefined): Uint8Array | undefined => (name ? entries.get(name) : undefined);
  const theme = readThemeFonts(parse(part(parts.theme), parts.theme ?? 'theme'));
  const stylesDoc = parse(part(parts.styles), parts.styles ?? 'styles');
  const ctx = readFontContext(stylesDoc, theme, parse(part(parts.numbering), parts.numbering ?? 'numbering'));
  const unknownFonts = new Set<string>();
  for (const name of [parts.document, parts.footnotes, parts.endnotes]) {
    const doc = name ? parse(entries.get(name), name) : undefined;
    if (!doc || !name) continue;
    repairLinks(doc, name, relationshipIds(entries, name), report);
    convertLegacyRuns(doc, ctx, choice, report, unknownFonts);
    reattachMarks(doc);
    entries.set(name, Buffer.from(new XMLSerializer().serializeToString(doc as unknown as Node), 'utf8'));
  }
  for (const font of unknownFonts) {
    report.warnings.push({ code: 'unknown-font', message: `font "${font}" looks like a legacy Vietnamese font bantin has no table for; check its text` });
  }
  warnAboutHeadersFooters(entries, parts, report, (name) => {
    const doc = parse(entries.get(name), name);
    // Converted like the body, so the warning quotes readable text; the result is not part of the article.
    if (doc) convertLegacyRuns(doc, ctx, choice, newReport(file, 'docx'), new Set());
    return doc;
  });
  return headingStyleMap(stylesDoc);
}

/** Headers and footers (page numbers, a unit's letterhead) are not part of the article: say so when they hold anything. */
function warnAboutHeadersFooters(entries: Map<string, Uint8Array>, parts: DocxParts, report: ImportReport, read: (name: string) => Document | undefined): void {
  for (const name of parts.headersFooters) {
    const doc = read(name);
    if (!doc) continue;
    const hasPicture = doc.getElementsByTagNameNS(W_NS, 'drawing').length > 0 || doc.getElementsByTagNameNS(W_NS, 'pict').length > 0;
    const text = Array.from(doc.getElementsByTagNameNS(W_NS, 't')).map((t) => t.textContent ?? '').join('').trim();
    if (!hasPicture && !text) continue;
    const what = [text ? `text "${text.slice(0, 60)}"` : '', hasPicture ? 'a picture' : ''].filter(Boolean).join(' and ');
    report.warnings.push({ code: 'header-footer-ignored', message: `${path.posix.basename(name)} holds ${what}; headers and footers are not imported — move anything the article needs into the body` });
  }
}

async function rezip(entries: Map<string, Uint8Array>): Promise<Buffer> {
  const JSZip = await loadJsZip();
  const zip = new JSZip();
  for (const [name, bytes] of entries) zip.file(name, bytes);
  // STORE: this archive only lives in memory for mammoth; compressing it again would be wasted time.
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

/**
 * Converts a .docx (already known to be a zip) into HTML + processed images, recording encodings,
 * conversions and warnings in `report`. Throws BadInputError / TooLargeError / UnsupportedTypeError for
 * damaged archives, zip bombs, images over the limits.
 */
export async function convertDocx(bytes: Uint8Array, file: string, report: ImportReport, opts: DocxOptions = {}): Promise<DocxResult> {
  const entries = readZip(bytes, file, opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
  const parts = findDocxParts(entries);
  if (!parts) {
    throw new BadInputError('not a Word document: the archive has no word/document.xml', { file, expected: 'a .docx saved by Word or LibreOffice', userMessage: `Tệp ${file} không phải tệp Word .docx.` });
  }
  const limits = opts.imageLimits ?? DEFAULT_IMAGE_LIMITS;
  const tools = opts.imageTools ?? {};
  const prepared = prepareImages(entries, parts.images, file, limits, tools);
  const extraStyles = convertTextParts(entries, parts, file, opts.encoding ?? 'auto', report, (opts.zipLimits ?? DEFAULT_ZIP_LIMITS).maxXmlBytes);

  const images: ImportedImage[] = [];
  let counter = 0;
  let dropped = 0;
  // mammoth turns errors thrown here into warnings; a refused photo must fail the import instead.
  let refused: unknown;
  const mammoth = await loadMammoth();
  const convertImage = mammoth.images.imgElement(async (image) => {
    const index = ++counter;
    const raw = await image.readAsBuffer();
    const entry = tokenName(raw);
    const data = entry !== undefined ? (entries.get(entry) ?? raw) : raw;
    const where = `${file}: image ${index} (${image.contentType})`;
    const kind = sniff(data);
    if (kind === 'emf' || kind === 'wmf' || /emf|wmf/i.test(image.contentType)) {
      report.warnings.push({ code: 'vector-image', message: `${where}: EMF/WMF drawings cannot be used in print and were left out; insert the picture as JPEG/PNG` });
      return { src: `${DROPPED_IMAGE_PREFIX}${++dropped}` };
    }
    let done: Awaited<ReturnType<typeof processImage>>;
    try {
      done = await ((entry !== undefined ? prepared.get(entry) : undefined) ?? processImage(data, where, limits, tools));
    } catch (err) {
      if (err instanceof UnsupportedTypeError) {
        // A BMP, SVG or other picture sharp cannot print: the article is still usable without it.
        report.warnings.push({ code: 'unsupported-image', message: `${where}: ${err.message}; the picture was left out — insert it as JPEG/PNG` });
      } else {
        refused ??= err; // too large, decompression bomb, damaged photo: the import fails (exit 2)
      }
      return { src: `${DROPPED_IMAGE_PREFIX}${++dropped}` };
    }
    const name = `anh-${String(index).padStart(2, '0')}.${done.format === 'jpeg' ? 'jpg' : 'png'}`;
    images.push({ name, bytes: done.bytes, widthPx: done.widthPx, heightPx: done.heightPx, format: done.format });
    report.images.push({ name, format: done.format, widthPx: done.widthPx, heightPx: done.heightPx, bytes: done.bytes.length, rotated: done.rotated, metadataRemoved: true, ...(done.converted ? { converted: done.converted } : {}) });
    if (Math.max(done.widthPx, done.heightPx) < SMALL_FOR_PRINT_PX) {
      report.warnings.push({ code: 'image-small-for-print', message: `${name} is only ${done.widthPx}×${done.heightPx} px: at 300 ppi it prints at most ${((Math.max(done.widthPx, done.heightPx) / 300) * 2.54).toFixed(1)} cm wide` });
    }
    return { src: `images/${name}` };
  });

  let result: { value: string; messages: { type: string; message: string }[] };
  try {
    result = await mammoth.convertToHtml({ buffer: await rezip(withMediaTokens(entries, parts.images)) }, { styleMap: [...STYLE_MAP, ...extraStyles], convertImage, externalFileAccess: false });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new BadInputError(`not a readable .docx: ${err instanceof Error ? err.message : String(err)}`, { file, cause: err, userMessage: `Tệp ${file} bị hỏng, không đọc được. Hãy mở bằng Word, lưu lại rồi gửi lại.` });
  }
  if (refused !== undefined) throw refused;
  for (const m of result.messages) {
    // Unknown paragraph styles are everyday noise; the rest can mean lost content.
    if (/Unrecognised (paragraph|run) style|was referenced but not defined/.test(m.message)) continue;
    report.warnings.push({ code: `docx-${m.type}`, message: m.message });
  }
  images.sort((a, b) => a.name.localeCompare(b.name));
  report.images.sort((a, b) => a.name.localeCompare(b.name));
  return { html: withoutNoteBacklinks(result.value), images };
}

/**
 * mammoth ends every footnote with a "↑" link back to its reference. On paper it is a stray arrow, and
 * the layout fonts have no U+2191, so the typesetter's preflight refused every Word file with a footnote.
 * The reference marks in the text stay (they are links in the screen PDF).
 */
export function withoutNoteBacklinks(html: string): string {
  return html.replace(/\s*<a href="#(?:footnote|endnote)-ref-[\w-]+">\u2191<\/a>/g, '');
}
