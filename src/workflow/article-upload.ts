/**
 * An uploaded article file (.docx, .txt, .html) → stored article HTML, through the intake
 * (src/text/import.ts: type by magic bytes, legacy TCVN3/VNI/VIQR/Windows-1258 → Unicode NFC, photos
 * re-encoded by sharp, allow-list sanitizing). The intake names photos `images/<name>`; the app stores
 * each one in the picture store (`savePicture`) and points the body at its `/media/…` URL.
 */
import { importDocument, type ImportedImage, type ImportReport } from '../text/import.ts';
import { sanitizeArticleHtml } from './article-html.ts';

export interface ArticleUpload {
  originalName: string;
  buffer: Buffer;
}

export interface UploadedBody {
  bodyHtml: string;
  /** Title found in the document (first heading / bold first line), used when none was given. */
  titleHint: string | null;
  kind: 'docx' | 'html' | 'text';
  lead: string | null;
  author: string | null;
  /** What the intake converted (encodings, photos, warnings), for the UI to show. */
  report: ImportReport;
}

function escapeAttr(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);
}

/** Stores one of the document's photos and returns the URL the body should use for it. */
export type SavePicture = (image: ImportedImage) => Promise<string>;

export async function bodyFromUpload(upload: ArticleUpload, limitBytes: number, savePicture: SavePicture): Promise<UploadedBody> {
  const imported = await importDocument(upload.buffer, upload.originalName, { maxInputBytes: limitBytes });
  let html = imported.bodyHtml;
  for (const img of imported.images) {
    const url = await savePicture(img);
    html = html.replace(new RegExp(`src="images/${escapeAttr(img.name)}"`, 'g'), `src="${url}"`);
  }
  const format = imported.report.kind;
  return {
    bodyHtml: sanitizeArticleHtml(html),
    titleHint: imported.title ?? null,
    kind: format === 'docx' ? 'docx' : format === 'html' ? 'html' : 'text',
    lead: imported.lead ?? null,
    author: imported.author ?? null,
    report: imported.report,
  };
}
