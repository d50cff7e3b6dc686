/**
 * A signed-off (and optionally published) issue put straight into a real store: a small real screen.pdf
 * in the data dir, its rendition with a table of contents, the bulletin profile. Typesetting is tested
 * elsewhere; the channels only need what a signed issue has.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import type { Store } from '../../src/store/index.ts';
import type { TocLine } from '../../src/domain/issue.ts';
import { BULLETIN } from '../web/helpers.ts';

export { BULLETIN };

export async function smallPdf(pages = 4, label = 'screen'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([538, 765]).drawText(`${label} page ${i}`, { x: 50, y: 700, size: 18, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export interface SeededIssue {
  issueId: number;
  userId: number;
  pdf: Buffer;
  pdfSha256: string;
}

/** A user to own things; returns its id (reuses one that exists). */
export function ensureUser(store: Store, username = 'tongbientap'): number {
  const existing = store.users.findForLogin(username);
  if (existing) return existing.user.id;
  return store.users.insert({ username, passwordHash: 'x', role: 'editor_in_chief', unitId: null, displayName: 'Tổng biên tập' }, new Date().toISOString());
}

/** A 240 px page picture like the engine's `thumbnails/page-NNN.jpg`, with a label to recognise it. */
export async function pageThumbnail(label: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="341"><rect width="240" height="341" fill="#fff"/><rect x="0" y="0" width="240" height="70" fill="#b3141c"/><text x="120" y="48" font-size="30" text-anchor="middle" fill="#fff" font-family="Noto Serif, serif">BẢN TIN</text><text x="120" y="200" font-size="22" text-anchor="middle" font-family="Noto Serif, serif">${label}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

export async function seedSignedIssue(
  store: Store,
  dataDir: string,
  opts: { number?: number; year?: number; userId?: number; publish?: boolean; unitIds?: number[]; thumbnail?: Buffer; pdf?: { bytes: Buffer; pages: number }; toc?: TocLine[] } = {},
): Promise<SeededIssue> {
  const now = new Date().toISOString();
  const userId = opts.userId ?? ensureUser(store);
  if (!store.bulletin.get()) store.bulletin.put(BULLETIN, userId, now);
  const number = opts.number ?? 11;
  const year = opts.year ?? 2026;
  const issueId = store.issues.insert(
    { number, year, date: `${year}-${String(number).padStart(2, '0')}-15`, printRun: 3110, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: userId },
    now,
  );
  const pages = opts.pdf?.pages ?? 4;
  const pdf = opts.pdf?.bytes ?? (await smallPdf(pages, `issue ${number}`));
  const dir = path.join('renditions', `issue-${issueId}`);
  fs.mkdirSync(path.join(dataDir, dir), { recursive: true });
  fs.writeFileSync(path.join(dataDir, dir, 'screen.pdf'), pdf);
  const pdfSha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  const files = [{ name: 'screen.pdf', bytes: pdf.length, sha256: pdfSha256, pages }];
  if (opts.thumbnail) {
    fs.mkdirSync(path.join(dataDir, dir, 'thumbnails'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, dir, 'thumbnails', 'page-001.jpg'), opts.thumbnail);
    files.push({ name: 'thumbnails/page-001.jpg', bytes: opts.thumbnail.length, sha256: crypto.createHash('sha256').update(opts.thumbnail).digest('hex'), pages: 1 });
  }
  const renditionId = store.renditions.insert(
    {
      issueId,
      jobId: null,
      dir,
      pages,
      planRevision: 1,
      findings: [],
      toc: opts.toc ?? [
        { section: 'Văn bản, chính sách mới', title: 'Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh', page: 2 },
        { section: 'Gương chi bộ, đảng viên', title: 'Chi bộ ấp Trường Đông làm theo lời Bác', page: 3 },
      ],
      files,
    },
    now,
  );
  store.renditions.markSigned(renditionId);
  store.issues.markSignedOff(issueId, renditionId, userId, now);
  if (opts.publish !== false) {
    store.publications.publish(issueId, opts.unitIds, userId, now);
    store.issues.setState(issueId, 'published', now);
  }
  return { issueId, userId, pdf, pdfSha256 };
}
