import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BadInputError, describeError } from '../../src/domain/errors.ts';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import { ARTICLE_GUONG, fixtureImage, makeIssue, type IssueFixture, type MakeIssueOptions } from '../fixtures/make-issue.ts';
import { minimalDocx } from '../fixtures/minimal-docx.ts';

const fixtures: IssueFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
});

async function fixture(opts: MakeIssueOptions = {}): Promise<IssueFixture> {
  const fx = await makeIssue(opts);
  fixtures.push(fx);
  return fx;
}

/** Loads and expects a BadInputError; returns it for inspection. */
async function badInput(opts: MakeIssueOptions): Promise<BadInputError> {
  const fx = await fixture(opts);
  const err = await loadIssue(fx.dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BadInputError);
  return err as BadInputError;
}

function article(front: string, body = 'Nội dung bài viết.'): string {
  return `---\n${front}\n---\n${body}\n`;
}

describe('loadIssue: a valid issue', () => {
  it('reads issue.yaml, the bulletin, sections and articles into an IssuePlan', async () => {
    const fx = await fixture();
    const plan = await loadIssue(fx.dir);
    expect(plan.slug).toBe('2026-11');
    expect(plan.number).toBe(11);
    expect(plan.date).toBe('2026-11-15');
    expect(plan.printRun).toBe(3110);
    expect(plan.trim).toEqual({ widthMm: 190, heightMm: 270 });
    expect(plan.bleedMm).toBe(3);
    expect(plan.bulletin.licence).toMatchObject({ number: '05/GP-STTTT', date: '2026-01-05', expires: '2027-12-31' });
    expect(plan.sections.map((s) => [s.id, s.title, s.columns])).toEqual([
      ['s-1', 'Văn bản, chính sách mới', 2],
      ['s-2', 'Gương chi bộ, đảng viên', 1],
    ]);
    const first = plan.sections[0]!.articles[0]!;
    expect(first).toMatchObject({
      id: 'a-01-nghi-quyet',
      source: 'articles/01-nghi-quyet.md',
      title: 'Quán triệt Nghị quyết Hội nghị Trung ương lần thứ mười bốn',
      author: 'Trần Thị Ẩn',
      unit: 'Đảng ủy xã Hòa Thành',
      date: '2026-11-05',
    });
    expect(first.images).toEqual([{ src: 'images/hoi-nghi.jpg', widthPx: 1200, heightPx: 800, usedBy: 'a-01-nghi-quyet' }]);
    expect(plan.findings).toEqual([]);
  });

  it('fills print-ticket defaults and accepts trim in cm, dates as YAML timestamps', async () => {
    const fx = await fixture({
      issue: { trim: { width: '18cm', height: '25cm' }, bleed: undefined, layout: undefined },
      issueYaml: undefined,
    });
    const yaml = (await fs.readFile(path.join(fx.dir, 'issue.yaml'), 'utf8')).replace("date: '2026-11-15'", 'date: !!timestamp 2026-11-15');
    await fs.writeFile(path.join(fx.dir, 'issue.yaml'), yaml);
    const plan = await loadIssue(fx.dir);
    expect(plan.date).toBe('2026-11-15');
    expect(plan.trim).toEqual({ widthMm: 180, heightMm: 250 });
    expect(plan.bleedMm).toBe(3);
    expect(plan.layout).toBe('standard');
    expect(plan.colours).toBe('4/4 (CMYK)');
    expect(plan.binding).toBe('saddle-stitch');
    expect(plan.paper).toMatch(/g\/m²/);
    expect(plan.distribution).toEqual([]);
  });

  it('takes the bulletin from the shared bulletin.yaml beside the issue directories', async () => {
    const fx = await fixture({ bulletinIn: 'shared', bulletin: { name: 'Sinh hoạt Chi bộ' } });
    const plan = await loadIssue(fx.dir);
    expect(plan.bulletin.name).toBe('Sinh hoạt Chi bộ');
  });

  it('keeps a distribution that sums to the print run', async () => {
    const fx = await fixture({ issue: { printRun: 300, distribution: [{ unit: 'Đảng ủy xã Hòa Thành', copies: 120 }, { unit: 'Đảng ủy phường Tân Ninh', copies: 180 }] } });
    const plan = await loadIssue(fx.dir);
    expect(plan.distribution).toEqual([{ unit: 'Đảng ủy xã Hòa Thành', copies: 120 }, { unit: 'Đảng ủy phường Tân Ninh', copies: 180 }]);
  });

  it('normalizes decomposed (NFD) Vietnamese to NFC in issue.yaml and articles', async () => {
    const nfdTitle = 'Gương sáng của Đảng viên trẻ'.normalize('NFD');
    const fx = await fixture({
      issue: { sections: [{ title: 'Tin tức – sự kiện'.normalize('NFD'), articles: ['articles/02-guong.md'] }] },
      articles: { 'articles/02-guong.md': article(`title: ${nfdTitle}`, 'Những điều kỳ diệu ở ấp Trường Ân.'.normalize('NFD')) },
    });
    const plan = await loadIssue(fx.dir);
    const a = plan.sections[0]!.articles[0]!;
    expect(plan.sections[0]!.title).toBe('Tin tức – sự kiện'.normalize('NFC'));
    expect(a.title).toBe(nfdTitle.normalize('NFC'));
    expect(a.bodyHtml).toContain('Những điều kỳ diệu ở ấp Trường Ân.'.normalize('NFC'));
    expect(a.bodyHtml.normalize('NFC')).toBe(a.bodyHtml);
  });

  it('renders GFM tables with a header row and turns a lone image into a figure with caption', async () => {
    const plan = await loadIssue((await fixture()).dir);
    const html = plan.sections[0]!.articles[0]!.bodyHtml;
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>Đơn vị<\/th>/);
    expect(html).toContain('<figure><img alt="Quang cảnh hội nghị tại điểm cầu tỉnh" src="images/hoi-nghi.jpg" /><figcaption>Quang cảnh hội nghị tại điểm cầu tỉnh</figcaption></figure>');
    expect(html).toContain('<blockquote>');
  });

  it('reads HTML articles: title from <title>/<h1>, author and unit from <meta>', async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="author" content="Phạm Thị Hằng"><meta name="unit" content="Đảng ủy phường Tân Ninh"></head>
<body><h1>Chi bộ &amp; nhân dân cùng làm đường</h1><p>Con đường bê tông dài 1,2 km đã hoàn thành.</p></body></html>`;
    const fx = await fixture({ articles: { 'articles/03-duong.html': html }, issue: { sections: [{ title: 'Tin tức – sự kiện', articles: ['articles/03-duong.html'] }] } });
    const a = (await loadIssue(fx.dir)).sections[0]!.articles[0]!;
    expect(a).toMatchObject({ id: 'a-03-duong', title: 'Chi bộ & nhân dân cùng làm đường', author: 'Phạm Thị Hằng', unit: 'Đảng ủy phường Tân Ninh' });
    expect(a.bodyHtml).not.toContain('<h1');
    expect(a.bodyHtml).toContain('<p>Con đường bê tông dài 1,2 km đã hoàn thành.</p>');
  });

  it('reads .docx articles: heading as title, "Tác giả:" line as author, pictures kept and measured', async () => {
    const picture = await fixtureImage({ width: 640, height: 480, format: 'png' });
    const docx = await minimalDocx([
      { heading: 'Xã Ninh Điền làm theo lời Bác' },
      { text: 'Tác giả: Võ Thị Mỹ – Đảng ủy xã Ninh Điền' },
      { text: 'Ba năm qua, cán bộ, đảng viên xã Ninh Điền đã nêu gương.' },
      { picture, widthPx: 640, heightPx: 480 },
    ]);
    const fx = await fixture({ files: { 'articles/05-ninh-dien.docx': docx }, issue: { sections: [{ title: 'Học tập và làm theo Bác', articles: ['articles/05-ninh-dien.docx'] }] } });
    const a = (await loadIssue(fx.dir)).sections[0]!.articles[0]!;
    expect(a).toMatchObject({ id: 'a-05-ninh-dien', title: 'Xã Ninh Điền làm theo lời Bác', author: 'Võ Thị Mỹ', unit: 'Đảng ủy xã Ninh Điền' });
    expect(a.bodyHtml).toContain('Ba năm qua, cán bộ, đảng viên xã Ninh Điền đã nêu gương.');
    expect(a.bodyHtml).not.toContain('Tác giả');
    expect(a.bodyHtml).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(a.images).toEqual([{ src: 'articles/05-ninh-dien.docx#images/anh-01.png', widthPx: 640, heightPx: 480, usedBy: 'a-05-ninh-dien' }]);
  });

  it('accepts an image referenced relative to the article folder (articles/images/…)', async () => {
    const fx = await fixture({
      articles: { 'articles/02-guong.md': `${ARTICLE_GUONG}\n![Ông Sáu Ân](anh/sau-an.png)\n` },
      images: { 'articles/anh/sau-an.png': { width: 600, height: 900, format: 'png' } },
    });
    const a = (await loadIssue(fx.dir)).sections[1]!.articles[0]!;
    expect(a.images).toEqual([{ src: 'articles/anh/sau-an.png', widthPx: 600, heightPx: 900, usedBy: 'a-02-guong' }]);
    expect(a.bodyHtml).toContain('src="articles/anh/sau-an.png"');
  });

  it('accepts ../images/… from an article as long as it stays inside the issue', async () => {
    const fx = await fixture({ articles: { 'articles/02-guong.md': `${ARTICLE_GUONG}\n![Ảnh](../images/hoi-nghi.jpg)\n` } });
    const a = (await loadIssue(fx.dir)).sections[1]!.articles[0]!;
    expect(a.images.map((i) => i.src)).toEqual(['images/hoi-nghi.jpg']);
    expect(a.bodyHtml).toContain('src="images/hoi-nghi.jpg"');
  });

  it('treats a section whose articles are all commented out as empty, not as an error', async () => {
    const yaml = `bulletin:\n  name: Thông báo Nội bộ\nnumber: 11\ndate: 2026-11-15\nprintRun: 10\nsections:\n  - title: Thông tin lý luận\n    articles:\n#      - articles/x.md\n`;
    const fx = await fixture({ issueYaml: yaml });
    const plan = await loadIssue(fx.dir);
    expect(plan.sections[0]!.articles).toEqual([]);
    // The colophon gaps are findings for preflight, not load failures.
    expect(plan.findings.filter((f) => f.code === 'colophon-missing').length).toBe(8);
  });
});

describe('loadIssue: sanitizing article HTML', () => {
  it('removes scripts, event handlers, iframes and style url(), and says so', async () => {
    const body = [
      '<p onclick="alert(1)" style="color:red;text-align:center">Đoạn văn.</p>',
      '<script>fetch("http://evil.example/")</script>',
      '<iframe src="https://evil.example/frame"></iframe>',
      '<p style="background:url(http://127.0.0.1:9/x.png)">Nền.</p>',
      '<a href="javascript:alert(1)">liên kết</a>',
    ].join('\n');
    const fx = await fixture({ articles: { 'articles/02-guong.md': article('title: Bài có mã độc', body) } });
    const plan = await loadIssue(fx.dir);
    const a = plan.sections[1]!.articles[0]!;
    expect(a.bodyHtml).not.toMatch(/script|onclick|iframe|url\(|javascript:|evil\.example|127\.0\.0\.1/i);
    expect(a.bodyHtml).toContain('<p style="text-align:center">Đoạn văn.</p>');
    const codes = plan.findings.map((f) => f.code);
    expect(codes).toContain('html-removed');
    const external = plan.findings.filter((f) => f.code === 'blocked-resource');
    expect(external.map((f) => f.message).join('\n')).toContain('http://127.0.0.1:9/x.png');
    expect(external.every((f) => f.severity === 'error' && f.article === 'a-02-guong' && f.file === 'articles/02-guong.md')).toBe(true);
  });

  it('does not drop an external image silently: it becomes an error finding naming the URL', async () => {
    const fx = await fixture({ articles: { 'articles/02-guong.md': article('title: Ảnh từ mạng', '<img src="http://127.0.0.1:8123/anh.png" alt="x">\n\nVăn bản.') } });
    const plan = await loadIssue(fx.dir);
    expect(plan.sections[1]!.articles[0]!.bodyHtml).not.toContain('127.0.0.1');
    expect(plan.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'blocked-resource', article: 'a-02-guong', message: expect.stringContaining('http://127.0.0.1:8123/anh.png') }));
  });
});

describe('loadIssue: bad input names the file, the key and what was expected', () => {
  it('invalid YAML → the line number', async () => {
    const err = await badInput({ issueYaml: 'number: 11\ndate: 2026-11-15\nsections: [\n  - title: x\n' });
    expect(err.file).toMatch(/issue\.yaml$/);
    expect(describeError(err)).toMatch(/line \d+/);
    expect(err.expected).toBe('valid YAML');
  });

  it('an unknown key anywhere (issue, section, bulletin, front matter)', async () => {
    const err = await badInput({ issue: { printrun: 5, sections: [{ title: 'A', colums: 1, articles: [] }] }, bulletin: { website: 'x' } });
    const fields = err.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['printrun', 'sections[0].colums', 'bulletin.website']));
    expect(err.problems.every((p) => p.file?.endsWith('issue.yaml'))).toBe(true);

    const fm = await badInput({ articles: { 'articles/02-guong.md': article('title: Bài\nauthour: Lê Văn Đức') } });
    expect(fm.problems).toContainEqual(expect.objectContaining({ field: 'front matter.authour', file: expect.stringMatching(/articles\/02-guong\.md$/) }));
  });

  it('a missing article file', async () => {
    const err = await badInput({ issue: { sections: [{ title: 'A', articles: ['articles/01-nghi-quyet.md', 'articles/khong-co.md'] }] } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'sections[0].articles[1]', message: expect.stringContaining('not found') }));
  });

  it.each([
    ['..', '../secret.md', /"\.\." is not allowed/],
    ['an absolute path', '/etc/passwd', /absolute/],
    ['a URL', 'https://example.org/bai.md', /URL/],
    ['a file: URL', 'file:///etc/passwd', /URL/],
    ['a backslash', 'articles\\01-nghi-quyet.md', /backslash/],
  ])('an unsafe article path: %s', async (_what, ref, message) => {
    const err = await badInput({ issue: { sections: [{ title: 'A', articles: [ref] }] } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'sections[0].articles[0]', message: expect.stringMatching(message) }));
  });

  it('a symlink that leaves the issue directory', async () => {
    const fx = await fixture({ issue: { sections: [{ title: 'A', articles: ['articles/link.md'] }] } });
    const outside = path.join(fx.parent, 'outside.md');
    await fs.writeFile(outside, article('title: Ngoài'));
    await fs.symlink(outside, path.join(fx.dir, 'articles/link.md'));
    const err = await loadIssue(fx.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as BadInputError).problems[0]?.message).toMatch(/symlink leaves/);
  });

  it('a link that leaves the issue directory', async () => {
    const err = await badInput({ articles: { 'articles/02-guong.md': article('title: Bài', '[mật](../../mat.txt)') } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'a href', message: expect.stringContaining('leaves the issue directory') }));
  });

  it.each([
    ['..', '../../secret.png'],
    ['an absolute path', '/etc/hosts'],
    ['a file: URL', 'file:///etc/hosts'],
  ])('an unsafe image path in an article: %s', async (_what, src) => {
    const err = await badInput({ articles: { 'articles/02-guong.md': article('title: Bài', `![ảnh](${src})`) } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'img src', file: expect.stringMatching(/02-guong\.md$/) }));
  });

  it('an image that is not an image', async () => {
    const err = await badInput({ files: { 'images/hoi-nghi.jpg': 'this is text, not a JPEG' } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'img src', message: expect.stringContaining('is not an image') }));
  });

  it('a bad date', async () => {
    const err = await badInput({ issue: { date: '2026-02-30' } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'date', message: expect.stringContaining('2026-02-30') }));
  });

  it('a negative or fractional printRun', async () => {
    const neg = await badInput({ issue: { printRun: -5 } });
    expect(neg.problems).toContainEqual(expect.objectContaining({ field: 'printRun' }));
    const frac = await badInput({ issue: { printRun: 3.5 } });
    expect(frac.problems).toContainEqual(expect.objectContaining({ field: 'printRun', message: expect.stringContaining('whole number') }));
  });

  it('a distribution that does not sum to printRun', async () => {
    const err = await badInput({ issue: { printRun: 3110, distribution: [{ unit: 'Đảng ủy xã Hòa Thành', copies: 3000 }] } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'distribution', message: 'copies sum to 3000, but printRun is 3110' }));
  });

  it('columns other than 1 or 2, and a bad trim', async () => {
    const err = await badInput({ issue: { trim: { width: '19in', height: '270mm' }, sections: [{ title: 'A', columns: 3, articles: [] }] } });
    const fields = err.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['trim.width', 'sections[0].columns']));
  });

  it('no bulletin: neither in issue.yaml nor in ../bulletin.yaml', async () => {
    const err = await badInput({ bulletinIn: 'none' });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'bulletin', message: expect.stringContaining('bulletin.yaml') }));
  });

  it('front matter that is not a mapping', async () => {
    const err = await badInput({ articles: { 'articles/02-guong.md': article('- Lê Văn Đức\n- Đảng ủy xã') } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'front matter', file: expect.stringMatching(/02-guong\.md$/) }));
  });

  it('an article without a title', async () => {
    const err = await badInput({ articles: { 'articles/02-guong.md': article('author: Lê Văn Đức') } });
    expect(err.problems).toContainEqual(expect.objectContaining({ field: 'front matter.title', message: expect.stringMatching(/^is required/) }));
  });

  it('collects the problems of several keys into one error', async () => {
    const err = await badInput({ issue: { number: 0, printRun: 'nhiều', date: 'hôm nay' } });
    expect(err.problems.map((p) => p.field).sort()).toEqual(['date', 'number', 'printRun']);
  });

  it('reports schema problems and unsafe paths of issue.yaml together', async () => {
    const err = await badInput({ issue: { printRun: -1, sections: [{ title: 'A', articles: ['../ngoai.md'] }] } });
    expect(err.problems.map((p) => p.field)).toEqual(['printRun', 'sections[0].articles[0]']);
  });

  it('a directory without issue.yaml', async () => {
    const fx = await fixture();
    await fs.rm(path.join(fx.dir, 'issue.yaml'));
    const err = await loadIssue(fx.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as BadInputError).file).toMatch(/issue\.yaml$/);
  });
});
