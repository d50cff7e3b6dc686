/**
 * The types that flow through `bantin build`, one name per stage (DESIGN.md "Type flow"):
 *   loadIssue(dir) → IssuePlan → renderHtml(plan) → RenderedIssue → paginate → PaginatedIssue
 *   → postprocess → PrintPdf / ScreenPdf → preflight → Finding[] → writeOutputs → BuildResult
 * No stage reaches back into an earlier one: each receives only what the previous stage produced.
 */

export interface Licence {
  number: string;
  /** ISO date, e.g. 2026-01-05 */
  date: string;
  issuer: string;
  /** ISO date; missing means "no expiry recorded" (preflight warns) */
  expires?: string;
}

export interface Bulletin {
  name: string;
  publisher: string;
  address: string;
  responsible: string;
  licence: Licence;
  frequency: string;
  printShop: string;
}

export interface TrimSize {
  widthMm: number;
  heightMm: number;
}

/** An image an article (or the cover) uses, resolved and measured at load time. */
export interface ImageRef {
  /** Path relative to IssuePlan.dir, always with forward slashes, never `..` */
  src: string;
  widthPx: number;
  heightPx: number;
  /** Where it is used, for findings: article id or "cover" */
  usedBy: string;
}

export interface PlannedArticle {
  /** Stable id unique within the issue, also the HTML anchor: "a-01-nghi-quyet" */
  id: string;
  /** Source file relative to the issue dir: "articles/01-nghi-quyet.md" */
  source: string;
  title: string;
  subtitle?: string;
  lead?: string;
  author?: string;
  unit?: string;
  date?: string;
  /** Sanitized, NFC HTML of the body; image src attributes are relative to the issue dir */
  bodyHtml: string;
  images: ImageRef[];
}

export interface PlannedSection {
  id: string;
  title: string;
  /** Body text columns for this section's articles (issue.yaml `columns`, default 2) */
  columns: 1 | 2;
  articles: PlannedArticle[];
}

export interface DistributionLine {
  unit: string;
  copies: number;
}

/** A problem found before typesetting that does not stop the build (e.g. licence expires soon). */
export interface Finding {
  severity: 'error' | 'warning' | 'info';
  /** Stable machine code, e.g. "licence-expired", "overflow", "image-low-ppi" */
  code: string;
  message: string;
  /** How to fix it, for people */
  fix?: string;
  article?: string;
  /** Source file of the article, relative to the issue dir */
  file?: string;
  page?: number;
}

export interface IssuePlan {
  /** Absolute path of the issue directory */
  dir: string;
  /** Directory name, e.g. "2026-11" */
  slug: string;
  bulletin: Bulletin;
  number: number;
  /** ISO date of the issue */
  date: string;
  printRun: number;
  layout: string;
  trim: TrimSize;
  bleedMm: number;
  /** Informational print-ticket data (job.json); defaults filled by loadIssue */
  colours: string;
  binding: string;
  paper: string;
  sections: PlannedSection[];
  /** cover.jpg / cover.png / cover.pdf relative to dir, when present */
  cover?: { src: string; kind: 'image' | 'pdf'; image?: ImageRef };
  distribution: DistributionLine[];
  /** Findings discovered while loading (licence near expiry, distribution sum, ...) */
  findings: Finding[];
}

/**
 * One independently paginatable part of the issue. Every chunk starts on a new page, so chunks can be
 * paginated separately (in parallel tabs) and stitched with page-number offsets.
 */
export interface RenderedChunk {
  id: string;
  kind: 'front' | 'section' | 'back';
  /** HTML fragment (no <html>/<body>), relative URLs resolve against RenderedIssue.baseDir */
  html: string;
}

export interface TocEntry {
  kind: 'section' | 'article';
  title: string;
  /** The element id where it starts in the rendered HTML ("a-01-nghi-quyet", "s-1") */
  anchorId: string;
  articleId?: string;
  sectionId: string;
}

export interface RenderedIssue {
  /** Directory relative URLs resolve against (the issue dir); the only place Chromium may read */
  baseDir: string;
  /** Complete CSS for the print variant (fonts by file: URLs under fontsDir, @page rules, layout) */
  css: string;
  /** Directory holding the font files the CSS references; Chromium may read it too */
  fontsDir: string;
  chunks: RenderedChunk[];
  /** HTML of one "Ghi chú" (notes) page, inserted before the last page to reach a multiple of 4 */
  notesPageHtml: string;
  toc: TocEntry[];
  /** Document <title> and lang */
  title: string;
  lang: 'vi';
  /**
   * Absolute paths of the layout's Paged.js handler scripts (e.g. repeated table headers), to inject
   * after paged.js and before pagination; they call window.Paged.registerHandlers. Not in index.html.
   */
  pagedHandlers?: string[];
}

/** What pagination learned, page by page (pages are 1-based). */
export interface PageInfo {
  number: number;
  /** Chunk the page belongs to, or "notes" for padding pages */
  chunkId: string;
  /** Anchors (TocEntry.anchorId) whose element starts on this page */
  anchors: string[];
  /** Text-bearing element ids that overflow this page's content box or were clipped */
  overflow: Array<{ anchorId?: string; description: string }>;
  /** (engine) How far down the page area the content reaches, 0–1 (preflight: near-empty pages) */
  fill?: number;
  /** (engine) Article (TocEntry.anchorId) of the lowest content on the page */
  lastArticle?: string;
}

export interface PaginatedIssue {
  pages: PageInfo[];
  /** Page numbers (1-based) of padding pages added for saddle stitching */
  addedPages: number[];
  /** anchorId → first page number */
  anchorPages: Record<string, number>;
  /** Page numbers printed in the TOC, anchorId → number, read back from the paginated DOM */
  tocNumbers: Record<string, number>;
  /** Requests Chromium tried that the allow-list blocked */
  blockedRequests: string[];
  /** The raw PDFs as Chromium printed them */
  printPdfBytes: Uint8Array;
  screenPdfBytes: Uint8Array;
  /** (engine) Every image as placed on its page, for effective-ppi checks */
  images?: PlacedImage[];
  /** (engine) Headings left as the last thing on a page */
  widowTitles?: Array<{ page: number; anchorId?: string; text: string }>;
  /** (engine) Articles whose paginated text is shorter than their source: Paged.js dropped content */
  lostText?: Array<{ anchorId: string; sourceChars: number; pagedChars: number }>;
  /** (engine) Bookmarks: every section (level 0) and article (level 1) with the page it starts on */
  outline?: Array<{ title: string; page: number; level: 0 | 1 }>;
  /** (engine) Non-space characters of the source that no page shows (0 when nothing was dropped) */
  missingChars?: number;
  /** (engine) Text drawn with a font that is not one of the layout's own (@font-face) fonts, per page */
  fallbackFonts?: Array<{ familyName: string; page: number; anchorId?: string; glyphCount: number; characters?: string[] }>;
  /** (engine) One JPEG per final page (trim area, 240 px wide), when thumbnails were asked for */
  thumbnails?: Uint8Array[];
}

/** (engine) An image where Paged.js put it: page, size on paper, pixel size. */
export interface PlacedImage {
  src: string;
  page: number;
  anchorId?: string;
  naturalWidth: number;
  naturalHeight: number;
  widthMm: number;
  heightMm: number;
  /** The file did not load (missing, blocked or undecodable) */
  broken: boolean;
}

export interface BuiltPdf {
  name: 'print.pdf' | 'screen.pdf' | 'cover.pdf';
  bytes: Uint8Array;
  pages: number;
}

export interface BuildResult {
  outDir: string;
  files: Array<{ name: string; bytes: number; sha256: string; pages?: number }>;
  findings: Finding[];
  pages: number;
  /** 0 ok, 1 preflight errors */
  exitCode: 0 | 1;
}
