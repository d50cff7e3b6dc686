/**
 * Heavy libraries loaded on first use instead of at start-up. `bantin serve` answers most requests (pages,
 * the archive, downloads) without them, and importing them all up front cost ~70 MiB of resident memory per
 * process (bench/RESULTS-publish.md). Node caches a module after its first import(), so later calls only
 * look it up. Each loader names the work that needs the library.
 */

/** sharp (libvips, ~19 MiB): photo uploads, the drawn archive covers, embedded-photo start-up migration. */
export const loadSharp = async () => (await import('sharp')).default;

/** mammoth (~14 MiB): only .docx uploads. */
export const loadMammoth = async () => (await import('mammoth')).default;

/** JSZip (~10 MiB): .docx uploads, the issue export zip, the download-package channel. */
export const loadJsZip = async () => (await import('jszip')).default;

/** pdf-lib (~22 MiB): reading and writing PDFs after typesetting. */
export const loadPdfLib = () => import('pdf-lib');

/**
 * The typesetting engine (pdf-lib, sharp, Handlebars, markdown-it, sanitize-html) and the issue exporter
 * (JSZip): the first typeset job or article preview loads them.
 */
export const loadTypesetEngine = async () => (await import('./typeset/build.ts')).buildIssue;
export const loadIssueExporter = async () => (await import('./workflow/export-issue.ts')).exportIssue;
