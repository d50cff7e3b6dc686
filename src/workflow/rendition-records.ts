/**
 * From a finished build directory to a rendition row: every file with its sha256 and pages, preflight
 * findings and the table of contents (section → article → page). Also the cache copy of an earlier
 * rendition and the atomic move of a finished directory into `<dataDir>/renditions/<issue>/<job>/`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PreflightFinding, Rendition, TocLine } from '../domain/issue.ts';
import type { NewRendition } from '../store/rendition-repository.ts';
import type { BuildOutcome } from '../typeset/build.ts';
import { loadPdfLib } from '../lazy-deps.ts';

export type RenditionContent = Pick<NewRendition, 'pages' | 'findings' | 'toc' | 'files'>;

/** `extra`: files the engine does not list in its own result (job.json, the print paperwork), hashed here. */
export async function renditionFromBuild(dir: string, result: BuildOutcome, extra: string[]): Promise<RenditionContent> {
  const files = result.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, pages: f.pages ?? null }));
  for (const name of extra) {
    const bytes = await fs.readFile(path.join(dir, name));
    const pages = name.endsWith('.pdf') ? (await (await loadPdfLib()).PDFDocument.load(bytes)).getPageCount() : null;
    files.push({ name, bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), pages });
  }
  const findings: PreflightFinding[] = result.findings.map((f) => ({
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.article ? { article: f.article } : {}),
    ...(f.page ? { page: f.page } : {}),
  }));
  const toc: TocLine[] = [];
  let section = '';
  for (const o of result.paginated.outline ?? []) {
    if (o.level === 0) section = o.title;
    else toc.push({ section, title: o.title, page: o.page });
  }
  return { pages: result.pages, findings, toc, files };
}

/** The same files, findings and contents as `cached`, as a new rendition of its own job. */
export function copyOf(cached: Rendition, own: Pick<NewRendition, 'jobId' | 'dir' | 'planRevision' | 'inputHash'>): NewRendition {
  return { issueId: cached.issueId, pages: cached.pages, findings: cached.findings, toc: cached.toc, files: cached.files, ...own };
}

/** Whether every file of the rendition is still on disk with its recorded size. */
export async function filesPresent(dataDir: string, r: Rendition): Promise<boolean> {
  const present = await Promise.all(r.files.map((f) => fs.stat(path.join(dataDir, r.dir, f.name)).then((st) => st.size === f.bytes, () => false)));
  return present.every(Boolean);
}

/** A complete directory becomes the rendition directory in one rename: readers never see half of it. */
export async function moveIntoPlace(dataDir: string, tmpDir: string, finalRel: string): Promise<void> {
  await fs.rm(path.join(dataDir, finalRel), { recursive: true, force: true });
  await fs.rename(tmpDir, path.join(dataDir, finalRel));
}
