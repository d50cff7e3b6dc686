/**
 * Stage 2 of `bantin build`: IssuePlan → RenderedIssue (HTML chunks + CSS), pure given a loaded Layout.
 * One chunk per part that starts on a new page (front: masthead + TOC; one per section; back: colophon),
 * so the engine may paginate chunks separately and stitch them.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMonthVi } from '../domain/vi-text.ts';
import { wrapColumnRuns } from './column-runs.ts';
import { loadLayout, type Layout, type LayoutSource } from './layout.ts';
import type { IssuePlan, PlannedSection, RenderedChunk, RenderedIssue, TocEntry } from './model.ts';

/** Page margins in mm; the running head sits in the top margin, the folio in the bottom one. */
const MARGINS = { top: 21, bottom: 19, inside: 18, outside: 15 };

const FONT_FILES = [
  { family: 'Noto Serif', file: 'NotoSerif-Regular.ttf', weight: 400, style: 'normal' },
  { family: 'Noto Serif', file: 'NotoSerif-Italic.ttf', weight: 400, style: 'italic' },
  { family: 'Noto Serif', file: 'NotoSerif-Bold.ttf', weight: 700, style: 'normal' },
  { family: 'Noto Serif', file: 'NotoSerif-BoldItalic.ttf', weight: 700, style: 'italic' },
  { family: 'Noto Sans', file: 'NotoSans-Regular.ttf', weight: 400, style: 'normal' },
  { family: 'Noto Sans', file: 'NotoSans-Italic.ttf', weight: 400, style: 'italic' },
  { family: 'Noto Sans', file: 'NotoSans-Bold.ttf', weight: 700, style: 'normal' },
  { family: 'Noto Sans', file: 'NotoSans-BoldItalic.ttf', weight: 700, style: 'italic' },
] as const;

/**
 * The TOC stays on page 1 under the masthead: above COMPACT_AFTER lines it is set a little tighter, above
 * DENSE_AFTER lines tightest (a 64-page issue: ~35 lines). The sample issue's 25 lines set dense filled only
 * two thirds of page 1.
 */
const TOC_COMPACT_AFTER = 18;
const TOC_DENSE_AFTER = 30;

function tocClass(lines: number): string {
  if (lines > TOC_DENSE_AFTER) return 'toc-dense';
  return lines > TOC_COMPACT_AFTER ? 'toc-compact' : '';
}

/** Font families the standard layout draws text with; anything else on a page is a fallback. */
export const LAYOUT_FONT_FAMILIES = ['Noto Serif', 'Noto Sans'] as const;

/**
 * Renders with a layout: either an already loaded Layout (pure), or where to load it from
 * (`{ layoutsDir, fontsDir }`, read once per call; the layout named by `plan.layout`).
 */
export function renderHtml(plan: IssuePlan, layout: Layout | LayoutSource): RenderedIssue {
  const loaded = 'templates' in layout ? layout : loadLayout(layout, plan.layout);
  return renderWithLayout(plan, loaded);
}

/** "Số 11 – Tháng 11/2026" */
export function issueLabel(plan: Pick<IssuePlan, 'number' | 'date'>): string {
  return `Số ${plan.number} – ${formatMonthVi(plan.date)}`;
}

/** "Bản tin Thông báo Nội bộ số 11/2026" — document title and PDF Info Title. */
export function issueTitle(plan: Pick<IssuePlan, 'number' | 'date' | 'bulletin'>): string {
  return `Bản tin ${plan.bulletin.name} số ${plan.number}/${plan.date.slice(0, 4)}`;
}

function renderWithLayout(plan: IssuePlan, layout: Layout): RenderedIssue {
  const label = issueLabel(plan);
  const tocLines = plan.sections.reduce((n, s) => n + 1 + s.articles.length, 0);
  const context = { ...plan, issueLabel: label, tocClass: tocClass(tocLines) };
  const chunks: RenderedChunk[] = [
    { id: 'front', kind: 'front', html: layout.templates.front(context) },
    ...plan.sections.map((section): RenderedChunk => ({
      id: section.id,
      kind: 'section',
      html: wrapColumnRuns(layout.templates.section({ ...withWideFigures(section, textWidthMm(plan)), plan: context })),
    })),
    { id: 'back', kind: 'back', html: layout.templates.back(context) },
  ];
  return {
    baseDir: plan.dir,
    css: layout.templates.printCss(cssContext(plan, layout, label)),
    fontsDir: layout.fontsDir,
    chunks,
    notesPageHtml: layout.templates.notes(context),
    toc: tocEntries(plan),
    title: issueTitle(plan),
    lang: 'vi',
    pagedHandlers: layout.pagedHandlers,
  };
}

/** Landscape photos at least this much wider than tall may span both columns… */
const WIDE_MIN_ASPECT = 1.3;
/** …if they still print at the print standard over the full text width. */
const WIDE_MIN_PPI = 300;

function textWidthMm(plan: IssuePlan): number {
  return plan.trim.widthMm - MARGINS.inside - MARGINS.outside;
}

/**
 * In two-column sections a landscape photo with pixels enough for the full text width is marked
 * `wide` and spans both columns (print.css), instead of printing at column width.
 */
function withWideFigures(section: PlannedSection, widthMm: number): PlannedSection {
  if (section.columns !== 2) return section;
  const articles = section.articles.map((article) => {
    const wide = new Set(
      article.images
        .filter((im) => im.widthPx / im.heightPx >= WIDE_MIN_ASPECT && (im.widthPx / widthMm) * 25.4 >= WIDE_MIN_PPI)
        .map((im) => im.src),
    );
    if (wide.size === 0) return article;
    const bodyHtml = article.bodyHtml.replace(/<figure>(\s*<img\b[^>]*\bsrc="([^"]*)")/g, (all, rest: string, src: string) =>
      wide.has(decodeEntities(src)) ? `<figure class="wide">${rest}` : all,
    );
    return { ...article, bodyHtml };
  });
  return { ...section, articles };
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

function cssContext(plan: IssuePlan, layout: Layout, label: string): object {
  const contentHeight = plan.trim.heightMm - MARGINS.top - MARGINS.bottom;
  return {
    trim: plan.trim,
    margins: MARGINS,
    runningHead: `${plan.bulletin.name} · ${label}`,
    runningHeadPrefix: `${plan.bulletin.name} · ${label} · `,
    fonts: FONT_FILES.map((f) => ({ ...f, url: pathToFileURL(path.join(layout.fontsDir, f.file)).href })),
    // A photo with its caption must fit one column of one page, or Paged.js would cut it.
    imageMaxHeightMm: Math.floor(contentHeight * 0.62),
    // The colophon page is a flex column as tall as the page area, pushing the colophon to the bottom;
    // a little short of it so rounding never spills an empty extra page.
    backHeightMm: Math.floor(contentHeight - 4),
    notesLinesHeightMm: Math.floor(contentHeight - 22),
  };
}

function tocEntries(plan: IssuePlan): TocEntry[] {
  return plan.sections.flatMap((s): TocEntry[] => [
    { kind: 'section', title: s.title, anchorId: s.id, sectionId: s.id },
    ...s.articles.map((a): TocEntry => ({ kind: 'article', title: a.title, anchorId: a.id, articleId: a.id, sectionId: s.id })),
  ]);
}
