/**
 * Gathers what the portal channels send for one published issue: the signed screen.pdf from the data
 * dir, a cover JPG, a Vietnamese title and description with the table of contents, and URLs of the
 * files in bantin's own API (absolute when a public base URL is configured).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, RuleViolation } from '../domain/errors.ts';
import { formatDateLongVi, formatMonthVi, nfc } from '../domain/vi-text.ts';
import type { Store } from '../store/index.ts';
import type { BundleFile, PublishedIssueBundle } from './channel.ts';
import { makeCoverJpg } from './cover.ts';

export interface BundleSource {
  store: Store;
  dataDir: string;
  publicBaseUrl?: string;
}

function sha256(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export async function loadPublishedBundle(src: BundleSource, issueId: number): Promise<PublishedIssueBundle> {
  const { store } = src;
  const issue = store.issues.get(issueId);
  if (!issue) throw new NotFoundError(`issue ${issueId} not found`);
  const publication = store.publications.get(issueId);
  if (issue.state !== 'published' || !publication) throw new RuleViolation(`issue ${issueId} is ${issue.state}: only published issues go to the portal`);
  const rendition = issue.signedRenditionId !== null ? store.renditions.get(issue.signedRenditionId) : undefined;
  const screen = rendition?.files.find((f) => f.name === 'screen.pdf');
  if (!rendition || !screen) throw new RuleViolation(`issue ${issueId} has no signed screen.pdf to publish`);
  const pdfBytes = await fs.readFile(path.join(src.dataDir, rendition.dir, 'screen.pdf'));

  const bulletin = store.bulletin.get();
  const bulletinName = bulletin?.name ?? 'Thông báo Nội bộ';
  const publisher = bulletin?.publisher ?? '';
  const title = nfc(`Bản tin ${bulletinName} số ${issue.number} – ${formatMonthVi(issue.date)}`);
  const key = `bantin-${issue.year}-${String(issue.number).padStart(2, '0')}${issue.version > 1 ? `-v${issue.version}` : ''}`;
  const toc = rendition.toc.map((t) => ({ section: t.section, title: t.title, page: t.page }));
  const intro = `${title}, phát hành ${formatDateLongVi(issue.date)}, ${rendition.pages} trang. ${publisher ? `Cơ quan phát hành: ${publisher}. ` : ''}Lưu hành nội bộ.`;
  const tocText = toc.map((t) => `- ${t.title} (${t.section}), trang ${t.page}`).join('\n');
  const description = nfc(toc.length ? `${intro}\n\nMục lục:\n${tocText}` : intro);
  const descriptionHtml = nfc(
    `<p>${escapeHtml(intro)}</p>` +
      (toc.length ? `\n<h3>Mục lục</h3>\n<ul>${toc.map((t) => `<li>${escapeHtml(t.title)} <em>(${escapeHtml(t.section)})</em> – trang ${t.page}</li>`).join('')}</ul>` : ''),
  );

  const base = (src.publicBaseUrl ?? '').replace(/\/+$/, '');
  const fileUrl = (name: string) => `${base}/api/v1/issues/${issue.id}/files/${name}`;
  const cover = await makeCoverJpg({ bulletinName, publisher, number: issue.number, date: issue.date, pages: rendition.pages });
  const pdf: BundleFile = { name: `${key}.pdf`, contentType: 'application/pdf', bytes: pdfBytes, sha256: sha256(pdfBytes), url: fileUrl('screen.pdf') };
  const coverFile: BundleFile = { name: `${key}-bia.jpg`, contentType: 'image/jpeg', bytes: cover, sha256: sha256(cover) };
  return {
    issueId: issue.id,
    number: issue.number,
    year: issue.year,
    date: issue.date,
    pages: rendition.pages,
    title,
    description,
    descriptionHtml,
    key,
    bulletinName,
    publisher,
    publishedAt: publication.publishedAt,
    screenPdf: pdf,
    cover: coverFile,
    toc,
  };
}
