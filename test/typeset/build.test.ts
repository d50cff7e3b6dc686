/**
 * `bantin build` end to end on small fixture issues (the loader's fixture helper, the standard layout):
 * real Chromium (one browser for the file), outputs parsed with pdf-lib and poppler.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { BrowserHost } from '../../src/typeset/browser.ts';
import { buildIssue, type BuildOutcome } from '../../src/typeset/build.ts';
import { ARTICLE_GUONG, fixtureImage, makeIssue, type IssueFixture } from '../fixtures/make-issue.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAYOUTS = { layoutsDir: path.join(ROOT, 'layouts'), fontsDir: path.join(ROOT, 'fonts') };
const MM = 72 / 25.4;

let browser: BrowserHost;
const cleanups: Array<() => Promise<void>> = [];
let fx: IssueFixture;
let out: string;
let result: BuildOutcome;
/** Progress stages of the first build, with "release" where it said it needs the browser no more */
const stages: string[] = [];

function tempOut(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-out-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'out');
}

async function build(fixture: IssueFixture, outDir: string, extra: { html?: boolean; onProgress?: (e: { stage: string }) => void } = {}, releaseBrowser?: () => void): Promise<BuildOutcome> {
  return buildIssue(fixture.dir, { out: outDir, profile: 'all', now: new Date('2026-11-10T08:00:00Z'), ...extra }, { browser: async () => browser, releaseBrowser, layouts: LAYOUTS });
}

function pdftotextPages(file: string): string[] {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

beforeAll(async () => {
  browser = await BrowserHost.launch({ timeoutMs: 90_000 });
  fx = await makeIssue();
  cleanups.push(fx.cleanup);
  out = tempOut();
  result = await build(fx, out, { html: true, onProgress: (e) => stages.push(e.stage) }, () => stages.push('release'));
});

afterAll(async () => {
  await browser.close();
  for (const c of cleanups) await c();
});

describe('bantin build on a small valid issue', () => {
  it('releases the browser once, after pagination and before post-processing (the CLI closes Chromium then)', () => {
    expect(stages.filter((s) => s === 'release')).toHaveLength(1);
    expect(stages.lastIndexOf('paginate')).toBeLessThan(stages.indexOf('release'));
    expect(stages.indexOf('release')).toBeLessThan(stages.indexOf('postprocess'));
  });

  it('passes preflight and writes print.pdf, screen.pdf, preflight.json and job.json', () => {
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0);
    for (const name of ['print.pdf', 'screen.pdf', 'preflight.json', 'job.json']) expect(fs.existsSync(path.join(out, name))).toBe(true);
    // Atomic writes leave no temp files behind.
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // Thumbnails only when asked for (test/typeset/thumbnails.test.ts).
    expect(fs.existsSync(path.join(out, 'thumbnails'))).toBe(false);
    expect(result.files.filter((f) => f.name.startsWith('thumbnails/'))).toEqual([]);
  });

  it('gives every print page exact TrimBox 190×270 mm, BleedBox 3 mm larger, crop-mark room outside, anchored at the top-left', async () => {
    const doc = await PDFDocument.load(fs.readFileSync(path.join(out, 'print.pdf')));
    expect(doc.getPageCount() % 4).toBe(0);
    for (const page of doc.getPages()) {
      const trim = page.getTrimBox();
      const bleed = page.getBleedBox();
      const media = page.getMediaBox();
      expect(trim.width / MM).toBeCloseTo(190, 2);
      expect(trim.height / MM).toBeCloseTo(270, 2);
      expect(bleed.width / MM).toBeCloseTo(196, 2);
      expect(bleed.height / MM).toBeCloseTo(276, 2);
      expect((trim.x - bleed.x) / MM).toBeCloseTo(3, 2);
      expect((bleed.y + bleed.height - (trim.y + trim.height)) / MM).toBeCloseTo(3, 2);
      expect((trim.y - bleed.y) / MM).toBeCloseTo(3, 2);
      expect(media.x).toBeLessThan(bleed.x);
      expect(media.y).toBeLessThan(bleed.y);
      expect(media.x + media.width).toBeGreaterThan(bleed.x + bleed.width);
      expect(media.y + media.height).toBeGreaterThan(bleed.y + bleed.height);
    }
  });

  it('makes screen.pdf trim-sized (no bleed, no marks) with the same pages', async () => {
    const print = await PDFDocument.load(fs.readFileSync(path.join(out, 'print.pdf')));
    const screen = await PDFDocument.load(fs.readFileSync(path.join(out, 'screen.pdf')));
    expect(screen.getPageCount()).toBe(print.getPageCount());
    for (const page of screen.getPages()) {
      expect(page.getMediaBox().width / MM).toBeCloseTo(190, 2);
      expect(page.getMediaBox().height / MM).toBeCloseTo(270, 2);
      expect(page.getTrimBox()).toEqual(page.getMediaBox());
    }
  });

  it('embeds every font (poppler pdffonts) and uses only the layout fonts', () => {
    for (const name of ['print.pdf', 'screen.pdf']) {
      const rows = execFileSync('pdffonts', [path.join(out, name)], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const cols = row.split(/\s+/);
        expect(cols[0]).toMatch(/^[A-Z]{6}\+Noto(Serif|Sans)-/);
        expect(row).toMatch(/\byes\s+yes\s+yes\b/);
      }
    }
  });

  it('extracts Vietnamese text equal to the NFC source paragraphs', () => {
    const text = oneLine(pdftotextPages(path.join(out, 'screen.pdf')).join(' '));
    const body = ARTICLE_GUONG.split('---').at(-1) ?? '';
    const paragraphs = body.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(paragraphs.length).toBeGreaterThan(1);
    for (const p of paragraphs) expect(text).toContain(oneLine(p.normalize('NFC')));
    expect(text).toContain('Ặ Ễ Ở là những chữ có dấu chồng.');
    expect(text).toBe(text.normalize('NFC'));
  });

  it('prints TOC page numbers equal to the pages where the articles start', () => {
    const pages = pdftotextPages(path.join(out, 'screen.pdf'));
    const tocLines = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', '1', '-l', '1', path.join(out, 'screen.pdf'), '-'], { encoding: 'utf8' }).split('\n');
    const articles = [
      { id: 'a-01-nghi-quyet', title: 'Quán triệt Nghị quyết Hội nghị Trung ương lần thứ mười bốn' },
      { id: 'a-02-guong', title: 'Người bí thư chi bộ ấp Trường Ân' },
    ];
    for (const a of articles) {
      const start = result.paginated.anchorPages[a.id];
      expect(start).toBeGreaterThan(1);
      expect(result.paginated.tocNumbers[a.id]).toBe(start);
      expect(oneLine(pages[(start ?? 0) - 1] ?? '')).toContain(a.title);
      // The TOC on page 1 prints that number at the end of the line where the title begins.
      const line = tocLines.find((l) => l.includes(a.title.slice(0, 20)));
      expect(line?.trim().split(/\s+/).at(-1)).toBe(String(start));
    }
  });

  it('keeps the colophon on the last page and reports the added notes pages', () => {
    const pages = pdftotextPages(path.join(out, 'print.pdf'));
    expect(oneLine(pages.at(-1) ?? '')).toContain('05/GP-STTTT');
    const added = result.findings.find((f) => f.code === 'pages-added');
    if (result.paginated.addedPages.length > 0) {
      expect(added?.message).toContain(`${result.paginated.addedPages.length} "Ghi chú" page`);
      for (const n of result.paginated.addedPages) expect(pages[n - 1]).toContain('Ghi chú');
      expect(result.paginated.addedPages.at(-1)).toBe(pages.length - 1);
    }
  });

  it('gives screen.pdf bookmarks for every section and article, page labels, and metadata', async () => {
    const doc = await PDFDocument.load(fs.readFileSync(path.join(out, 'screen.pdf')), { updateMetadata: false });
    const titles: string[] = [];
    const walk = (dict: PDFDict | undefined) => {
      let item = dict?.lookupMaybe(PDFName.of('First'), PDFDict);
      while (item) {
        const t = item.lookup(PDFName.of('Title'));
        if (t instanceof PDFHexString || t instanceof PDFString) titles.push(t.decodeText());
        walk(item);
        item = item.lookupMaybe(PDFName.of('Next'), PDFDict);
      }
    };
    walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict));
    expect(titles).toEqual([
      'Văn bản, chính sách mới',
      'Quán triệt Nghị quyết Hội nghị Trung ương lần thứ mười bốn',
      'Gương chi bộ, đảng viên',
      'Người bí thư chi bộ ấp Trường Ân',
    ]);
    expect(doc.catalog.lookupMaybe(PDFName.of('PageLabels'), PDFDict)?.lookupMaybe(PDFName.of('Nums'), PDFArray)).toBeDefined();
    expect(doc.getTitle()).toBe('Bản tin Thông báo Nội bộ số 11/2026');
    expect(doc.getAuthor()).toBe('Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh');
    expect(doc.catalog.lookup(PDFName.of('Lang'))).toBeDefined();
    expect(execFileSync('pdfinfo', [path.join(out, 'print.pdf')], { encoding: 'utf8' })).toMatch(/Title:\s+Bản tin Thông báo Nội bộ số 11\/2026/);
  });

  it('down-samples photos in screen.pdf only', async () => {
    const widths = async (name: string) => {
      const doc = await PDFDocument.load(fs.readFileSync(path.join(out, name)));
      return doc.context
        .enumerateIndirectObjects()
        .flatMap(([, o]) => (o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image') ? [Number(o.dict.get(PDFName.of('Width'))?.toString())] : []));
    };
    expect(Math.max(...(await widths('print.pdf')))).toBe(1200);
    expect(Math.max(...(await widths('screen.pdf')))).toBeLessThan(1200);
  });

  it('writes job.json with the print ticket and the sha256 of every file', () => {
    const job = JSON.parse(fs.readFileSync(path.join(out, 'job.json'), 'utf8'));
    expect(job).toMatchObject({ pages: result.pages, trim: { widthMm: 190, heightMm: 270 }, bleed: { mm: 3 }, printRun: 3110, printShop: 'Công ty TNHH MTV In Tây Ninh' });
    expect(job.licence.number).toBe('05/GP-STTTT');
    expect(job.tools.pagedjs).toBe('0.4.3');
    const names = job.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['print.pdf', 'screen.pdf', 'preflight.json']));
    for (const f of job.files as Array<{ name: string; bytes: number; sha256: string }>) {
      const bytes = fs.readFileSync(path.join(out, f.name));
      expect(f.bytes).toBe(bytes.length);
      expect(f.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('--html writes the pre-pagination HTML without scripts, a preview with Paged.js, and the assets', () => {
    const index = fs.readFileSync(path.join(out, 'html', 'index.html'), 'utf8');
    expect(index).not.toMatch(/<script/i);
    expect(index).toContain('Người bí thư chi bộ ấp Trường Ân');
    expect(index).not.toContain('file://');
    expect(fs.readFileSync(path.join(out, 'html', 'preview.html'), 'utf8')).toContain('<script src="paged.polyfill.js">');
    expect(fs.existsSync(path.join(out, 'html', 'images', 'hoi-nghi.jpg'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'html', 'fonts', 'NotoSerif-Regular.ttf'))).toBe(true);
  });
});

describe('bantin build with a cover photo', () => {
  it('writes cover.pdf: one page with the same trim, bleed and crop-mark room as print.pdf, listed in job.json', async () => {
    const withCover = await makeIssue({ files: { 'cover.jpg': await fixtureImage({ width: 2400, height: 3300 }) } });
    cleanups.push(withCover.cleanup);
    const dir = tempOut();
    const r = await build(withCover, dir);
    const entry = r.files.find((f) => f.name === 'cover.pdf');
    expect(entry?.pages).toBe(1);
    const doc = await PDFDocument.load(fs.readFileSync(path.join(dir, 'cover.pdf')));
    const page = doc.getPage(0);
    expect(page.getTrimBox().width / MM).toBeCloseTo(190, 2);
    expect(page.getTrimBox().height / MM).toBeCloseTo(270, 2);
    expect(page.getBleedBox().width / MM).toBeCloseTo(196, 2);
    expect(page.getMediaBox().width).toBeGreaterThan(page.getBleedBox().width);
    const job = JSON.parse(fs.readFileSync(path.join(dir, 'job.json'), 'utf8'));
    expect(job.files.map((f: { name: string }) => f.name)).toContain('cover.pdf');
  });
});

describe('bantin build runs the layout\'s Paged.js handlers', () => {
  it('repeats the header row of a table on every page it continues to', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => `| Đảng ủy xã số ${i + 1} | ${100 + i} | 9${i % 10}% |`).join('\n');
    const long = await makeIssue({ articles: { 'articles/02-guong.md': `---\ntitle: Bảng dài\nauthor: A\nunit: B\n---\n| Đơn vị | Số đảng viên | Tỉ lệ |\n|---|---:|---:|\n${rows}\n` } });
    cleanups.push(long.cleanup);
    const dir = tempOut();
    const r = await build(long, dir);
    expect(r.exitCode).toBe(0);
    const pages = pdftotextPages(path.join(dir, 'screen.pdf')).filter((t) => t.includes('Đảng ủy xã số'));
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) expect(text).toContain('Số đảng viên');
  });
});

describe('bantin build on problem issues', () => {
  it('exits 1 naming the article whose table row is taller than a page, and still writes the files', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `Dòng thứ ${i + 1} trong một ô bảng quá dài.`).join(' ');
    const bad = await makeIssue({ articles: { 'articles/02-guong.md': `---\ntitle: Bảng quá khổ\nauthor: A\nunit: B\n---\n| Cột A | Cột B |\n|---|---|\n| ${long} | x |\n` } });
    cleanups.push(bad.cleanup);
    const dir = tempOut();
    const r = await build(bad, dir);
    expect(r.exitCode).toBe(1);
    const f = r.findings.find((x) => x.code === 'overflow');
    expect(f).toMatchObject({ severity: 'error', article: 'Bảng quá khổ', file: 'articles/02-guong.md' });
    expect(f?.page).toBeGreaterThan(1);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'preflight.json'), 'utf8'));
    expect(report.ok).toBe(false);
    expect(report.findings.some((x: { code: string; article?: string }) => x.code === 'overflow' && x.article === 'Bảng quá khổ')).toBe(true);
  });

  it('refuses to print under an expired licence unless overridden', async () => {
    const expired = await makeIssue({ bulletin: { licence: { number: '01/GP', date: '2024-01-01', issuer: 'Sở', expires: '2026-06-30' } } });
    cleanups.push(expired.cleanup);
    const r = await build(expired, tempOut());
    const f = r.findings.find((x) => x.code === 'licence-expired');
    expect(f?.severity).toBe('error');
    expect(r.exitCode).toBe(1);
  });
});

describe('bantin build command line', () => {
  async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const sink = (append: (s: string) => void) => ({ write: (c: string | Uint8Array) => (append(String(c)), true) }) as unknown as NodeJS.WritableStream;
    const code = await runCli(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: { ...process.env } });
    return { code, stdout, stderr };
  }

  it('exits 2 and writes nothing when an article path escapes the issue', async () => {
    const bad = await makeIssue({ issue: { sections: [{ title: 'Văn bản', articles: ['../outside.md'] }] } });
    cleanups.push(bad.cleanup);
    const dir = tempOut();
    const r = await cli(['build', bad.dir, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/issue\.yaml/);
    expect(r.stderr).toMatch(/sections/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('exits 2 on invalid YAML and on a missing --out, writing nothing', async () => {
    const bad = await makeIssue({ issueYaml: 'number: [' });
    cleanups.push(bad.cleanup);
    const dir = tempOut();
    expect((await cli(['build', bad.dir, '--out', dir])).code).toBe(2);
    expect(fs.existsSync(dir)).toBe(false);
    const noOut = await cli(['build', fx.dir]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out is required');
    expect((await cli(['build', fx.dir, '--out', dir, '--profile', 'poster'])).code).toBe(2);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('builds with --profile screen --json: result on stdout, progress on stderr, exit 0', async () => {
    const dir = tempOut();
    const r = await cli(['build', fx.dir, '--out', dir, '--profile', 'screen', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.exitCode).toBe(0);
    expect(json.files.map((f: { name: string }) => f.name)).toEqual(['screen.pdf', 'preflight.json', 'job.json']);
    expect(r.stderr).toMatch(/paginate\s+paginated \d+ pages/);
    expect(r.stderr).toContain('preflight passed');
    expect(fs.existsSync(path.join(dir, 'print.pdf'))).toBe(false);
  });
});
