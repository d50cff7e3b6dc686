/**
 * A signed-off (and optionally published) issue put straight into a real store: a small real screen.pdf
 * in the data dir, its rendition with a table of contents, the bulletin profile. Typesetting is tested
 * elsewhere; the channels only need what a signed issue has.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Store } from '../../src/store/index.ts';
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

export async function seedSignedIssue(store: Store, dataDir: string, opts: { number?: number; userId?: number; publish?: boolean } = {}): Promise<SeededIssue> {
  const now = new Date().toISOString();
  const userId = opts.userId ?? ensureUser(store);
  if (!store.bulletin.get()) store.bulletin.put(BULLETIN, userId, now);
  const number = opts.number ?? 11;
  const issueId = store.issues.insert(
    { number, year: 2026, date: `2026-${String(number).padStart(2, '0')}-15`, printRun: 3110, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: userId },
    now,
  );
  const pdf = await smallPdf(4, `issue ${number}`);
  const dir = path.join('renditions', `issue-${issueId}`);
  fs.mkdirSync(path.join(dataDir, dir), { recursive: true });
  fs.writeFileSync(path.join(dataDir, dir, 'screen.pdf'), pdf);
  const pdfSha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  const renditionId = store.renditions.insert(
    {
      issueId,
      jobId: null,
      dir,
      pages: 4,
      planRevision: 1,
      findings: [],
      toc: [
        { section: 'Văn bản, chính sách mới', title: 'Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh', page: 2 },
        { section: 'Gương chi bộ, đảng viên', title: 'Chi bộ ấp Trường Đông làm theo lời Bác', page: 3 },
      ],
      files: [{ name: 'screen.pdf', bytes: pdf.length, sha256: pdfSha256, pages: 4 }],
    },
    now,
  );
  store.renditions.markSigned(renditionId);
  store.issues.markSignedOff(issueId, renditionId, userId, now);
  if (opts.publish !== false) {
    store.publications.publish(issueId, undefined, userId, now);
    store.issues.setState(issueId, 'published', now);
  }
  return { issueId, userId, pdf, pdfSha256 };
}
