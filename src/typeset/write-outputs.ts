/**
 * The last stage: files land atomically in the output directory (each written to a temp file in the same
 * directory and renamed, so a reader never sees half a PDF), then preflight.json, then job.json — the
 * print ticket of DESIGN.md, carrying the sha256 of every other file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { replaceDirAtomic, writeFileAtomic } from '../atomic-file.ts';
import type { BuildResult, BuiltPdf, Finding, IssuePlan } from './model.ts';

export interface OutputFile {
  name: string;
  bytes: Uint8Array;
  pages?: number;
}

export interface BuildMeta {
  title: string;
  profile: string;
  pages: number;
  addedPages: number[];
  builtAt: Date;
  buildMs: number;
  tools: Record<string, string>;
  legalProfile: string;
  /** JPEG per page → <out>/thumbnails/page-NNN.jpg */
  thumbnails?: Uint8Array[];
}

export const THUMBNAILS_DIR = 'thumbnails';

/** page-001.jpg … : 1-based, three digits (an issue has at most a few hundred pages). */
export function thumbnailName(page: number): string {
  return `${THUMBNAILS_DIR}/page-${String(page).padStart(3, '0')}.jpg`;
}


function sha256(bytes: Uint8Array | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export async function writeOutputs(outDir: string, plan: IssuePlan, pdfs: BuiltPdf[], findings: Finding[], meta: BuildMeta): Promise<BuildResult> {
  await fs.mkdir(outDir, { recursive: true });
  const files: BuildResult['files'] = [];
  for (const pdf of pdfs) {
    await writeFileAtomic(path.join(outDir, pdf.name), pdf.bytes);
    files.push({ name: pdf.name, bytes: pdf.bytes.length, sha256: sha256(pdf.bytes), pages: pdf.pages });
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const preflight = JSON.stringify(
    { issue: meta.title, ok: errors === 0, errors, warnings: findings.filter((f) => f.severity === 'warning').length, legalProfile: meta.legalProfile, findings },
    null,
    2,
  ) + '\n';
  await writeFileAtomic(path.join(outDir, 'preflight.json'), preflight);
  files.push({ name: 'preflight.json', bytes: Buffer.byteLength(preflight), sha256: sha256(preflight) });

  const thumbnails = meta.thumbnails ? await writeThumbnails(outDir, meta.thumbnails) : [];
  await removeStalePdfs(outDir, files);
  const job = jobTicket(plan, files, findings, meta);
  await writeFileAtomic(path.join(outDir, 'job.json'), JSON.stringify(job, null, 2) + '\n');
  return { outDir: path.resolve(outDir), files: [...files, ...thumbnails], findings, pages: meta.pages, exitCode: errors > 0 ? 1 : 0 };
}

/** The PDFs a build may write; job.json lists the ones this build wrote. */
const BUILD_PDFS = ['print.pdf', 'screen.pdf', 'cover.pdf'];

/**
 * A PDF an earlier build left in the same --out that this build did not write (screen.pdf before a
 * `--profile print` build, cover.pdf after the cover was removed) is deleted: a print shop handed the
 * folder must find exactly the files job.json lists and hashes, never last month's screen.pdf beside them.
 */
async function removeStalePdfs(outDir: string, written: BuildResult['files']): Promise<void> {
  const stale = BUILD_PDFS.filter((name) => !written.some((f) => f.name === name));
  await Promise.all(stale.map((name) => fs.rm(path.join(outDir, name), { force: true })));
}

/** The thumbnails directory is replaced as a whole: never this build's pages beside an earlier, longer one's. */
async function writeThumbnails(outDir: string, jpegs: Uint8Array[]): Promise<BuildResult['files']> {
  await replaceDirAtomic(path.join(outDir, THUMBNAILS_DIR), (tmp) =>
    Promise.all(jpegs.map((bytes, i) => fs.writeFile(path.join(tmp, path.basename(thumbnailName(i + 1))), bytes))),
  );
  return jpegs.map((bytes, i) => ({ name: thumbnailName(i + 1), bytes: bytes.length, sha256: sha256(bytes) }));
}

/** DESIGN.md "job.json": identity, pages, trim, bleed, printRun, colours, binding, licence, printShop, distribution, files, build time, tool versions. */
export function jobTicket(plan: IssuePlan, files: BuildResult['files'], findings: Finding[], meta: BuildMeta): object {
  return {
    issue: {
      title: meta.title,
      bulletin: plan.bulletin.name,
      publisher: plan.bulletin.publisher,
      number: plan.number,
      date: plan.date,
      slug: plan.slug,
    },
    pages: meta.pages,
    addedPages: meta.addedPages,
    trim: { widthMm: plan.trim.widthMm, heightMm: plan.trim.heightMm },
    bleed: { mm: plan.bleedMm },
    printRun: plan.printRun,
    colours: plan.colours,
    binding: plan.binding,
    paper: plan.paper,
    licence: plan.bulletin.licence,
    printShop: plan.bulletin.printShop,
    responsible: plan.bulletin.responsible,
    address: plan.bulletin.address,
    frequency: plan.bulletin.frequency,
    distribution: plan.distribution,
    profile: meta.profile,
    files,
    preflight: {
      ok: !findings.some((f) => f.severity === 'error'),
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
    builtAt: meta.builtAt.toISOString(),
    buildMs: meta.buildMs,
    tools: meta.tools,
  };
}
