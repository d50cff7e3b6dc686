/**
 * Black-box contract of `bantin build` (DESIGN.md "The file-based issue format" and "The `bantin` command"):
 * the real binary in its own process, issue directories as other people write them, only the promised
 * outputs checked. Three real builds (each asserting many promises at once) keep the file fast.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_GUONG, DEFAULT_BULLETIN, makeIssue, type IssueFixture, type MakeIssueOptions } from '../fixtures/make-issue.ts';
import { minimalDocx } from '../fixtures/minimal-docx.ts';
import { bantin, REPO, type BantinRun } from './bantin-process.ts';

const run = promisify(execFile);
const MM = 72 / 25.4;
const fixtures: IssueFixture[] = [];

async function issue(opts: MakeIssueOptions): Promise<IssueFixture> {
  const fx = await makeIssue(opts);
  fixtures.push(fx);
  return fx;
}

afterAll(async () => {
  await Promise.all(fixtures.map((fx) => fx.cleanup()));
});

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function pdfText(file: string): Promise<string> {
  return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout.normalize('NFC');
}

const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

/** A bulletin profile in Windows-1258 bytes (precomposed base letters, combining tone marks), CRLF. */
const CP1258_BULLETIN = crlf(
  [
    'bulletin:',
    '  name: Th\xF4ng ba\xECo N\xF4\xF2i b\xF4\xF2',
    '  publisher: Ban Tuy\xEAn gia\xECo va\xCC D\xE2n v\xE2\xF2n Ti\xD2nh u\xD2y T\xE2y Ninh',
    '  address: S\xF4\xEC 1 \xF0\xFD\xF5\xCCng Tr\xE2\xCCn H\xFDng \xD0a\xF2o',
    '  responsible: Nguy\xEA\xDEn V\xE3n \xC2\xECn',
    '  licence: { number: "05/GP-STTTT", date: 2026-01-05, issuer: "S\xF4\xF2 V\xE3n ho\xECa", expires: 2027-12-31 }',
    '  frequency: 1 ky\xCC/tha\xECng',
    '  printShop: C\xF4ng ty In T\xE2y Ninh',
    '',
  ].join('\n'),
);

describe('an issue written the way other editors write them', () => {
  let fx: IssueFixture;
  let out: string;
  let result: BantinRun;
  // A Vietnamese file name in a folder with a space, stored NFD on disk (as a Mac copies it) and named NFC in issue.yaml.
  const nfdName = 'bài viết/Gương sáng đảng viên.md';

  beforeAll(async () => {
    const cmykPhoto = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: { r: 30, g: 110, b: 190 } } }).toColourspace('cmyk').jpeg().toBuffer();
    const docx = await minimalDocx([{ heading: 'Chuyển đổi số trong sinh hoạt chi bộ' }, { text: 'Chi bộ khu phố Hiệp Định dùng sổ tay điện tử từ tháng Mười.' }]);
    fx = await issue({
      bulletinIn: 'shared',
      // No layout, trim or bleed: the defaults (standard, 190 × 270 mm, 3 mm) apply. Dates as YAML dates and quoted strings.
      // No layout, trim or bleed: the defaults (standard, 190 × 270 mm, 3 mm) apply. The date unquoted (a YAML date).
      // Saved by a Windows editor: BOM and CRLF.
      issueYaml: '\uFEFF' + crlf([
        'number: 11',
        'date: 2026-11-15',
        'printRun: 3110',
        'sections:',
        '  - title: Văn bản, chính sách mới',
        '    articles: [articles/01-nghi-quyet.md, articles/03-TIN.MD]',
        '  - title: Chuyên mục chưa có bài',
        '    articles: []',
        '  - title: Gương chi bộ, đảng viên',
        `    articles: ["${nfdName}", articles/04-tin.html, articles/05-chuyen-doi.docx, articles/06-anh.md, articles/chi-bo/article.md, articles/07-cp1258.md]`,
        '',
      ].join('\n')),
      articles: {
        // BOM, CRLF line endings, NFD text, upper-case extension, only the required keys, date as a quoted string.
        'articles/03-TIN.MD': '\uFEFF' + crlf(`---\ntitle: Tin vắn Đảng ủy phường\nauthor: Phạm Thị Hằng\nunit: Đảng ủy phường Tân Ninh\ndate: "2026-11-02"\n---\nĐảng ủy phường tổ chức lễ kết nạp đảng viên mới cho hai quần chúng ưu tú.\n`).normalize('NFD'),
        [nfdName.normalize('NFD')]: ARTICLE_GUONG,
        // A CMYK photo with an upper-case extension, a space and an NFD name on disk, referenced in NFC.
        'articles/06-anh.md': '---\ntitle: Ảnh hoạt động\nauthor: Phóng viên\nunit: Văn phòng\n---\nQuang cảnh buổi lễ.\n\n![Lễ kết nạp](<../images/Ảnh lễ kết nạp.JPG>)\n',
        'articles/04-tin.html': '---\ntitle: Hội nghị sơ kết quý III\nauthor: Văn phòng\nunit: Đảng ủy xã Hòa Thành\n---\n<p>Hội nghị đánh giá kết quả thực hiện nhiệm vụ quý III năm 2026.</p>\n',
      },
      files: {
        // Saved by an old editor in Windows-1258: "Đảng viên chi bộ ấp Phước Hòa thực hiện nghị quyết."
        'articles/07-cp1258.md': Buffer.from('---\ntitle: Tin chi b\xF4\xF2 Ph\xFD\xF5\xECc Ho\xCCa\nauthor: A\nunit: B\n---\n\xD0a\xD2ng vi\xEAn chi b\xF4\xF2 \xE2\xECp Ph\xFD\xF5\xECc Ho\xCCa th\xFD\xF2c hi\xEA\xF2n nghi\xF2 quy\xEA\xECt.\n', 'latin1'),
        'articles/05-chuyen-doi.docx': docx, ['images/Ảnh lễ kết nạp.JPG'.normalize('NFD')]: cmykPhoto },
      images: { 'cover.jpg': { width: 2316, height: 3312 } },
    });
    // The shared bulletin.yaml saved by Notepad on a Vietnamese Windows ("ANSI" = Windows-1258).
    fs.writeFileSync(path.join(fx.parent, 'bulletin.yaml'), Buffer.from(CP1258_BULLETIN, 'latin1'));
    // An article made by `bantin import` from a TCVN3 .docx, its folder (article.md + images/) dropped into the issue as is.
    const imported = await bantin(['import', path.join(REPO, 'test/fixtures/intake/tcvn3-chi-bo.docx'), '--out', path.join(fx.dir, 'articles/chi-bo')]);
    expect(imported.code, imported.stderr).toBe(0);
    out = path.join(fx.dir, 'bản in tháng 11');
    result = await bantin(['build', fx.dir, '--out', out, '--profile', 'all', '--json']);
  });

  it('builds with exit 0 and writes print.pdf, screen.pdf, cover.pdf, job.json and preflight.json', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(expect.arrayContaining(['cover.pdf', 'job.json', 'preflight.json', 'print.pdf', 'screen.pdf']));
  });

  it('prints only JSON on stdout with --json, and progress per stage and page on stderr', () => {
    const json = JSON.parse(result.stdout) as { files: { name: string; bytes: number; sha256: string }[] };
    expect(json.files.map((f) => f.name)).toEqual(expect.arrayContaining(['print.pdf', 'screen.pdf', 'cover.pdf', 'preflight.json', 'job.json']));
    for (const f of json.files) {
      const bytes = fs.readFileSync(path.join(out, f.name));
      expect([f.name, f.bytes, f.sha256]).toEqual([f.name, bytes.length, createHash('sha256').update(bytes).digest('hex')]);
    }
    for (const stage of ['load', 'paginate', 'preflight']) expect(result.stderr).toContain(stage);
    expect(result.stderr).toMatch(/1 pages?/);
  });

  it('writes job.json with every field DESIGN lists, the defaults for trim and bleed, and true sha256/bytes/pages', async () => {
    const job = JSON.parse(fs.readFileSync(path.join(out, 'job.json'), 'utf8')) as Record<string, unknown> & { files: { name: string; bytes: number; sha256: string; pages?: number }[] };
    for (const key of ['issue', 'pages', 'trim', 'bleed', 'printRun', 'colours', 'binding', 'licence', 'printShop', 'distribution', 'files']) expect(job, key).toHaveProperty(key);
    expect(JSON.stringify(job.issue)).toContain('11');
    expect(job.printRun).toBe(3110);
    expect(JSON.stringify(job.trim)).toMatch(/190[^0-9]+270/);
    expect(JSON.stringify(job.bleed)).toContain('3');
    expect(JSON.stringify(job.licence)).toContain('05/GP-STTTT');
    // Read from the Windows-1258 bulletin.yaml: converted, not U+FFFD.
    expect(job.printShop).toBe('Công ty In Tây Ninh');
    expect(JSON.stringify(job)).toContain('Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh');
    expect(JSON.stringify(job)).toContain('Nguyễn Văn Ấn');
    expect(Number.isNaN(Date.parse(String(job.builtAt ?? job.buildTime)))).toBe(false);
    expect(JSON.stringify(job.tools ?? job.toolVersions)).toContain('pagedjs');
    const names = job.files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['print.pdf', 'screen.pdf', 'cover.pdf']));
    for (const f of job.files) {
      const file = path.join(out, f.name);
      expect(f.bytes, f.name).toBe(fs.statSync(file).size);
      expect(f.sha256, f.name).toBe(sha256(file));
      if (f.name.endsWith('.pdf')) expect(f.pages, f.name).toBe((await PDFDocument.load(fs.readFileSync(file))).getPageCount());
    }
    expect(job.pages).toBe(job.files.find((f) => f.name === 'print.pdf')?.pages);
  });

  it('sets 190 × 270 mm trim with 3 mm bleed on every print page', async () => {
    const pdf = await PDFDocument.load(fs.readFileSync(path.join(out, 'print.pdf')));
    for (const page of pdf.getPages()) {
      expect(page.getTrimBox().width / MM).toBeCloseTo(190, 1);
      expect(page.getTrimBox().height / MM).toBeCloseTo(270, 1);
      expect((page.getBleedBox().width - page.getTrimBox().width) / MM).toBeCloseTo(6, 1);
    }
  });

  it('typesets every article kind, in NFC, from the NFD file name, the NFD/CRLF/BOM text and the Windows-1258 file', async () => {
    const text = await pdfText(path.join(out, 'screen.pdf'));
    for (const needle of ['Tin vắn Đảng ủy phường', 'lễ kết nạp đảng viên mới', 'Người bí thư chi bộ ấp Trường Ân', 'Hội nghị sơ kết quý III', 'Chuyển đổi số trong sinh hoạt chi bộ', 'Chi bộ ấp Phước Hòa tổ chức sinh hoạt', 'Tin chi bộ Phước Hòa', 'chi bộ ấp Phước Hòa thực hiện nghị quyết']) {
      expect(text.replace(/\s+/g, ' '), needle).toContain(needle);
    }
    expect(text).not.toContain('\uFEFF');
    expect(text).not.toContain('\uFFFD');
  });

  it('prints the photo whose file name is NFD on disk and the imported article’s photo', async () => {
    const { stdout } = await run('pdfimages', ['-list', path.join(out, 'print.pdf')]);
    expect(stdout).toMatch(/\b1500\s+1000\b/);
    const importedPhoto = await sharp(path.join(fx.dir, 'articles/chi-bo/images', fs.readdirSync(path.join(fx.dir, 'articles/chi-bo/images'))[0]!)).metadata();
    expect(stdout).toMatch(new RegExp(`\\b${importedPhoto.width}\\s+${importedPhoto.height}\\b`));
  });

  it('names the empty section in preflight.json as a warning, not an error', () => {
    const preflight = JSON.parse(fs.readFileSync(path.join(out, 'preflight.json'), 'utf8')) as { findings: { severity: string; message: string }[] };
    expect(preflight.findings.some((f) => f.severity === 'warning' && f.message.includes('Chuyên mục chưa có bài'))).toBe(true);
    expect(preflight.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('profiles and trims', () => {
  it('--profile print with a trim in cm writes print.pdf (170 × 240 mm) and cover.pdf from COVER.JPG, no screen.pdf; the distribution reaches job.json', async () => {
    const fx = await issue({
      images: { 'COVER.JPG': { width: 2082, height: 2940 } },
      issue: { trim: { width: '17cm', height: '24cm' }, printRun: 300, distribution: [{ unit: 'Đảng ủy xã Hòa Thành', copies: 120 }, { unit: 'Đảng ủy phường Tân Ninh', copies: 180 }] },
    });
    const out = path.join(fx.parent, 'out print');
    // An earlier full build left its screen.pdf here: the folder must end up holding only what job.json lists.
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'screen.pdf'), '%PDF-1.7 from an earlier build');
    const r = await bantin(['build', fx.dir, '--out', out, '--profile', 'print']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(out, 'print.pdf'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'screen.pdf'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'cover.pdf'))).toBe(true);
    const page = (await PDFDocument.load(fs.readFileSync(path.join(out, 'print.pdf')))).getPage(0);
    expect(page.getTrimBox().width / MM).toBeCloseTo(170, 1);
    expect(page.getTrimBox().height / MM).toBeCloseTo(240, 1);
    const job = JSON.parse(fs.readFileSync(path.join(out, 'job.json'), 'utf8')) as { distribution: unknown; printRun: number };
    expect(job.printRun).toBe(300);
    expect(JSON.stringify(job.distribution)).toContain('Đảng ủy phường Tân Ninh');
    expect(JSON.stringify(job.distribution)).toContain('180');
  });

  it('exits 1 for a preflight error (trim above the legal 19 × 27 cm) and still writes the files, listing the error', async () => {
    const fx = await issue({ issue: { trim: { width: '200mm', height: '280mm' } } });
    const out = path.join(fx.parent, 'out');
    const r = await bantin(['build', fx.dir, '--out', out, '--profile', 'screen', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(fs.existsSync(path.join(out, 'screen.pdf'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'job.json'))).toBe(true);
    const preflight = JSON.parse(fs.readFileSync(path.join(out, 'preflight.json'), 'utf8')) as { findings: { severity: string }[] };
    expect(preflight.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });
});

// Each case packs several faults into one issue: the loader reports them together, and every bantin process
// costs a Node start and a Chromium launch on a shared 2-core machine.
describe.concurrent('bad input: exit 2, nothing written, every problem named with its file, key and what was expected', () => {
  const cases: { name: string; opts: MakeIssueOptions; file: string; keys: string[] }[] = [
    {
      name: 'unknown keys at every level of issue.yaml, an impossible date and a negative print run',
      opts: {
        issue: { pagecount: 32, date: '2026-02-30', printRun: -5, sections: [{ title: 'A', article: ['articles/02-guong.md'] }] },
        bulletin: { fax: '0276', licence: { ...DEFAULT_BULLETIN.licence, signer: 'x' } },
      },
      file: 'issue.yaml',
      keys: ['pagecount', 'fax', 'signer', 'article', 'date', 'printRun'],
    },
    {
      name: 'paths with .., absolute, a URL, a backslash, and a missing file',
      opts: { issue: { sections: [{ title: 'A', articles: ['../secret.md', '/etc/hostname', 'https://example.org/a.md', 'articles\\02-guong.md', 'articles/99-khong-co.md'] }] } },
      file: 'issue.yaml',
      keys: ['../secret.md', '/etc/hostname', 'https://example.org/a.md', 'articles\\02-guong.md', '99-khong-co.md'],
    },
    { name: 'a layout that does not exist', opts: { issue: { layout: 'fancy' } }, file: 'issue.yaml', keys: ['layout', 'fancy', 'standard'] },
    { name: 'a distribution not summing to printRun', opts: { issue: { distribution: [{ unit: 'Đảng ủy xã A', copies: 100 }] } }, file: 'issue.yaml', keys: ['distribution', '3110'] },
    {
      name: 'an unknown key in one article’s front matter and a missing image in another',
      opts: { articles: { 'articles/02-guong.md': ARTICLE_GUONG.replace('author:', 'tags: [a]\nauthor:'), 'articles/01-nghi-quyet.md': ARTICLE_GUONG + '\n![Ảnh](images/khong-co.jpg)\n' } },
      file: '02-guong.md',
      keys: ['tags', '01-nghi-quyet.md', 'khong-co.jpg'],
    },
    // The wrapped form (`bulletin:` then the profile) must report the key inside it, not "bulletin" itself.
    { name: 'an unknown key in the shared bulletin.yaml', opts: { bulletinIn: 'shared', bulletin: { website: 'x' } }, file: 'bulletin.yaml', keys: ['website'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const fx = await issue(c.opts);
      const out = path.join(fx.parent, 'out');
      const r = await bantin(['build', fx.dir, '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(2);
      expect(fs.existsSync(out)).toBe(false);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(c.file);
      for (const key of c.keys) expect(r.stderr).toContain(key);
      expect(r.stderr).not.toContain('unknown key "bulletin"');
      expect(r.stderr).toMatch(/expected/i);
    });
  }

  it('leaves an existing output directory exactly as it was', async () => {
    const fx = await issue({ issue: { printRun: 0 } });
    const out = path.join(fx.parent, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'print.pdf'), 'the previous build');
    const r = await bantin(['build', fx.dir, '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(fs.readdirSync(out)).toEqual(['print.pdf']);
    expect(fs.readFileSync(path.join(out, 'print.pdf'), 'utf8')).toBe('the previous build');
  });

  it('an unknown --profile, a missing --out, an --out that is a file and a missing issue directory', async () => {
    const fx = await issue({});
    const notADir = path.join(fx.parent, 'ban-in.pdf');
    fs.writeFileSync(notADir, 'not a directory');
    const runs = await Promise.all([
      bantin(['build', fx.dir, '--out', path.join(fx.parent, 'a'), '--profile', 'web']),
      bantin(['build', fx.dir]),
      bantin(['build', fx.dir, '--out', notADir]),
      bantin(['build', path.join(fx.parent, 'khong-co'), '--out', path.join(fx.parent, 'b')]),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(2);
    expect(runs[0]!.stderr).toContain('--profile');
    expect(runs[1]!.stderr).toContain('--out');
    expect(runs[2]!.stderr).toContain('--out');
    expect(runs[2]!.stderr).not.toContain('unexpected');
    expect(fs.readFileSync(notADir, 'utf8')).toBe('not a directory');
    expect(fs.readdirSync(fx.parent).sort()).toEqual(['2026-11', 'ban-in.pdf']);
  });
});
