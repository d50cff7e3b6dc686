/** The files multer parsed from a multipart form, in the shapes the workflow takes. */
import type { Request } from 'express';
import type { ArticleUpload } from '../../workflow/article-upload.ts';
import type { PictureUpload } from '../../workflow/pictures.ts';

function filesOf(req: Request, field: string): Express.Multer.File[] {
  const files = req.files;
  if (!files || Array.isArray(files)) return [];
  return files[field] ?? [];
}

/** Browsers send an empty part when no file was chosen; that is "no file", not an empty upload. */
export function uploadedFile(req: Request, field: string): ArticleUpload | undefined {
  const f = filesOf(req, field)[0];
  return f && (f.size > 0 || f.originalname) ? { originalName: f.originalname.normalize('NFC'), buffer: f.buffer } : undefined;
}

/** Photos with the caption on the same line number of `captions` (one per line). */
export function uploadedPhotos(req: Request, captions: string | undefined): PictureUpload[] {
  const lines = (captions ?? '').split(/\r?\n/);
  return filesOf(req, 'photos')
    .filter((f) => f.size > 0 || f.originalname)
    .map((f, i) => ({ originalName: f.originalname.normalize('NFC'), buffer: f.buffer, caption: lines[i]?.trim() ?? '' }));
}
