import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import YAML from 'yaml';
import { runCliCaptured, type CliRun } from '../fixtures/run-cli.ts';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import { encodeTcvn3 } from '../../src/text/encodings/tcvn3.ts';
import { encodeCp1258 } from '../../src/text/encodings/cp1258.ts';
import { encodeVniText } from '../../src/text/encodings/vni.ts';
import { VISCII } from '../../src/text/encodings/viscii.ts';
import { VPS } from '../../src/text/encodings/vps.ts';
import { findJpegtran } from '../../src/text/jpegtran.ts';
import { buildDocx, buildOle2 } from '../text/helpers/docx-builder.ts';
import { photo } from '../text/helpers/photos.ts';

const run = promisify(execFile);
let dir: string;

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWithEnv({ PATH: '' }, ...argv);
}

async function cliWithEnv(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<CliRun> {
  return runCliCaptured(env, argv);
}

const tcvn3 = (s: string): string => String.fromCharCode(...encodeTcvn3(s));

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bantin-import-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

describe('bantin import', () => {
  it('writes article.md with front matter and images/ from a TCVN3 .docx, and summarises on stdout', async () => {
    const input = path.join(dir, 'bai-viet.docx');
    await fs.writeFile(input, await buildDocx({
      defaultFont: '.VnTime',
      paragraphs: [
        { style: 'Heading1', runs: [tcvn3('Gương chi bộ tiêu biểu')] },
        { runs: [tcvn3('Tác giả: Phạm Thị Hoa')] },
        { runs: [tcvn3('Chi bộ ấp Bình Hòa luôn đi đầu trong phong trào thi đua.')] },
        { image: 0 },
      ],
      images: [{ bytes: await photo(1400, 1000, { orientation: 8, gps: true }), ext: 'jpeg' }],
    }));
    const out = path.join(dir, 'out-ok');
    const r = await cli('import', input, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tcvn3 in font "\.VnTime"/);
    expect(await listFiles(out)).toEqual(['article.md', 'images/anh-01.jpg']);
    const md = await fs.readFile(path.join(out, 'article.md'), 'utf8');
    const [, front, body] = md.split(/^---$/m);
    expect(YAML.parse(front ?? '')).toEqual({ title: 'Gương chi bộ tiêu biểu', author: 'Phạm Thị Hoa' });
    expect(body).toContain('Chi bộ ấp Bình Hòa luôn đi đầu trong phong trào thi đua.');
    expect(body).toContain('images/anh-01.jpg');
    expect(md).toBe(md.normalize('NFC'));
    const meta = await sharp(path.join(out, 'images/anh-01.jpg')).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([1000, 1400, undefined]);
  });

  it('prints a machine-readable report with --json and honours --encoding', async () => {
    const input = path.join(dir, 'vni.txt');
    await fs.writeFile(input, Buffer.from('Tin töùc\nÑaûng boä xaõ Phöôùc Vinh toå chöùc hoäi nghò.', 'latin1'));
    const r = await cli('import', input, '--encoding', 'vni', '--out', path.join(dir, 'out-json'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { ok: boolean; title: string; files: string[]; report: { encodings: { encoding: string; decidedBy: string }[] } };
    expect(json).toMatchObject({ ok: true, title: 'Tin tức', files: ['article.md'] });
    expect(json.report.encodings[0]).toMatchObject({ encoding: 'vni', decidedBy: 'option' });
  });

  it.each([
    ['an empty file', 'empty.docx', async () => Buffer.alloc(0), /empty/],
    ['a password-protected .docx', 'secret.docx', async () => buildOle2(['EncryptionInfo', 'EncryptedPackage']), /password-protected/],
    ['a Word 97 .doc', 'old.doc', async () => buildOle2(['WordDocument']), /soffice --headless --convert-to docx/],
    ['a renamed program', 'setup.docx', async () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]), /program/],
    ['a corrupt .docx', 'broken.docx', async () => (await buildDocx({ paragraphs: [{ runs: ['x'] }] })).subarray(0, 200), /not a readable \.docx/],
  ])('exits 2 for %s, names the file and writes nothing', async (_label, name, make, message) => {
    const input = path.join(dir, name);
    await fs.writeFile(input, await make());
    const out = path.join(dir, `out-${name}`);
    const r = await cli('import', input, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(name);
    expect(r.stderr).toMatch(message);
    await expect(fs.access(out)).rejects.toThrow();
    expect((await fs.readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('converts a .doc with LibreOffice when soffice is on PATH', async () => {
    // A stand-in soffice that behaves like the real one: writes <outdir>/<input name>.docx.
    const bin = path.join(dir, 'fake-bin');
    await fs.mkdir(bin, { recursive: true });
    const converted = path.resolve('test/fixtures/intake/vni-guong-sang.docx');
    await fs.writeFile(path.join(bin, 'soffice'), `#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --outdir) out="$2"; shift;; *.doc) in="$1";; esac; shift; done\nbase=$(basename "$in" .doc)\ncp "${converted}" "$out/$base.docx"\n`, { mode: 0o755 });
    const input = path.join(dir, 'cu-2009.doc');
    await fs.writeFile(input, buildOle2(['WordDocument', '1Table']));
    const out = path.join(dir, 'out-doc');
    const r = await cliWithEnv({ PATH: bin }, 'import', input, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await fs.readFile(path.join(out, 'article.md'), 'utf8')).toContain('title: Gương sáng đảng viên trẻ');
  });

  it('exits 2 naming the .doc when LibreOffice fails on it, writing nothing', async () => {
    const bin = path.join(dir, 'fake-bin-broken');
    await fs.mkdir(bin, { recursive: true });
    await fs.writeFile(path.join(bin, 'soffice'), '#!/bin/sh\necho "Error: source file could not be loaded" >&2\nexit 1\n', { mode: 0o755 });
    const input = path.join(dir, 'hong-2007.doc');
    await fs.writeFile(input, buildOle2(['WordDocument', '1Table']));
    const out = path.join(dir, 'out-doc-broken');
    const r = await cliWithEnv({ PATH: bin }, 'import', input, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hong-2007\.doc: LibreOffice could not convert the \.doc/);
    await expect(fs.access(out)).rejects.toThrow();
  });

  it('refuses a 200 MB file by its size without reading it', async () => {
    const input = path.join(dir, 'photo-200mb.docx');
    const handle = await fs.open(input, 'w');
    await handle.truncate(200 * 1024 * 1024); // sparse: no 200 MB written to disk
    await handle.close();
    const r = await cli('import', input, '--out', path.join(dir, 'out-big'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/photo-200mb\.docx: the file is 200 MiB/);
  });

  it('exits 2 when a photo in the .docx is over --max-image-mb, leaving no output', async () => {
    const input = path.join(dir, 'big-photo.docx');
    await fs.writeFile(input, await buildDocx({ paragraphs: [{ runs: ['Ảnh'] }, { image: 0 }], images: [{ bytes: await photo(1200, 900), ext: 'jpeg' }] }));
    const out = path.join(dir, 'out-big-photo');
    const r = await cli('import', input, '--out', out, '--max-image-mb', '0.01');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big-photo\.docx: picture image1\.jpeg: image is 1 MiB/);
    await expect(fs.access(out)).rejects.toThrow();
  });

  it('refuses to overwrite a non-empty output directory unless --force', async () => {
    const input = path.join(dir, 'short.txt');
    await fs.writeFile(input, 'Tiêu đề\nNội dung bài viết.');
    const out = path.join(dir, 'out-existing');
    await fs.mkdir(out);
    await fs.writeFile(path.join(out, 'keep.txt'), 'mine');
    expect((await cli('import', input, '--out', out)).code).toBe(2);
    expect(await fs.readFile(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
    // A failing import with --force loses nothing either.
    const broken = path.join(dir, 'broken-force.docx');
    await fs.writeFile(broken, Buffer.from('MZ not a document'));
    expect((await cli('import', broken, '--out', out, '--force')).code).toBe(2);
    expect(await fs.readFile(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
    expect((await cli('import', input, '--out', out, '--force')).code).toBe(0);
    expect(await listFiles(out)).toEqual(['article.md']);
  });

  it('exits 2 on usage errors: no --out, unknown encoding', async () => {
    expect((await cli('import', 'x.docx')).code).toBe(2);
    const r = await cli('import', 'x.docx', '--out', path.join(dir, 'o'), '--encoding', 'latin9');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown encoding "latin9"/);
  });

  it('writes articles the issue loader accepts (file format of DESIGN.md), with and without author/unit', async () => {
    const issue = path.join(dir, 'issues', '2026-12');
    await fs.mkdir(path.join(issue, 'articles'), { recursive: true });
    await fs.copyFile('issues/bulletin.yaml', path.join(dir, 'issues', 'bulletin.yaml'));
    await fs.writeFile(path.join(issue, 'issue.yaml'), 'number: 12\ndate: 2026-12-15\nprintRun: 100\nsections:\n  - title: Gương chi bộ, đảng viên\n    articles: [articles/a/article.md, articles/b/article.md]\n');
    expect((await cli('import', 'test/fixtures/intake/tcvn3-chi-bo.docx', '--out', path.join(issue, 'articles', 'a'))).code).toBe(0);
    expect((await cli('import', 'test/fixtures/intake/unicode-in-vntime.docx', '--out', path.join(issue, 'articles', 'b'))).code).toBe(0);
    const plan = await loadIssue(issue);
    const [a, b] = plan.sections[0]?.articles ?? [];
    expect(a).toMatchObject({ title: 'CHI BỘ ẤP PHƯỚC HÒA NÂNG CAO CHẤT LƯỢNG SINH HOẠT', author: 'Nguyễn Thị Mỹ Lệ', unit: 'Đảng ủy xã Phước Vinh' });
    expect(a?.images.map((i) => [i.src, i.widthPx, i.heightPx])).toEqual([['articles/a/images/anh-01.jpg', 900, 1200]]);
    expect(b?.title).toBe('Tin hoạt động Ủy ban Kiểm tra');
    expect(b?.bodyHtml).toContain('Hội nghị đã thống nhất thông qua Nghị quyết về nhiệm vụ năm 2027.');
  });

  it('brings the pictures of a saved web page along and drops (with a warning) the ones that are missing', async () => {
    const page = path.join(dir, 'web', 'trang.htm');
    await fs.mkdir(path.join(dir, 'web', 'trang_files'), { recursive: true });
    await fs.writeFile(path.join(dir, 'web', 'trang_files', 'image001.jpg'), await photo(1300, 900, { gps: true }));
    await fs.writeFile(page, '<html><body><h1>Tin ảnh</h1><p>Ảnh:</p><img src="trang_files/image001.jpg"><img src="trang_files/image002.jpg"><img src="../../etc/x.jpg"></body></html>');
    const out = path.join(dir, 'out-web');
    const r = await cli('import', page, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/image-missing/);
    expect(await listFiles(out)).toEqual(['article.md', 'images/anh-01.jpg']);
    const md = await fs.readFile(path.join(out, 'article.md'), 'utf8');
    expect(md).toContain('src="images/anh-01.jpg"');
    expect(md).not.toContain('image002');
    expect(md).not.toContain('etc/x.jpg');
  });

  it('runs as the real command (npm run bantin -- import)', async () => {
    const input = path.join(dir, 'cp1258.txt');
    await fs.writeFile(input, encodeCp1258('Tiêu đề\nBài viết về Việt Nam'));
    const out = path.join(dir, 'out-real');
    const { stdout } = await run(process.execPath, ['bin/bantin.mjs', 'import', input, '--out', out]);
    expect(stdout).toMatch(/cp1258/);
    expect(await fs.readFile(path.join(out, 'article.md'), 'utf8')).toContain('title: Tiêu đề');
  });
});

describe('bantin import: VISCII, VPS, mixed files, sideways photos', () => {
  it.each([
    ['viscii', (t: string) => VISCII.encode(t)],
    ['vps', (t: string) => VPS.encode(t)],
  ] as const)('reads a %s text file, detected and when asked', async (encoding, encode) => {
    const input = path.join(dir, `${encoding}.txt`);
    await fs.writeFile(input, encode('Hội nghị Ban Chấp hành\nĐảng bộ tỉnh đã thống nhất ban hành nghị quyết về công tác xây dựng Đảng năm 2026.'));
    for (const args of [[], ['--encoding', encoding]]) {
      const out = path.join(dir, `out-${encoding}-${args.length}`);
      const r = await cli('import', input, '--out', out, ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`text: ${encoding}`);
      const md = await fs.readFile(path.join(out, 'article.md'), 'utf8');
      expect(md).toContain('title: Hội nghị Ban Chấp hành');
      expect(md).toContain('Đảng bộ tỉnh đã thống nhất ban hành nghị quyết về công tác xây dựng Đảng năm 2026.');
    }
  });

  it('names VISCII and VPS among the encodings it accepts, and writes nothing for an unknown one', async () => {
    const out = path.join(dir, 'out-bad-encoding');
    const r = await cli('import', path.join(dir, 'viscii.txt'), '--out', out, '--encoding', 'koi8');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/viscii, vps/);
    await expect(fs.access(out)).rejects.toThrow();
  });

  it('says which lines of a stitched file were in another encoding', async () => {
    const input = path.join(dir, 'tron.txt');
    await fs.writeFile(input, Buffer.from(`${tcvn3('Tin hoạt động')}\n${tcvn3('Đảng ủy xã tổ chức hội nghị sơ kết công tác.')}\n${encodeVniText('Ban chấp hành đã thống nhất thông qua nghị quyết.')}\n`, 'latin1'));
    const out = path.join(dir, 'out-tron');
    const r = await cli('import', input, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning \[mixed-encodings\]: 1 line\(s\)/);
    expect(await fs.readFile(path.join(out, 'article.md'), 'utf8')).toContain('Ban chấp hành đã thống nhất thông qua nghị quyết.');
  });

  it.skipIf(!findJpegtran(process.env))('turns a portrait phone photo upright with jpegtran from PATH', async () => {
    const input = path.join(dir, 'anh-doc.docx');
    await fs.writeFile(input, await buildDocx({ paragraphs: [{ style: 'Heading1', runs: ['Ảnh dọc'] }, { image: 0 }], images: [{ bytes: await photo(1600, 1200, { orientation: 6, gps: true }), ext: 'jpeg' }] }));
    const out = path.join(dir, 'out-portrait');
    const r = await cliWithEnv({ PATH: process.env.PATH }, 'import', input, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const meta = await sharp(path.join(out, 'images', 'anh-01.jpg')).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([1200, 1600, undefined]);
  });
});
