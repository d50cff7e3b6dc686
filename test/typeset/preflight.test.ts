/**
 * Preflight rules on their own (pure: plan + page map + PDF facts → findings). The browser-backed
 * findings (overflow, blocked requests, fallback fonts) are proven in paginate/build tests.
 */
import { describe, expect, it } from 'vitest';
import { PRESS_LAW_BULLETIN } from '../../src/domain/legal-profile.ts';
import type { IssuePlan, PageInfo, PaginatedIssue } from '../../src/typeset/model.ts';
import type { PostprocessResult } from '../../src/typeset/postprocess.ts';
import { preflight, type PreflightOptions } from '../../src/typeset/preflight.ts';
import { makePlan, smallSections } from '../fixtures/rendered-issue.ts';

function pages(n: number, anchors: Record<number, string[]> = {}): PageInfo[] {
  return Array.from({ length: n }, (_, i) => ({ number: i + 1, chunkId: 'x', anchors: anchors[i + 1] ?? [], overflow: [] }));
}

function paginated(over: Partial<PaginatedIssue> = {}): PaginatedIssue {
  return {
    pages: pages(8, { 2: ['s-1', 'a-nghi-quyet'], 3: ['a-chi-thi'], 4: ['s-2', 'a-guong'] }),
    addedPages: [],
    anchorPages: { 's-1': 2, 'a-nghi-quyet': 2, 'a-chi-thi': 3, 's-2': 4, 'a-guong': 4 },
    tocNumbers: { 's-1': 2, 'a-nghi-quyet': 2, 'a-chi-thi': 3, 's-2': 4, 'a-guong': 4 },
    blockedRequests: [],
    printPdfBytes: new Uint8Array(),
    screenPdfBytes: new Uint8Array(),
    ...over,
  };
}

const pdfs: PostprocessResult = { notEmbedded: [], sizeMismatches: [] };
const opts: PreflightOptions = { profile: 'all', legal: PRESS_LAW_BULLETIN, today: '2026-11-10' };

function plan(over: Partial<IssuePlan> = {}): IssuePlan {
  return { ...makePlan('/tmp/issue', smallSections()), ...over };
}

function codes(findings: ReturnType<typeof preflight>, severity = 'error'): string[] {
  return findings.filter((f) => f.severity === severity).map((f) => f.code);
}

describe('preflight', () => {
  it('finds nothing wrong with a clean issue', () => {
    expect(codes(preflight(plan(), paginated(), pdfs, opts))).toEqual([]);
  });

  it('enforces the legal profile: trim above 190 × 270 mm and more than 64 pages are errors', () => {
    const f = preflight(plan({ trim: { widthMm: 210, heightMm: 297 } }), paginated({ pages: pages(68) }), pdfs, opts);
    expect(codes(f)).toEqual(expect.arrayContaining(['trim-too-large', 'too-many-pages']));
    expect(f.find((x) => x.code === 'trim-too-large')?.message).toContain('190 × 270');
    expect(f.find((x) => x.code === 'too-many-pages')?.message).toContain('68 pages');
  });

  it('refuses an expired licence for print, unless explicitly allowed; warns before expiry', () => {
    const expired = plan({ bulletin: { ...plan().bulletin, licence: { number: '01/GP', date: '2024-01-01', issuer: 'Sở', expires: '2026-10-31' } } });
    expect(codes(preflight(expired, paginated(), pdfs, opts))).toContain('licence-expired');
    expect(codes(preflight(expired, paginated(), pdfs, { ...opts, allowExpiredLicence: true }), 'warning')).toContain('licence-expired');
    expect(codes(preflight(expired, paginated(), pdfs, { ...opts, profile: 'screen' }), 'warning')).toContain('licence-expired');
    const soon = plan({ bulletin: { ...plan().bulletin, licence: { number: '01/GP', date: '2024-01-01', issuer: 'Sở', expires: '2026-12-01' } } });
    expect(codes(preflight(soon, paginated(), pdfs, opts), 'warning')).toContain('licence-expiring');
  });

  it('names the article and page when a TOC number differs from the real start page', () => {
    const f = preflight(plan(), paginated({ tocNumbers: { 'a-chi-thi': 4 } }), pdfs, opts).find((x) => x.code === 'toc-page-mismatch');
    expect(f).toMatchObject({ severity: 'error', article: 'Chỉ thị về công tác tuyên giáo', file: 'articles/a-chi-thi.md', page: 3 });
    expect(f?.message).toContain('page 4');
  });

  it('rates photos by effective resolution: under 150 ppi is an error for print, under 300 a warning', () => {
    const image = (naturalWidth: number) => ({ src: 'images/x.jpg', page: 3, anchorId: 'a-chi-thi', naturalWidth, naturalHeight: 100, widthMm: 100, heightMm: 50, broken: false });
    const low = preflight(plan(), paginated({ images: [image(500)] }), pdfs, opts).find((x) => x.code === 'image-low-ppi');
    expect(low).toMatchObject({ severity: 'error', page: 3, article: 'Chỉ thị về công tác tuyên giáo' });
    expect(low?.message).toContain('127 ppi');
    expect(low?.fix).toContain('1182 px');
    expect(preflight(plan(), paginated({ images: [image(500)] }), pdfs, { ...opts, profile: 'screen' }).find((x) => x.code === 'image-low-ppi')?.severity).toBe('warning');
    expect(preflight(plan(), paginated({ images: [image(900)] }), pdfs, opts).find((x) => x.code === 'image-low-ppi')?.severity).toBe('warning');
    expect(preflight(plan(), paginated({ images: [image(1300)] }), pdfs, opts).find((x) => x.code === 'image-low-ppi')).toBeUndefined();
  });

  it('reports fonts that are not embedded, pages of the wrong size, and dropped text as errors', () => {
    const f = preflight(
      plan(),
      paginated({ lostText: [{ anchorId: 'a-guong', sourceChars: 900, pagedChars: 700 }] }),
      { notEmbedded: [{ pdf: 'print.pdf', font: 'Arial' }], sizeMismatches: [{ page: 2, widthMm: 216, heightMm: 279 }] },
      opts,
    );
    expect(codes(f)).toEqual(expect.arrayContaining(['font-not-embedded', 'page-size', 'content-lost']));
    expect(f.find((x) => x.code === 'content-lost')).toMatchObject({ article: 'Người đảng viên ở ấp Ninh Trung', page: 4 });
  });

  it('warns about empty sections and headings left at a page bottom, but not on the added notes pages', () => {
    const p = plan();
    p.sections.push({ id: 's-3', title: 'Tin tức – sự kiện', columns: 2, articles: [] });
    const f = preflight(p, paginated({ addedPages: [6, 7], widowTitles: [{ page: 3, anchorId: 'a-chi-thi', text: 'Những điểm mới' }, { page: 6, text: 'Ghi chú' }] }), pdfs, opts);
    expect(codes(f, 'warning')).toEqual(expect.arrayContaining(['empty-section', 'widow-title']));
    expect(f.filter((x) => x.code === 'widow-title')).toHaveLength(1);
    expect(f.find((x) => x.code === 'pages-added')?.message).toContain('pages 6–7');
  });

  describe('page fill', () => {
    /** Page 1 front; section s-1 on pages 2–4, s-2 on pages 5–6, then two notes pages and the colophon. */
    const filled = (fills: number[], over: Partial<PageInfo>[] = []): PaginatedIssue => {
      const chunks = ['front', 's-1', 's-1', 's-1', 's-2', 's-2', 'notes', 'notes', 'back'];
      const anchors: Record<number, string[]> = { 2: ['s-1', 'a-nghi-quyet'], 4: ['a-chi-thi'], 5: ['s-2', 'a-guong'] };
      return paginated({
        pages: chunks.map((chunkId, i) => ({ number: i + 1, chunkId, anchors: anchors[i + 1] ?? [], overflow: [], fill: fills[i] ?? 0.1, ...over[i] })),
        addedPages: [7, 8],
        anchorPages: { 's-1': 2, 'a-nghi-quyet': 2, 'a-chi-thi': 4, 's-2': 5, 'a-guong': 5 },
        tocNumbers: { 's-1': 2, 'a-nghi-quyet': 2, 'a-chi-thi': 4, 's-2': 5, 'a-guong': 5 },
      });
    };
    const fillFindings = (p: PaginatedIssue) => preflight(plan(), p, pdfs, opts).filter((f) => f.code.startsWith('page-'));

    it('passes pages that are full, a section that ends part-way down its last page, and notes pages', () => {
      expect(fillFindings(filled([0.7, 0.98, 0.95, 0.45, 0.99, 0.5, 0.05, 0.05, 0.97])).filter((f) => f.severity !== 'info')).toEqual([]);
    });

    it('warns about a page left mostly empty inside a section, naming the article that did not fit', () => {
      // Page 3 ends 35 % down: the article starting on page 4 (its head and first lines) did not fit under it.
      const f = fillFindings(filled([0.7, 0.98, 0.35, 0.9, 0.99, 0.5, 0.05, 0.05, 0.97], [{}, {}, { lastArticle: 'a-nghi-quyet' }]));
      expect(f).toEqual([expect.objectContaining({ severity: 'warning', code: 'page-underfilled', page: 3, article: 'Chỉ thị về công tác tuyên giáo', file: 'articles/a-chi-thi.md' })]);
      expect(f[0]?.message).toContain('35 %');
      expect(f[0]?.fix).toContain('page 4');
    });

    it('names the article whose photo moved on when the next page continues it', () => {
      const f = fillFindings(filled([0.7, 0.4, 0.95, 0.9, 0.99, 0.5, 0.05, 0.05, 0.97], [{}, { lastArticle: 'a-nghi-quyet' }]));
      expect(f).toEqual([expect.objectContaining({ code: 'page-underfilled', page: 2, article: 'Nghị quyết về xây dựng Đảng' })]);
    });

    it('warns about the last page of a section carrying only a few stray lines', () => {
      const f = fillFindings(filled([0.7, 0.98, 0.95, 0.9, 0.99, 0.12, 0.05, 0.05, 0.97], [{}, {}, {}, {}, {}, { lastArticle: 'a-guong' }]));
      expect(f).toEqual([expect.objectContaining({ severity: 'warning', code: 'page-nearly-empty', page: 6, article: 'Người đảng viên ở ấp Ninh Trung' })]);
      expect(f[0]?.message).toContain('Gương chi bộ, đảng viên');
      expect(f[0]?.fix).toContain('ends on page 5');
    });
  });

  it('refuses advertising, which a bản tin may not carry', () => {
    const p = plan();
    p.sections.push({ id: 's-9', title: 'Quảng cáo', columns: 1, articles: [] });
    expect(codes(preflight(p, paginated(), pdfs, opts))).toContain('advertising');
  });
});
