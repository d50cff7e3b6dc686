/**
 * PaginatedIssue → print.pdf + screen.pdf with pdf-lib. Chromium printed every page once at trim + bleed;
 *   print.pdf: MediaBox grown by a slug for crop marks drawn outside the bleed, BleedBox and TrimBox
 *              exact and anchored at the top-left, metadata, page labels;
 *   screen.pdf: the same pages cut to the trim (no bleed, no marks), bookmarks per section and article,
 *              page labels, photos down-sampled.
 */
import { PDFDocument, type PDFPage } from 'pdf-lib';
import type { BuiltPdf, IssuePlan, PaginatedIssue } from './model.ts';
import { DEFAULT_SLUG_MM, drawCropMarks, printBoxes, setBox, type PrintGeometry, type Rect } from './pdf-boxes.ts';
import { fontsNotEmbedded } from './pdf-fonts.ts';
import { downsampleImages, type DownsampleReport } from './pdf-images.ts';
import { addOutline, addPageLabels } from './pdf-outline.ts';
import { issueTitle } from './render-html.ts';

export type Profile = 'print' | 'screen' | 'all';

export interface PostprocessOptions {
  profile: Profile;
  /** Build time (creation/modification dates) */
  now: Date;
  /** e.g. "bantin 0.1.0 (Paged.js 0.4.3, Chromium 156, pdf-lib 1.17.1)" */
  producer: string;
}

export interface PostprocessResult {
  print?: BuiltPdf;
  screen?: BuiltPdf;
  /** Fonts used but not embedded, per PDF name */
  notEmbedded: Array<{ pdf: string; font: string }>;
  /** Pages whose printed size differs from trim + 2 × bleed by more than Chromium's rounding */
  sizeMismatches: Array<{ page: number; widthMm: number; heightMm: number }>;
  screenImages?: DownsampleReport;
}

/** Chromium rounds page sizes to about a point; anything larger means the layout's @page size is not the trim. */
const SIZE_TOLERANCE_PT = 2;

export async function postprocess(paginated: PaginatedIssue, plan: IssuePlan, opts: PostprocessOptions): Promise<PostprocessResult> {
  const geometry: PrintGeometry = { trimWidthMm: plan.trim.widthMm, trimHeightMm: plan.trim.heightMm, bleedMm: plan.bleedMm, slugMm: DEFAULT_SLUG_MM };
  const wantPrint = opts.profile !== 'screen';
  const wantScreen = opts.profile !== 'print';
  // Screen first: its photos are resampled by sharp on libuv's threads while this thread makes print.pdf.
  const [screen, print] = await Promise.all([
    // The page sizes are checked once, on print.pdf when it is made (both come from the same pages).
    wantScreen ? screenPdf(paginated, plan, opts, geometry, !wantPrint) : undefined,
    wantPrint ? printPdf(paginated, plan, opts, geometry) : undefined,
  ]);
  return {
    print: print?.pdf,
    screen: screen?.pdf,
    notEmbedded: [...(print?.notEmbedded ?? []), ...(screen?.notEmbedded ?? [])],
    sizeMismatches: print?.sizeMismatches ?? screen?.sizeMismatches ?? [],
    screenImages: screen?.images,
  };
}

interface OnePdf {
  pdf: BuiltPdf;
  notEmbedded: PostprocessResult['notEmbedded'];
  sizeMismatches: PostprocessResult['sizeMismatches'];
}

async function printPdf(paginated: PaginatedIssue, plan: IssuePlan, opts: PostprocessOptions, geometry: PrintGeometry): Promise<OnePdf> {
  const doc = await PDFDocument.load(paginated.printPdfBytes, { updateMetadata: false });
  const mismatches = sizeMismatches(doc.getPages(), geometry);
  for (const page of doc.getPages()) makePrintPage(page, geometry);
  finishDocument(doc, plan, opts);
  const notEmbedded = fontsNotEmbedded(doc).map((font) => ({ pdf: 'print.pdf', font }));
  return { pdf: { name: 'print.pdf', bytes: await doc.save(), pages: doc.getPageCount() }, notEmbedded, sizeMismatches: mismatches };
}

async function screenPdf(paginated: PaginatedIssue, plan: IssuePlan, opts: PostprocessOptions, geometry: PrintGeometry, checkSizes: boolean): Promise<OnePdf & { images: DownsampleReport }> {
  const doc = await PDFDocument.load(paginated.screenPdfBytes, { updateMetadata: false });
  const mismatches = checkSizes ? sizeMismatches(doc.getPages(), geometry) : [];
  for (const page of doc.getPages()) makeScreenPage(page, geometry);
  const images = await downsampleImages(doc, paginated.images ?? []);
  addOutline(doc, paginated.outline ?? []);
  finishDocument(doc, plan, opts);
  const notEmbedded = fontsNotEmbedded(doc).map((font) => ({ pdf: 'screen.pdf', font }));
  return { pdf: { name: 'screen.pdf', bytes: await doc.save(), pages: doc.getPageCount() }, notEmbedded, sizeMismatches: mismatches, images };
}

function printedRect(page: PDFPage): Rect {
  const box = page.getMediaBox();
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

function makePrintPage(page: PDFPage, g: PrintGeometry): void {
  const { media, bleed, trim } = printBoxes(printedRect(page), g);
  setBox(page, 'media', media);
  setBox(page, 'crop', media);
  setBox(page, 'bleed', bleed);
  setBox(page, 'trim', trim);
  setBox(page, 'art', trim);
  drawCropMarks(page, trim, g.bleedMm);
}

function makeScreenPage(page: PDFPage, g: PrintGeometry): void {
  const { trim } = printBoxes(printedRect(page), g);
  for (const box of ['media', 'crop', 'bleed', 'trim', 'art'] as const) setBox(page, box, trim);
}

function sizeMismatches(pages: PDFPage[], g: PrintGeometry): PostprocessResult['sizeMismatches'] {
  const w = ((g.trimWidthMm + 2 * g.bleedMm) * 72) / 25.4;
  const h = ((g.trimHeightMm + 2 * g.bleedMm) * 72) / 25.4;
  return pages.flatMap((p, i) => {
    const { width, height } = p.getMediaBox();
    return Math.abs(width - w) > SIZE_TOLERANCE_PT || Math.abs(height - h) > SIZE_TOLERANCE_PT
      ? [{ page: i + 1, widthMm: (width * 25.4) / 72, heightMm: (height * 25.4) / 72 }]
      : [];
  });
}

function finishDocument(doc: PDFDocument, plan: IssuePlan, opts: PostprocessOptions): void {
  const year = plan.date.slice(0, 4);
  doc.setTitle(issueTitle(plan), { showInWindowTitleBar: true });
  doc.setAuthor(plan.bulletin.publisher);
  doc.setSubject(`${plan.bulletin.name} – số ${plan.number}, tháng ${Number(plan.date.slice(5, 7))}/${year}; ${plan.bulletin.publisher}`);
  doc.setKeywords(['bản tin', plan.bulletin.name, `số ${plan.number}/${year}`, ...plan.sections.map((s) => s.title)]);
  doc.setCreator('bantin');
  doc.setProducer(opts.producer);
  doc.setCreationDate(opts.now);
  doc.setModificationDate(opts.now);
  doc.setLanguage('vi');
  addPageLabels(doc);
}
