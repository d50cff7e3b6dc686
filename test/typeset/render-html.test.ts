import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/domain/errors.ts';
import { loadLayout } from '../../src/typeset/layout.ts';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import type { IssuePlan, RenderedIssue } from '../../src/typeset/model.ts';
import { renderHtml } from '../../src/typeset/render-html.ts';
import { makeIssue, type IssueFixture } from '../fixtures/make-issue.ts';

const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const source = { layoutsDir: path.join(repo, 'layouts'), fontsDir: path.join(repo, 'fonts') };

let fx: IssueFixture;
let plan: IssuePlan;
let rendered: RenderedIssue;

beforeAll(async () => {
  fx = await makeIssue({
    articles: { 'articles/03-tin.md': '---\ntitle: "Tin <b>ngắn</b> & “nổi bật”"\n---\nNội dung.\n' },
    issue: {
      sections: [
        { title: 'Văn bản, chính sách mới', articles: ['articles/01-nghi-quyet.md'] },
        { title: 'Gương chi bộ, đảng viên', columns: 1, articles: ['articles/02-guong.md', 'articles/03-tin.md'] },
      ],
    },
  });
  plan = await loadIssue(fx.dir);
  rendered = renderHtml(plan, source);
});
afterAll(async () => fx.cleanup());

function chunk(id: string): string {
  const c = rendered.chunks.find((x) => x.id === id);
  if (!c) throw new Error(`no chunk ${id}`);
  return c.html;
}

describe('renderHtml: chunks', () => {
  it('makes front, one chunk per section, and back, in that order', () => {
    expect(rendered.chunks.map((c) => [c.id, c.kind])).toEqual([
      ['front', 'front'],
      ['s-1', 'section'],
      ['s-2', 'section'],
      ['back', 'back'],
    ]);
    expect(rendered.baseDir).toBe(plan.dir);
    expect(rendered.lang).toBe('vi');
    expect(rendered.title).toBe('Bản tin Thông báo Nội bộ số 11/2026');
  });

  it('starts every chunk after the first on a new page', () => {
    expect(rendered.css).toMatch(/\.chunk-section,\s*\.chunk-back\s*\{\s*break-before:\s*page;/);
    expect(chunk('s-1')).toMatch(/^<section class="chunk chunk-section/);
    expect(chunk('back')).toMatch(/^<section class="chunk chunk-back/);
  });

  it('puts the Press Law masthead on page 1: BẢN TIN + name, publisher, issue number and date', () => {
    const front = chunk('front');
    expect(front).toContain('<p class="masthead-kicker">BẢN TIN</p>');
    expect(front).toContain('<h1 class="masthead-name">Thông báo Nội bộ</h1>');
    expect(front).toContain('Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh');
    expect(front).toContain('Số 11 – Tháng 11/2026');
    expect(front).toContain('Ngày 15 tháng 11 năm 2026');
  });

  it('prints the colophon with every legally required field', () => {
    const back = chunk('back');
    for (const text of [
      'Số 05/GP-STTTT cấp ngày 05 tháng 01 năm 2026 của Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh',
      'Công ty TNHH MTV In Tây Ninh',
      '3.110 cuốn',
      '1 kỳ/tháng',
      'Nguyễn Văn Ấn, Phó Trưởng ban',
      'Số 1 đường Trần Hưng Đạo, phường Tân Ninh, tỉnh Tây Ninh',
      'Lưu hành nội bộ',
    ]) {
      expect(back).toContain(text);
    }
  });

  it('renders article head, body, byline and the anchors the TOC points at', () => {
    const s1 = chunk('s-1');
    expect(s1).toContain('<article class="article" id="a-01-nghi-quyet"');
    expect(s1).toContain('<h2 class="article-title">Quán triệt Nghị quyết Hội nghị Trung ương lần thứ mười bốn</h2>');
    expect(s1).toContain('<p class="article-subtitle">Đưa nghị quyết vào cuộc sống ở từng chi bộ</p>');
    expect(s1).toMatch(/<p class="article-lead">Sáng 05\/11\/2026/);
    expect(s1).toContain('<p class="byline-author">Trần Thị Ẩn</p>');
    expect(s1).toContain('<p class="byline-unit">Đảng ủy xã Hòa Thành</p>');
    // The body's markup, with two-column text grouped into runs of columns (column-runs.ts).
    const markup = (html: string): string => html.replace(/<\/?div[^>]*>/g, '').replace(/\s*\/>/g, '>').replace(/\s+/g, ' ');
    expect(markup(s1)).toContain(markup(plan.sections[0]!.articles[0]!.bodyHtml));
    expect(s1).toContain('<div class="column-run">');
  });

  it('escapes text from front matter (it is text, not HTML)', () => {
    expect(chunk('s-2')).toContain('Tin &lt;b&gt;ngắn&lt;/b&gt; &amp; “nổi bật”');
    expect(chunk('front')).toContain('Tin &lt;b&gt;ngắn&lt;/b&gt; &amp; “nổi bật”');
  });

  it('sets body columns per section (2 by default, 1 when asked)', () => {
    expect(chunk('s-1')).toContain('class="article-body body-columns-2"');
    expect(chunk('s-2')).toContain('class="article-body body-columns-1"');
    expect(chunk('s-2')).not.toContain('body-columns-2');
    expect(rendered.css).toMatch(/\.body-columns-2 > \.column-run\s*\{[^}]*column-count:\s*2/);
  });
});

describe('renderHtml: wide photos', () => {
  const withPhoto = (widthPx: number, heightPx: number, columns: 1 | 2): string => {
    const s1 = plan.sections[0]!;
    const a = s1.articles[0]!;
    const images = a.images.map((im) => ({ ...im, widthPx, heightPx }));
    const changed = { ...plan, sections: [{ ...s1, columns, articles: [{ ...a, images }] }] };
    return renderHtml(changed, source).chunks.find((c) => c.id === 's-1')!.html;
  };

  it('lets a landscape photo with pixels for 300 ppi over the text width span both columns', () => {
    expect(withPhoto(2400, 1400, 2)).toContain('<figure class="wide"><img alt="Quang cảnh hội nghị tại điểm cầu tỉnh" src="images/hoi-nghi.jpg"');
  });

  it('keeps a photo at column width when it is too small, portrait, or the section has one column', () => {
    expect(withPhoto(1200, 800, 2)).not.toContain('class="wide"'); // ~194 ppi over 157 mm
    expect(withPhoto(2400, 2400, 2)).not.toContain('class="wide"');
    expect(withPhoto(2400, 1400, 1)).not.toContain('class="wide"');
  });
});

describe('renderHtml: table of contents', () => {
  it('sets a long table of contents tighter in two steps so it stays on page 1', () => {
    const withArticles = (n: number): string => {
      const s1 = plan.sections[0]!;
      const a = s1.articles[0]!;
      const articles = Array.from({ length: n }, (_, i) => ({ ...a, id: `a-${i}`, title: `Bài ${i}` }));
      return renderHtml({ ...plan, sections: [{ ...s1, articles }] }, source).chunks[0]!.html;
    };
    expect(withArticles(10)).toContain('<nav class="toc" ');
    expect(withArticles(24)).toContain('<nav class="toc toc-compact" '); // 25 lines, like the sample issue
    expect(withArticles(34)).toContain('<nav class="toc toc-dense" '); // 35 lines, like a 64-page issue
  });

  it('lists sections and their articles with anchors that exist in the HTML', () => {
    expect(rendered.toc.map((t) => [t.kind, t.anchorId, t.sectionId])).toEqual([
      ['section', 's-1', 's-1'],
      ['article', 'a-01-nghi-quyet', 's-1'],
      ['section', 's-2', 's-2'],
      ['article', 'a-02-guong', 's-2'],
      ['article', 'a-03-tin', 's-2'],
    ]);
    const all = rendered.chunks.map((c) => c.html).join('\n');
    for (const entry of rendered.toc) {
      expect(all).toContain(`id="${entry.anchorId}"`);
      expect(chunk('front')).toContain(`<a class="toc-link" href="#${entry.anchorId}">`);
    }
  });

  it('prints page numbers with target-counter on a.toc-link', () => {
    expect(rendered.css).toMatch(/\.toc-link::after\s*\{[^}]*content:\s*target-counter\(attr\(href\),\s*page\)/);
  });
});

describe('renderHtml: print CSS', () => {
  it('sizes the page to the trim from the plan', () => {
    expect(rendered.css).toContain('size: 190mm 270mm;');
    const small = renderHtml({ ...plan, trim: { widthMm: 148, heightMm: 210 } }, source);
    expect(small.css).toContain('size: 148mm 210mm;');
  });

  it('runs heads with bulletin name and issue, folios with counter(page), none on page 1 and the colophon page', () => {
    expect(rendered.css).toContain('content: "Thông báo Nội bộ · Số 11 – Tháng 11/2026";');
    expect(rendered.css).toMatch(/content:\s*counter\(page\)/);
    expect(rendered.css).toMatch(/@page front:first\s*\{\s*@top-center\s*\{\s*content:\s*none/);
    expect(rendered.css).toMatch(/@page back\s*\{\s*@top-center\s*\{\s*content:\s*none/);
  });

  it('loads only our own font files, by file: URL under fontsDir, all four styles of serif and sans', () => {
    const urls = [...rendered.css.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(8);
    for (const url of urls) {
      expect(url.startsWith('file://')).toBe(true);
      const file = fileURLToPath(url);
      expect(path.dirname(file)).toBe(rendered.fontsDir);
      expect(fs.existsSync(file)).toBe(true);
    }
    expect(urls.map((u) => path.basename(u)).sort()).toEqual([
      'NotoSans-Bold.ttf', 'NotoSans-BoldItalic.ttf', 'NotoSans-Italic.ttf', 'NotoSans-Regular.ttf',
      'NotoSerif-Bold.ttf', 'NotoSerif-BoldItalic.ttf', 'NotoSerif-Italic.ttf', 'NotoSerif-Regular.ttf',
    ]);
  });

  it('keeps a hostile bulletin name inside its CSS string and out of the HTML', () => {
    const name = 'Tin "A" </style><script>alert(1)</script> \\';
    const hostile = renderHtml({ ...plan, bulletin: { ...plan.bulletin, name } }, source);
    expect(hostile.css).not.toMatch(/<\/style|<script/i);
    expect(hostile.css).toContain('content: "Tin \\"A\\" \\3c /style\\3e \\3c script\\3e alert(1)\\3c /script\\3e  \\\\ · Số 11 – Tháng 11/2026";');
    expect(hostile.chunks.map((c) => c.html).join('')).not.toContain('<script>');
  });

  it('never hyphenates automatically and never clips text', () => {
    const rules = rendered.css.replace(/\/\*[\s\S]*?\*\//g, '');
    expect(rules).toMatch(/hyphens:\s*manual/);
    expect(rules).not.toMatch(/hyphens:\s*auto/);
    expect(rules).not.toMatch(/overflow:\s*(hidden|clip)/);
    expect(rules).not.toMatch(/text-overflow/);
  });

  it('keeps line-height generous enough for stacked diacritics everywhere', () => {
    const heights = [...rendered.css.matchAll(/line-height:\s*([\d.]+)\s*;/g)].map((m) => Number(m[1]));
    expect(heights.length).toBeGreaterThan(5);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(1.25);
  });

  it('repeats table header rows with a Paged.js handler that the layout ships', () => {
    expect(rendered.pagedHandlers!.map((h) => path.basename(h))).toEqual(['paged-handlers.js', 'paged-keep-article-end.js', 'paged-photos.js']);
    const handler = fs.readFileSync(rendered.pagedHandlers![0]!, 'utf8');
    expect(handler).toContain('Paged.registerHandlers');
    expect(rendered.css).toMatch(/thead\s*\{\s*display:\s*table-header-group/);
  });
});

describe('renderHtml: notes page and layouts', () => {
  it('has a "Ghi chú" notes page for padding', () => {
    expect(rendered.notesPageHtml).toContain('Ghi chú');
  });

  it('refuses an unknown layout', () => {
    expect(() => renderHtml({ ...plan, layout: 'khong-co' }, source)).toThrow(NotFoundError);
  });

  it('is pure given a loaded layout: the same plan renders the same HTML', () => {
    const layout = loadLayout(source, 'standard');
    expect(renderHtml(plan, layout)).toEqual(renderHtml(plan, layout));
  });
});
