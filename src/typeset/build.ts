/**
 * `bantin build`: an issue directory becomes print.pdf, screen.pdf, preflight.json and job.json.
 * One named stage per line (DESIGN.md pipeline); each stage lives in its own module.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError } from '../domain/errors.ts';
import { PRESS_LAW_BULLETIN, type LegalProfile } from '../domain/legal-profile.ts';
import type { BrowserHost } from './browser.ts';
import { writeCover } from './cover.ts';
import { writeHtmlExport } from './html-export.ts';
import { writeOnlineEdition } from './online-edition.ts';
import type { LayoutSource } from './layout.ts';
import { loadIssue } from './load-issue.ts';
import type { BuildResult, BuiltPdf, IssuePlan, PaginatedIssue, RenderedIssue } from './model.ts';
import { paginate, type ProgressListener } from './paginate.ts';
import { postprocess, type Profile } from './postprocess.ts';
import { preflight } from './preflight.ts';
import { issueTitle, renderHtml } from './render-html.ts';
import { toolVersions } from './tool-versions.ts';
import { writeOutputs } from './write-outputs.ts';

export interface BuildOptions {
  out: string;
  profile: Profile;
  /** Also write <out>/html/ (the pre-pagination HTML and its assets) */
  html?: boolean;
  /**
   * Also write <out>/thumbnails/page-001.jpg … (one JPEG per final page, 240 px wide, trim area), listed
   * in BuildResult.files but not in job.json (the print ticket lists what the print shop gets).
   */
  thumbnails?: boolean;
  /**
   * Also write <out>/online/ (the issue as one responsive HTML page with its pictures, see
   * online-edition.ts), listed in BuildResult.files but not in job.json.
   */
  online?: boolean;
  allowExpiredLicence?: boolean;
  onProgress?: ProgressListener;
  /** Defaults to the current time; tests pin it */
  now?: Date;
  /** How many documents the body is paginated as, side by side (see PaginateOptions.documents); for benchmarks and tests */
  documents?: number;
}

export interface BuildDeps {
  /** Started on first use, so bad input never pays for a browser launch */
  browser: () => Promise<BrowserHost>;
  /**
   * Called once the build needs the browser no more (after pagination, before post-processing): a
   * one-shot caller (the CLI) closes Chromium then, while the PDFs are post-processed and written.
   */
  releaseBrowser?: () => void;
  layouts: LayoutSource;
  legal?: LegalProfile;
}

export interface BuildOutcome extends BuildResult {
  paginated: Omit<PaginatedIssue, 'printPdfBytes' | 'screenPdfBytes' | 'thumbnails'>;
}

export async function buildIssue(dir: string, opts: BuildOptions, deps: BuildDeps): Promise<BuildOutcome> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const legal = deps.legal ?? PRESS_LAW_BULLETIN;
  const progress = opts.onProgress ?? (() => {});

  progress({ stage: 'load', message: `loading ${dir}` });
  const plan = await loadIssue(dir);
  progress({ stage: 'render', message: `rendering HTML with layout "${plan.layout}"` });
  const rendered = renderInIssueLayout(plan, deps.layouts);
  const browser = await deps.browser();
  progress({ stage: 'paginate', message: 'paginating with Paged.js' });
  const paginated = await withWorkDir((workDir) => paginate(rendered, browser, { bleedMm: plan.bleedMm, workDir, onProgress: progress, documents: opts.documents, thumbnails: opts.thumbnails }));
  const tools = await toolVersions(browser);
  deps.releaseBrowser?.();
  progress({ stage: 'postprocess', message: `post-processing ${paginated.pages.length} pages` });
  const pdfs = await postprocess(paginated, plan, { profile: opts.profile, now, producer: producerLine(tools) });
  progress({ stage: 'preflight', message: 'preflight' });
  const findings = preflight(plan, paginated, pdfs, { profile: opts.profile, legal, today: now.toISOString().slice(0, 10), allowExpiredLicence: opts.allowExpiredLicence });
  progress({ stage: 'write', message: `writing ${opts.out}` });
  const extra = await extraOutputs(opts, plan, rendered);
  const built: BuiltPdf[] = [pdfs.print, pdfs.screen, ...extra].filter((p): p is BuiltPdf => p !== undefined);
  const result = await writeOutputs(opts.out, plan, built, findings, {
    title: issueTitle(plan),
    profile: opts.profile,
    pages: paginated.pages.length,
    addedPages: paginated.addedPages,
    builtAt: now,
    buildMs: Date.now() - started,
    tools,
    legalProfile: legal.id,
    thumbnails: paginated.thumbnails,
  });
  // Printed page numbers (as the TOC shows them) win over physical page positions.
  const online = opts.online ? await writeOnlineEdition(opts.out, plan, { ...paginated.anchorPages, ...paginated.tocNumbers }, deps.layouts) : [];
  const { printPdfBytes: _print, screenPdfBytes: _screen, thumbnails: _thumbs, ...pageMap } = paginated;
  return { ...result, files: [...result.files, ...online], paginated: pageMap };
}

/**
 * renderHtml, with an unknown layout reported against issue.yaml's `layout` key: that is where the person
 * running the build fixes it (the layouts folder is not theirs to change).
 */
function renderInIssueLayout(plan: IssuePlan, layouts: LayoutSource): RenderedIssue {
  try {
    return renderHtml(plan, layouts);
  } catch (err) {
    if (err instanceof NotFoundError && err.field === 'layout') {
      throw new NotFoundError(`unknown layout "${plan.layout}"`, { file: path.join(plan.dir, 'issue.yaml'), field: 'layout', expected: err.expected, cause: err });
    }
    throw err;
  }
}

/** cover.pdf (when the issue has a cover) and --html, both written only once the build got this far. */
async function extraOutputs(opts: BuildOptions, plan: IssuePlan, rendered: RenderedIssue): Promise<BuiltPdf[]> {
  if (opts.html) {
    await fs.mkdir(opts.out, { recursive: true });
    await writeHtmlExport(opts.out, rendered, opts.profile === 'screen' ? 0 : plan.bleedMm);
  }
  const cover = plan.cover ? await writeCover(plan) : undefined;
  return cover ? [cover] : [];
}

function producerLine(tools: Record<string, string>): string {
  return `bantin ${tools.bantin} (Paged.js ${tools.pagedjs}, ${tools.chromium}, pdf-lib ${tools['pdf-lib']})`;
}

/** A private directory for the HTML Chromium loads; removed whatever happens. */
async function withWorkDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bantin-build-'));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
