/**
 * Preflight: everything a print shop or the law would reject, found before anyone prints. Pure: it reads
 * the plan, what pagination saw and what post-processing produced, and returns findings. Every finding
 * names the article (and its source file) and page where there is one, and says how to fix it.
 */
import { foldForSearch } from '../domain/vi-text.ts';
import type { LegalProfile } from '../domain/legal-profile.ts';
import type { Finding, IssuePlan, PaginatedIssue, PlacedImage } from './model.ts';
import type { PostprocessResult, Profile } from './postprocess.ts';

/** Print convention: photos need 300 ppi on paper; below 150 they visibly pixelate. */
export const PPI_WARN = 300;
export const PPI_ERROR = 150;
/** A page inside a section filled less than this is a hole a proofreader sends back. */
export const UNDERFILLED_BELOW = 0.6;
/** The last page of a section filled less than this carries only a few stray lines. */
export const NEARLY_EMPTY_BELOW = 0.2;

export interface PreflightOptions {
  profile: Profile;
  legal: LegalProfile;
  /** The build date, for licence expiry */
  today: string;
  /** Build for print even with an expired licence (an editor's explicit decision) */
  allowExpiredLicence?: boolean;
}

interface ArticleRef {
  title: string;
  source: string;
}

export function preflight(plan: IssuePlan, paginated: PaginatedIssue, pdfs: PostprocessResult, opts: PreflightOptions): Finding[] {
  const articles = new Map<string, ArticleRef>();
  for (const s of plan.sections) for (const a of s.articles) articles.set(a.id, { title: a.title, source: a.source });
  const about = (anchorId: string | undefined): Pick<Finding, 'article' | 'file'> => {
    const a = anchorId ? articles.get(anchorId) : undefined;
    return a ? { article: a.title, file: a.source } : {};
  };
  const pages = paginated.pages.length;
  const added = new Set(paginated.addedPages);

  return [
    ...plan.findings,
    ...legalFindings(plan, pages, opts),
    ...licenceFindings(plan, opts),
    ...paginated.pages.flatMap((p) =>
      p.overflow.map((o): Finding => ({
        severity: 'error',
        code: 'overflow',
        message: `Content is cut off on page ${p.number}: ${o.description}`,
        fix: 'Make the image or table smaller than the page area (resize the photo, split the table, or shorten the box) so nothing is clipped.',
        page: p.number,
        ...about(o.anchorId),
      })),
    ),
    ...(paginated.lostText ?? []).map((l): Finding => ({
      severity: 'error',
      code: 'content-lost',
      message: `Pagination dropped ${l.sourceChars - l.pagedChars} of ${l.sourceChars} characters of this article`,
      fix: 'An element is taller than a page or cannot be split; shorten or split it so the whole text is printed.',
      page: lastPageOf(paginated, l.anchorId),
      ...about(l.anchorId),
    })),
    ...((paginated.missingChars ?? 0) > 0 && (paginated.lostText ?? []).length === 0
      ? [{ severity: 'error', code: 'content-lost', message: `Pagination dropped ${paginated.missingChars} characters outside the articles`, fix: 'Check the front matter and colophon for elements taller than a page.' } satisfies Finding]
      : []),
    ...(paginated.fallbackFonts ?? []).map((f): Finding => ({
      severity: 'error',
      code: 'fallback-font',
      message: `${f.glyphCount} glyph(s) on page ${f.page} were drawn with the system font "${f.familyName}" because the layout fonts lack them${describeCharacters(f.characters)}`,
      fix: 'Replace the unusual characters (symbols, emoji, non-Vietnamese scripts) or add a layout font that covers them.',
      page: f.page,
      ...about(f.anchorId),
    })),
    ...pdfs.notEmbedded.map((n): Finding => ({
      severity: 'error',
      code: 'font-not-embedded',
      message: `${n.pdf} uses the font ${n.font} without embedding it`,
      fix: 'Use only the layout fonts from fonts/ (they are always embedded).',
    })),
    ...pdfs.sizeMismatches.map((m): Finding => ({
      severity: 'error',
      code: 'page-size',
      message: `Page ${m.page} was printed ${m.widthMm.toFixed(1)} × ${m.heightMm.toFixed(1)} mm, not trim + bleed ${plan.trim.widthMm + 2 * plan.bleedMm} × ${plan.trim.heightMm + 2 * plan.bleedMm} mm`,
      fix: 'The layout @page size must equal the trim in issue.yaml.',
      page: m.page,
    })),
    ...tocFindings(paginated, about),
    ...(paginated.images ?? []).flatMap((im) => imageFindings(im, opts.profile, about)),
    ...plan.sections
      .filter((s) => s.articles.length === 0)
      .map((s): Finding => ({
        severity: 'warning',
        code: 'empty-section',
        message: `Section "${s.title}" has no articles`,
        fix: 'Add articles to it or remove it from issue.yaml.',
        page: paginated.anchorPages[s.id],
      })),
    ...pageFillFindings(plan, paginated, about),
    ...(paginated.widowTitles ?? [])
      .filter((w) => !added.has(w.page))
      .map((w): Finding => ({
        severity: 'warning',
        code: 'widow-title',
        message: `The heading "${w.text}" is the last line of page ${w.page}; its text starts on the next page`,
        fix: 'Shorten the text before it or move the article so the heading stays with its text.',
        page: w.page,
        ...about(w.anchorId),
      })),
    ...paginated.blockedRequests.map((url): Finding => {
      const owner = plan.sections.flatMap((s) => s.articles).find((a) => a.bodyHtml.includes(url));
      return {
        severity: 'error',
        code: 'blocked-resource',
        message: `Chromium was refused ${url}: only files inside the issue directory may be loaded`,
        fix: 'Copy the file into the issue directory and reference it by a relative path.',
        ...(owner ? { article: owner.title, file: owner.source } : {}),
      };
    }),
    ...(paginated.addedPages.length > 0
      ? [{
          severity: 'info',
          code: 'pages-added',
          message: `Added ${paginated.addedPages.length} "Ghi chú" page(s) (${rangeText(paginated.addedPages)}) before the colophon so the page count (${pages}) is a multiple of 4 for saddle stitching`,
          fix: 'Add or cut content if you prefer no notes pages.',
        } satisfies Finding]
      : []),
  ];
}

function legalFindings(plan: IssuePlan, pages: number, opts: PreflightOptions): Finding[] {
  const out: Finding[] = [];
  const { maxTrimMm, maxPages, source } = opts.legal;
  if (plan.trim.widthMm > maxTrimMm.width || plan.trim.heightMm > maxTrimMm.height) {
    out.push({
      severity: 'error',
      code: 'trim-too-large',
      message: `Trim ${plan.trim.widthMm} × ${plan.trim.heightMm} mm exceeds the legal maximum ${maxTrimMm.width} × ${maxTrimMm.height} mm (${source})`,
      fix: `Set trim in issue.yaml to at most ${maxTrimMm.width}mm × ${maxTrimMm.height}mm.`,
    });
  }
  if (pages > maxPages) {
    out.push({
      severity: 'error',
      code: 'too-many-pages',
      message: `The issue has ${pages} pages; a bản tin may have at most ${maxPages} (${source})`,
      fix: 'Move articles to the next issue or shorten them.',
    });
  }
  if (!opts.legal.advertisingAllowed) {
    const titles = plan.sections.flatMap((s) => [{ title: s.title, file: undefined as string | undefined }, ...s.articles.map((a) => ({ title: a.title, file: a.source }))]);
    for (const t of titles) {
      if (opts.legal.advertisingMarkers.some((m) => foldForSearch(t.title).includes(m))) {
        out.push({ severity: 'error', code: 'advertising', message: `"${t.title}" looks like advertising, which a bản tin may not carry (${source})`, fix: 'Remove the advertising.', ...(t.file ? { file: t.file, article: t.title } : {}) });
      }
    }
  }
  if (!(plan.printRun > 0) && !plan.findings.some((f) => f.code === 'colophon-missing')) {
    out.push({ severity: 'error', code: 'colophon-missing', message: 'The colophon lacks the print run (printRun)', fix: 'Set printRun in issue.yaml.' });
  }
  return out;
}

function licenceFindings(plan: IssuePlan, opts: PreflightOptions): Finding[] {
  if (plan.findings.some((f) => f.code.startsWith('licence-'))) return [];
  const expires = plan.bulletin.licence.expires;
  if (!expires) {
    return [{ severity: 'warning', code: 'licence-no-expiry', message: 'The publishing licence has no expiry date recorded', fix: 'Add bulletin.licence.expires so bantin can warn before it lapses.' }];
  }
  const today = opts.today;
  if (expires < today || expires < plan.date) {
    const printing = opts.profile !== 'screen';
    const blocking = printing && !opts.allowExpiredLicence;
    return [{
      severity: blocking ? 'error' : 'warning',
      code: 'licence-expired',
      message: `The publishing licence ${plan.bulletin.licence.number} expired on ${expires}${blocking ? '; printing an issue under an expired licence is not allowed' : ''}`,
      fix: 'Renew the licence and update bulletin.licence in bulletin.yaml (or pass --allow-expired-licence if the renewal is on record).',
    }];
  }
  const days = Math.round((Date.parse(expires) - Date.parse(today)) / 86_400_000);
  if (days <= opts.legal.licenceWarnDays) {
    return [{ severity: 'warning', code: 'licence-expiring', message: `The publishing licence expires in ${days} day(s), on ${expires}`, fix: 'Start the renewal now.' }];
  }
  return [];
}

function tocFindings(paginated: PaginatedIssue, about: (id: string | undefined) => Pick<Finding, 'article' | 'file'>): Finding[] {
  const out: Finding[] = [];
  for (const [anchor, printed] of Object.entries(paginated.tocNumbers)) {
    const real = paginated.anchorPages[anchor];
    if (real === undefined) {
      out.push({ severity: 'error', code: 'toc-target-missing', message: `The table of contents points to "#${anchor}", which is on no page`, fix: 'Check the article ids in the layout.', ...about(anchor) });
    } else if (real !== printed) {
      out.push({ severity: 'error', code: 'toc-page-mismatch', message: `The table of contents says page ${printed}, but it starts on page ${real}`, fix: 'Rebuild; if it persists, the layout\'s TOC numbering is wrong.', page: real, ...about(anchor) });
    }
  }
  return out;
}

/**
 * Holes a proofreader sends back: a page left mostly empty inside a section because what comes next (a
 * photo, a table, an article head that must stay with its first lines) did not fit, and the last page of a
 * section carrying only a few stray lines. Pages without a fill measurement are not judged.
 */
function pageFillFindings(plan: IssuePlan, paginated: PaginatedIssue, about: (id: string | undefined) => Pick<Finding, 'article' | 'file'>): Finding[] {
  const sections = new Map(plan.sections.map((s) => [s.id, s]));
  const added = new Set(paginated.addedPages);
  const articleIds = new Set(plan.sections.flatMap((s) => s.articles.map((a) => a.id)));
  const out: Finding[] = [];
  paginated.pages.forEach((page, i) => {
    const section = sections.get(page.chunkId);
    if (!section || page.fill === undefined || added.has(page.number)) return;
    const next = paginated.pages[i + 1];
    const percent = Math.round(page.fill * 100);
    if (next && next.chunkId === page.chunkId) {
      if (page.fill >= UNDERFILLED_BELOW) return;
      // What did not fit: an article starting on the next page, or more of the one that ends this page.
      const culprit = next.anchors.find((a) => articleIds.has(a)) ?? page.lastArticle;
      out.push({
        severity: 'warning',
        code: 'page-underfilled',
        message: `Page ${page.number} is only ${percent} % filled: what follows on page ${next.number} did not fit under it`,
        fix: `Make the photo or table at the top of page ${next.number} smaller or move it further into the text, or shorten the text before it, so page ${page.number} fills.`,
        page: page.number,
        ...about(culprit),
      });
    } else if (page.fill < NEARLY_EMPTY_BELOW && page.anchors.length === 0) {
      out.push({
        severity: 'warning',
        code: 'page-nearly-empty',
        message: `Page ${page.number}, the last of section "${section.title}", carries only ${percent} % of a page of text`,
        fix: `Shorten the article by about ${percent} % of a page so the section ends on page ${page.number - 1}, or add a photo or text to fill page ${page.number}.`,
        page: page.number,
        ...about(page.lastArticle),
      });
    }
  });
  return out;
}

function imageFindings(im: PlacedImage, profile: Profile, about: (id: string | undefined) => Pick<Finding, 'article' | 'file'>): Finding[] {
  if (im.broken) {
    return [{ severity: 'error', code: 'image-missing', message: `The image ${im.src} could not be loaded on page ${im.page}`, fix: 'Check that the file exists in the issue directory and is a valid JPEG/PNG.', page: im.page, ...about(im.anchorId) }];
  }
  if (im.widthMm <= 0 || im.naturalWidth <= 0) return [];
  const ppi = Math.round(im.naturalWidth / (im.widthMm / 25.4));
  const neededPx = Math.ceil((im.widthMm / 25.4) * PPI_WARN);
  if (ppi < PPI_ERROR) {
    return [{
      severity: profile === 'screen' ? 'warning' : 'error',
      code: 'image-low-ppi',
      message: `The image ${im.src} prints at ${ppi} ppi on page ${im.page} (${im.naturalWidth} px over ${im.widthMm.toFixed(0)} mm); below ${PPI_ERROR} ppi it pixelates`,
      fix: `Use a version at least ${neededPx} px wide, or print it smaller.`,
      page: im.page,
      ...about(im.anchorId),
    }];
  }
  if (ppi < PPI_WARN) {
    return [{
      severity: 'warning',
      code: 'image-low-ppi',
      message: `The image ${im.src} prints at ${ppi} ppi on page ${im.page}; ${PPI_WARN} ppi is the print standard`,
      fix: `Use a version at least ${neededPx} px wide, or print it smaller.`,
      page: im.page,
      ...about(im.anchorId),
    }];
  }
  return [];
}

function lastPageOf(paginated: PaginatedIssue, anchorId: string): number | undefined {
  const start = paginated.anchorPages[anchorId];
  if (start === undefined) return undefined;
  const later = Object.values(paginated.anchorPages).filter((p) => p > start);
  return later.length > 0 ? Math.min(...later) : start;
}

function rangeText(pages: number[]): string {
  const first = pages[0];
  const last = pages.at(-1);
  if (first === undefined || last === undefined) return '';
  return first === last ? `page ${first}` : `pages ${first}–${last}`;
}

/** `: "↑" (U+2191), "★" (U+2605)`, so the editor can find and replace them. */
function describeCharacters(chars: string[] | undefined): string {
  if (!chars || chars.length === 0) return '';
  const shown = chars.slice(0, 8).map((c) => `"${c}" (${[...c].map((cp) => `U+${(cp.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ')})`);
  return `: ${shown.join(', ')}${chars.length > 8 ? `, and ${chars.length - 8} more` : ''}`;
}
