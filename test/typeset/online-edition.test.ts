/**
 * Writing the online edition from a loaded issue (no browser: page numbers are given): files with their
 * sha256, pictures at most 1000 px wide, also when a photo's file name is spelled NFD on disk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { loadIssue } from '../../src/typeset/load-issue.ts';
import { writeOnlineEdition } from '../../src/typeset/online-edition.ts';
import { makeIssue, type IssueFixture } from '../fixtures/make-issue.ts';

const LAYOUTS = { layoutsDir: fileURLToPath(new URL('../../layouts/', import.meta.url)), fontsDir: fileURLToPath(new URL('../../fonts/', import.meta.url)) };
let fx: IssueFixture | undefined;
let out: string | undefined;

afterEach(async () => {
  await fx?.cleanup();
  if (out) fs.rmSync(out, { recursive: true, force: true });
  fx = undefined;
  out = undefined;
});

describe('writeOnlineEdition', () => {
  it('writes the page, its stylesheet and downsampled pictures, listing each with its sha256', async () => {
    fx = await makeIssue({ images: { 'images/hoi-nghi.jpg': { width: 2400, height: 1600 } } });
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-online-out-'));
    const plan = await loadIssue(fx.dir);
    const files = await writeOnlineEdition(out, plan, { 'a-01-nghi-quyet': 2, 'a-02-guong': 5 }, LAYOUTS);
    expect(files.map((f) => f.name)).toEqual(['online/index.html', 'online/online.css', 'online/images/img-001.jpg']);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(out, f.name));
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }
    expect(await sharp(path.join(out, 'online/images/img-001.jpg')).metadata()).toMatchObject({ format: 'jpeg', width: 1000, height: 667 });
    const html = fs.readFileSync(path.join(out, 'online/index.html'), 'utf8');
    expect(html).toContain('<img src="images/img-001.jpg" width="1000" height="667" loading="lazy"');
    expect(html).toContain('<p class="article-page">trang 5</p>');
  });

  it('finds a photo whose file name is NFD on disk (an issue copied from a Mac)', async () => {
    const nfd = 'images/ảnh-hội-nghị.jpg'.normalize('NFD');
    fx = await makeIssue({
      articles: { 'articles/01-nghi-quyet.md': '---\ntitle: Hội nghị\n---\nĐoạn mở đầu.\n\n![Quang cảnh](images/ảnh-hội-nghị.jpg)\n' },
      images: { [nfd]: { width: 800, height: 600 } },
    });
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-online-out-'));
    const plan = await loadIssue(fx.dir);
    const files = await writeOnlineEdition(out, plan, {}, LAYOUTS);
    expect(files.map((f) => f.name)).toContain('online/images/img-001.jpg');
    // Smaller than the limit: kept at its own width, never enlarged.
    expect(await sharp(path.join(out, 'online/images/img-001.jpg')).metadata()).toMatchObject({ width: 800, height: 600 });
  });

  it('writes nothing for a layout without an online page', async () => {
    fx = await makeIssue();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-online-out-'));
    const layoutsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-layouts-'));
    fs.mkdirSync(path.join(layoutsDir, 'standard'));
    try {
      expect(await writeOnlineEdition(out, await loadIssue(fx.dir), {}, { layoutsDir, fontsDir: LAYOUTS.fontsDir })).toEqual([]);
      expect(fs.existsSync(path.join(out, 'online'))).toBe(false);
    } finally {
      fs.rmSync(layoutsDir, { recursive: true, force: true });
    }
  });
});
