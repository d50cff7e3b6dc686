/**
 * The engine's pagination stage against hand-made RenderedIssue fixtures (independent of the layout):
 * real Chromium, one browser for the file, real PDFs read back with poppler.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESS_LAW_BULLETIN } from '../../src/domain/legal-profile.ts';
import { BrowserHost } from '../../src/typeset/browser.ts';
import type { PaginatedIssue, RenderedIssue } from '../../src/typeset/model.ts';
import { paginate } from '../../src/typeset/paginate.ts';
import { postprocess } from '../../src/typeset/postprocess.ts';
import { preflight } from '../../src/typeset/preflight.ts';
import { makeIssueDir, makePlan, makeRendered, PARAGRAPHS, smallSections, type FixtureSection } from '../fixtures/rendered-issue.ts';

let browser: BrowserHost;
const tempDirs: string[] = [];

beforeAll(async () => {
  browser = await BrowserHost.launch({ timeoutMs: 60_000 });
});
afterAll(async () => {
  await browser.close();
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function run(rendered: RenderedIssue, documents?: number, messages: string[] = []): Promise<PaginatedIssue> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-work-'));
  tempDirs.push(workDir, rendered.baseDir);
  return paginate(rendered, browser, { bleedMm: 3, workDir, documents, onProgress: (e) => messages.push(e.message) });
}

/** Per page, the left edge (pt) of the leftmost word: where the content area starts on that page. */
function pageLeftEdges(bytes: Uint8Array): number[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-pdf-')), 'x.pdf');
  tempDirs.push(path.dirname(file));
  fs.writeFileSync(file, bytes);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  return html.split('<page ').slice(1).map((pg) => Math.min(...[...pg.matchAll(/xMin="([\d.]+)"/g)].map((m) => Number(m[1]))));
}

/** Sections of different lengths, so some documents end on odd pages and the next must start on a left page. */
function unevenSections(): FixtureSection[] {
  const para = (n: number) => Array.from({ length: n }, (_, i) => PARAGRAPHS[i % PARAGRAPHS.length] ?? '');
  return [9, 16, 5, 12, 7].map((n, i) => ({
    id: `s-${i + 1}`,
    title: `Chuyên mục ${i + 1}`,
    articles: [{ id: `a-${i + 1}`, title: `Bài viết số ${i + 1} của chuyên mục`, paragraphs: para(n) }],
  }));
}

function pdfPageTexts(bytes: Uint8Array): string[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-pdf-')), 'x.pdf');
  tempDirs.push(path.dirname(file));
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

describe('paginate', () => {
  it('pads to a multiple of 4 with notes pages placed before the colophon, which stays the last page', async () => {
    const dir = await makeIssueDir();
    const p = await run(makeRendered(dir, smallSections()));
    const total = p.pages.length;
    expect(total % 4).toBe(0);
    expect(p.pages.at(-1)?.chunkId).toBe('colophon');
    expect(p.addedPages.length).toBeGreaterThan(0);
    expect(p.addedPages.at(-1)).toBe(total - 1);
    for (const n of p.addedPages) expect(p.pages[n - 1]?.chunkId).toBe('notes');

    const texts = pdfPageTexts(p.printPdfBytes);
    expect(texts).toHaveLength(total);
    expect(texts.at(-1)).toContain('Giấy phép xuất bản số 05/GP-STTTT');
    for (const n of p.addedPages) expect(texts[n - 1]).toContain('Ghi chú');
    // Folios continue through the notes pages and the colophon.
    expect(texts.at(-1)?.trim().split(/\s+/).at(-1)).toBe(String(total));
  });

  it('gives the same pages whether the body is paginated as one document or cut into several', async () => {
    const sections = unevenSections();
    const dir = await makeIssueDir();
    // Left and right pages print different folios, so a document starting on the wrong side would show.
    const sided = () => {
      const r = makeRendered(dir, sections);
      r.css += '\n@page :left { @bottom-left { content: "trái " counter(page); } }\n@page :right { @bottom-right { content: "phải " counter(page); } }';
      return r;
    };
    const whole = await run(sided(), 1);
    const messages: string[] = [];
    const split = await run(sided(), 5, messages);
    // A section after the first starts on a left page, so its document, laid out as starting on a right
    // page, had to be paginated again: this layout prints different things on left and right pages.
    expect(['a-2', 'a-3', 'a-4', 'a-5'].some((a) => (whole.anchorPages[a] ?? 1) % 2 === 0)).toBe(true);
    expect(messages.some((m) => /again/.test(m))).toBe(true);
    expect(split.pages.length).toBe(whole.pages.length);
    expect(split.anchorPages).toEqual(whole.anchorPages);
    expect(split.tocNumbers).toEqual(whole.tocNumbers);
    expect(split.addedPages).toEqual(whole.addedPages);
    expect(split.pages.map((p) => p.chunkId)).toEqual(whole.pages.map((p) => p.chunkId));
    expect(new Set(Object.values(whole.anchorPages).map((n) => n % 2))).toEqual(new Set([0, 1]));
    // Same text on every page, running heads and folios included.
    // Same lines on every page, running heads and folios included (sorted: pdftotext's reading order of
    // two columns depends on sub-point positions, which the page's place in its document may shift).
    const lines = (bytes: Uint8Array) => pdfPageTexts(bytes).map((t) => t.split('\n').filter(Boolean).sort());
    expect(lines(split.printPdfBytes)).toEqual(lines(whole.printPdfBytes));
    pdfPageTexts(split.printPdfBytes).forEach((text, i) => expect(text).toContain(`${(i + 1) % 2 === 0 ? 'trái' : 'phải'} ${i + 1}`));
  });

  it('turns the pages of a document laid out on the wrong side when left and right pages only mirror their margins', async () => {
    const dir = await makeIssueDir();
    const mirrored = () => {
      const r = makeRendered(dir, unevenSections());
      r.css += '\n@page :left { margin-left: 24mm; margin-right: 12mm; }\n@page :right { margin-left: 12mm; margin-right: 24mm; }';
      return r;
    };
    const whole = await run(mirrored(), 1);
    const messages: string[] = [];
    const split = await run(mirrored(), 5, messages);
    expect(['a-2', 'a-3', 'a-4', 'a-5'].some((a) => (whole.anchorPages[a] ?? 1) % 2 === 0)).toBe(true);
    expect(messages.some((m) => /again/.test(m))).toBe(false);
    expect(split.anchorPages).toEqual(whole.anchorPages);
    expect(split.pages.length).toBe(whole.pages.length);
    const lines = (bytes: Uint8Array) => pdfPageTexts(bytes).map((t) => t.split('\n').filter(Boolean).sort());
    expect(lines(split.printPdfBytes)).toEqual(lines(whole.printPdfBytes));
    // Every page's text starts where it does when the whole body is one document: inside margins face the spine.
    const wholeEdges = pageLeftEdges(whole.printPdfBytes);
    const splitEdges = pageLeftEdges(split.printPdfBytes);
    splitEdges.forEach((x, i) => expect(Math.abs(x - (wholeEdges[i] ?? 0))).toBeLessThan(0.5));
    expect(Math.abs((wholeEdges[1] ?? 0) - (wholeEdges[2] ?? 0))).toBeGreaterThan(20);
  });

  it('gives the same pages with Paged.js\' own overflow checks after every node as with bantin\'s deferred ones', async () => {
    const dir = await makeIssueDir([{ name: 'photo.jpg', widthPx: 900, heightPx: 600 }]);
    const table = '<table><thead><tr><th>Đơn vị</th><th>Đảng viên</th></tr></thead><tbody>' +
      Array.from({ length: 30 }, (_, i) => `<tr><td>Chi bộ ấp ${i + 1}</td><td>${20 + i}</td></tr>`).join('') + '</tbody></table>';
    const sections = unevenSections();
    const withExtras = sections.map((s, i) => ({
      ...s,
      articles: s.articles.map((a) => ({ ...a, extraHtml: i % 2 === 0 ? '<figure><img src="images/photo.jpg" style="width: 100%"></figure>' : table })),
    }));
    const layOut = (exactOverflowChecks: boolean) => {
      const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-work-'));
      tempDirs.push(workDir);
      return paginate(makeRendered(dir, withExtras), browser, { bleedMm: 3, workDir, exactOverflowChecks });
    };
    const exact = await layOut(true);
    const deferred = await layOut(false);
    tempDirs.push(dir);
    expect(deferred.pages.length).toBe(exact.pages.length);
    expect(deferred.anchorPages).toEqual(exact.anchorPages);
    const layoutText = (bytes: Uint8Array) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-pdf-')), 'x.pdf');
      tempDirs.push(path.dirname(file));
      fs.writeFileSync(file, bytes);
      return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f');
    };
    // Same text in the same places on every page.
    expect(layoutText(deferred.printPdfBytes)).toEqual(layoutText(exact.printPdfBytes));
  });

  it('reads the TOC numbers back, and they equal the pages where the articles start in the PDF', async () => {
    const dir = await makeIssueDir();
    const sections = smallSections();
    const p = await run(makeRendered(dir, sections));
    const texts = pdfPageTexts(p.printPdfBytes);
    for (const a of sections.flatMap((s) => s.articles)) {
      expect(p.tocNumbers[a.id]).toBe(p.anchorPages[a.id]);
      const firstPageWithTitle = texts.findIndex((t, i) => i > 0 && t.includes(a.title)) + 1;
      expect(p.anchorPages[a.id]).toBe(firstPageWithTitle);
    }
    expect(p.outline?.map((o) => o.title)).toEqual(['Văn bản, chính sách mới', 'Nghị quyết về xây dựng Đảng', 'Chỉ thị về công tác tuyên giáo', 'Gương chi bộ, đảng viên', 'Người đảng viên ở ấp Ninh Trung']);
  });

  it('names the article whose photo is taller than the page', async () => {
    const dir = await makeIssueDir([{ name: 'tall.jpg', widthPx: 600, heightPx: 3000 }]);
    const sections = smallSections({ 'a-chi-thi': '<figure><img src="images/tall.jpg" style="width: 100%"></figure>' });
    const rendered = makeRendered(dir, sections, { css: undefined });
    rendered.css += '\n.article-body { columns: 1; }';
    const p = await run(rendered);
    const over = p.pages.flatMap((pg) => pg.overflow.map((o) => ({ ...o, page: pg.number })));
    expect(over.some((o) => o.anchorId === 'a-chi-thi' && /taller than the page/.test(o.description))).toBe(true);

    const plan = makePlan(dir, sections);
    const pdfs = await postprocess(p, plan, { profile: 'print', now: new Date('2026-11-15T00:00:00Z'), producer: 'test' });
    const findings = preflight(plan, p, pdfs, { profile: 'print', legal: PRESS_LAW_BULLETIN, today: '2026-11-15' });
    const f = findings.find((x) => x.code === 'overflow');
    expect(f).toMatchObject({ severity: 'error', article: 'Chỉ thị về công tác tuyên giáo', file: 'articles/a-chi-thi.md' });
    expect(f?.page).toBe(over.find((o) => o.anchorId === 'a-chi-thi')?.page);
    expect(f?.fix).toBeTruthy();
  });

  it('blocks http and file URLs outside the issue: no request arrives, and preflight names the resource', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const img = `http://127.0.0.1:${port}/x.png`;
      const bg = `http://127.0.0.1:${port}/bg.png`;
      const dir = await makeIssueDir();
      const sections: FixtureSection[] = smallSections({ 'a-guong': `<p><img src="${img}"></p><p><img src="file:///etc/hostname"></p><p class="leak">x</p>` });
      const rendered = makeRendered(dir, sections);
      rendered.css += `\n.leak { background: url("${bg}"); }`;
      const p = await run(rendered);
      expect(hits).toBe(0);
      expect(p.blockedRequests).toEqual(expect.arrayContaining([img, bg, 'file:///etc/hostname']));

      const plan = makePlan(dir, sections);
      const pdfs = await postprocess(p, plan, { profile: 'screen', now: new Date('2026-11-15T00:00:00Z'), producer: 'test' });
      const findings = preflight(plan, p, pdfs, { profile: 'screen', legal: PRESS_LAW_BULLETIN, today: '2026-11-15' });
      const blocked = findings.filter((f) => f.code === 'blocked-resource');
      expect(blocked.map((f) => f.message).join('\n')).toContain(img);
      expect(blocked.find((f) => f.message.includes(img))?.article).toBe('Người đảng viên ở ấp Ninh Trung');
    } finally {
      server.close();
    }
  });

  it('reports text drawn with a system fallback font, naming the article, page and characters', async () => {
    const dir = await makeIssueDir();
    const sections = smallSections({ 'a-guong': '<p>Biểu tượng ☃ không có trong phông chữ của bản tin.</p>' });
    const p = await run(makeRendered(dir, sections));
    expect(p.fallbackFonts?.length).toBeGreaterThan(0);
    const use = p.fallbackFonts?.[0];
    expect(use?.anchorId).toBe('a-guong');
    expect(use?.page).toBe(p.anchorPages['a-guong']);
    // Only the snowman, not the Vietnamese letters around it: the editor is told what to replace.
    expect(use?.characters).toEqual(['☃']);
    const plan = makePlan(dir, sections);
    const pdfs = await postprocess(p, plan, { profile: 'screen', now: new Date('2026-11-15T00:00:00Z'), producer: 'test' });
    const finding = preflight(plan, p, pdfs, { profile: 'screen', legal: PRESS_LAW_BULLETIN, today: '2026-11-15' }).find((f) => f.code === 'fallback-font');
    expect(finding?.message).toContain('"☃" (U+2603)');
    // Nothing else on the pages needed a fallback.
    expect(p.fallbackFonts?.every((f) => f.anchorId === 'a-guong')).toBe(true);
  });

  it('reports the fallback font whichever tab the article is paginated in, also in a tab kept from an earlier build', async () => {
    const dir = await makeIssueDir();
    const sections = smallSections({ 'a-guong': '<p>Biểu tượng ☃ không có trong phông chữ của bản tin.</p>' });
    // Builds in a row: tabs are reused in turn, and the article's tab is in front or behind another.
    for (const documents of [undefined, undefined, undefined, 3, 1]) {
      const p = await run(makeRendered(dir, sections), documents);
      expect({ documents, found: p.fallbackFonts?.map((f) => [f.anchorId, f.characters]) }).toEqual({ documents, found: [['a-guong', ['☃']]] });
    }
  });
});
